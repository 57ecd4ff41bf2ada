/**
 * Every fleet scenario with 20 stations (half 1.6, half 2.0.1) for a few seconds against the real
 * CSMS, from source addresses spread over 127.0.0.0/8: each ends with zero errors. The CSMS here
 * gives a 1 s interval, which also makes a Pending station retry its boot quickly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashPassword } from '@ocppkit/csms/dist/src/security/passwords.js';
import { type FleetOptions, runFleet } from '../src/fleet.js';
import { sourceAddress } from '../src/fleet-context.js';
import { simulateStation } from '../src/station.js';
import { startTestCsms, type TestCsms, waitFor } from './support/helpers.js';

const STATIONS = 20;

describe('fleet scenarios', () => {
  let csms: TestCsms;
  before(async () => {
    csms = await startTestCsms('pglite', { heartbeatIntervalS: '1' });
    await csms.stores.idTokens.create({ idToken: 'SIMTAG' });
  });
  after(() => csms.stop());

  const run = (scenario: FleetOptions['scenario'], durationS: number) =>
    runFleet({
      url: csms.ocppUrl,
      stations: STATIONS,
      scenario,
      protocol: 'mixed',
      durationS,
      speed: 600,
      idPrefix: `${scenario}-`,
      reconnect: { minWaitMs: 100, randomRangeMs: 500, repeatTimes: 2 },
      progress: false,
    });

  test('source addresses cycle through 127.0.0.1-254, then the next octets', () => {
    assert.equal(sourceAddress(0), '127.0.0.1');
    assert.equal(sourceAddress(253), '127.0.0.254');
    assert.equal(sourceAddress(254), '127.0.1.1');
    assert.equal(sourceAddress(254 * 256), '127.1.0.1');
  });

  test('a Pending station boots again after the interval until accepted; Basic Auth password', async () => {
    const identity = 'SIM-PENDING';
    const password = 'simulator-password-1';
    await csms.stores.stations.create({
      identity,
      registrationStatus: 'Pending',
      password: await hashPassword(password),
    });
    const boots: string[] = [];
    const station = await simulateStation({
      url: csms.ocppUrl,
      identity,
      protocol: 'ocpp2.0.1',
      password,
      waitForBoot: false,
      onEvent: (event) => {
        if (event.type === 'boot') boots.push(event.status);
      },
    });
    try {
      await waitFor('two Pending boots', () => boots.length >= 2);
      await csms.stores.stations.setRegistrationStatus(identity, 'Accepted');
      await station.whenAccepted();
      assert.deepEqual(boots.slice(-2), ['Pending', 'Accepted']);
      assert.ok(boots.slice(0, -1).every((b) => b === 'Pending'));
    } finally {
      await station.close();
    }
    await assert.rejects(
      simulateStation({ url: csms.ocppUrl, identity, protocol: 'ocpp2.0.1', password: 'wrong-password-123' }),
      (error: { status?: number }) => error.status === 401,
    );
  });

  test('idle: boot and heartbeat', async () => {
    // Long enough for every station to heartbeat at least once after booting, even on a busy machine.
    const summary = await run('idle', 4);
    assert.deepEqual(summary.errorSamples, []);
    assert.equal(summary.errors, 0);
    assert.equal(summary.connected, STATIONS);
    assert.equal(summary.accepted, STATIONS);
    assert.ok(
      (summary.byAction.Heartbeat?.calls ?? 0) >= STATIONS,
      'heartbeats at the interval the CSMS gave',
    );
  });

  test('charge: a charging day, every transaction completed', async () => {
    const summary = await run('charge', 5);
    assert.deepEqual(summary.errorSamples, []);
    assert.equal(summary.errors, 0);
    assert.ok(summary.transactionsStarted > STATIONS, `transactions: ${summary.transactionsStarted}`);
    assert.equal(summary.transactionsEnded, summary.transactionsStarted);
    assert.ok(summary.energyKWh > 0);
    const active = await csms.stores.transactions.list({ active: true });
    assert.equal(active.total, 0, 'nothing left running in the CSMS');
    const ended = await csms.stores.transactions.list({ active: false, limit: 1 });
    assert.equal(Number(ended.total), summary.transactionsEnded);
  });

  test('boot-storm: all at once, with rates', async () => {
    const summary = await run('boot-storm', 20);
    assert.equal(summary.errors, 0);
    assert.equal(summary.accepted, STATIONS);
    assert.ok((summary.metrics.bootsPerS ?? 0) > 0);
    assert.ok((summary.metrics.connectsPerS ?? 0) > 0);
  });

  test('reconnect-storm: every station drops and comes back', async () => {
    const summary = await run('reconnect-storm', 20);
    assert.deepEqual(summary.errorSamples, []);
    assert.equal(summary.errors, 0);
    assert.equal(summary.metrics.reconnected, STATIONS);
    assert.ok(summary.elapsedS < 15, 'ends once all are back, not at the duration');
  });
});
