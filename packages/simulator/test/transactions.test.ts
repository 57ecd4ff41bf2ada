/**
 * Simulated 1.6 and 2.0.1 stations against the real CSMS, on each database: boot, charge with meter
 * values, stop — the CSMS stores the transaction with rising energy; and offline → online delivers
 * the queued transaction messages in order, so the CSMS ends up with one complete transaction.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Station, StationProtocol } from '../src/station.js';
import { simulateStation } from '../src/station.js';
import {
  databaseKinds,
  recordCalls,
  sleep,
  startTestCsms,
  type TestCsms,
  waitFor,
} from './support/helpers.js';

const PROTOCOLS: StationProtocol[] = ['ocpp1.6', 'ocpp2.0.1'];
const TOKEN = 'SIM-TX-TAG';

for (const kind of databaseKinds()) {
  // The tests use their own stations and run side by side.
  describe(`simulated stations charge on the CSMS (${kind})`, { concurrency: true }, () => {
    let csms: TestCsms;
    const stations: Station[] = [];
    before(async () => {
      csms = await startTestCsms(kind);
      await csms.stores.idTokens.create({ idToken: TOKEN });
    });
    after(async () => {
      await Promise.all(stations.map((s) => s.close()));
      await csms.stop();
    });

    async function station(
      identity: string,
      protocol: StationProtocol,
      onEvent?: Parameters<typeof simulateStation>[0]['onEvent'],
    ) {
      // Registered as Accepted up front, so the test does not depend on the unknown-station policy.
      await csms.stores.stations.create({ identity, registrationStatus: 'Accepted' });
      const s = await simulateStation({
        url: csms.ocppUrl,
        identity,
        protocol,
        meterIntervalS: 1,
        speed: 360, // an hour of charging every 10 s
        powerKw: 11,
        bootRetryS: 1,
        onEvent,
      });
      stations.push(s);
      return s;
    }

    async function storedTransaction(identity: string) {
      const { items } = await csms.stores.transactions.list({ stationIdentity: identity });
      assert.equal(items.length, 1, `one transaction for ${identity}`);
      return (await csms.stores.transactions.getWithMeterValues(Number(items[0]!.id)))!;
    }

    function energyReadings(meterValues: Array<{ measurand: string; value: unknown; sampled_at: Date }>) {
      return meterValues
        .filter((m) => m.measurand === 'Energy.Active.Import.Register')
        .sort((a, b) => a.sampled_at.getTime() - b.sampled_at.getTime())
        .map((m) => Number(m.value));
    }

    for (const protocol of PROTOCOLS) {
      const tag = protocol.replace(/\W/g, '');

      test(`${protocol}: boot, charge with meter values, stop — stored with rising energy`, async () => {
        const identity = `SIM-TX-${tag}`;
        const s = await station(identity, protocol);
        assert.equal(s.registrationStatus, 'Accepted');
        const started = await s.startCharging(1, TOKEN);
        assert.ok(started.transactionId !== undefined, 'the transaction has an id');
        assert.equal(s.connectors[0]!.status, protocol === 'ocpp1.6' ? 'Charging' : 'Occupied');
        await sleep(2600);
        const stopped = await s.stopCharging(1);
        await s.unplug(1);
        assert.ok(stopped.energyWh > 0);

        const tx = await storedTransaction(identity);
        assert.equal(tx.status, 'Ended');
        assert.equal(Number(tx.meter_stop) - Number(tx.meter_start), stopped.energyWh);
        const readings = energyReadings(tx.meterValues);
        assert.ok(readings.length >= 3, `at least start, two samples and stop (got ${readings.length})`);
        for (let i = 1; i < readings.length; i++)
          assert.ok(readings[i]! >= readings[i - 1]!, `rising: ${readings}`);
        assert.ok(readings.at(-1)! > readings[0]!);
        if (protocol === 'ocpp2.0.1') {
          const events = await csms.stores.transactions.listEvents(Number(tx.id));
          assert.deepEqual(
            events.map((e) => e.seq_no),
            events.map((_, i) => i),
          );
          assert.equal(events[0]!.event_type, 'Started');
          assert.equal(events.at(-1)!.event_type, 'Ended');
        }
        const status = await waitFor('connector status Available in the CSMS', async () => {
          const rows = await csms.stores.connectorStatus.listCurrent(identity);
          return rows.find((r) => r.evse_id === 1 && r.status === 'Available');
        });
        assert.ok(status);
      });

      test(`${protocol}: offline then online delivers the queued transaction in order`, async () => {
        const identity = `SIM-OFF-${tag}`;
        const recorder = recordCalls();
        const s = await station(identity, protocol, recorder.listener);
        await s.goOffline();
        assert.equal(s.online, false);
        await s.startCharging(2, TOKEN); // queued: offline authorization, start
        await sleep(2300); // two meter samples queued
        await s.stopCharging(2);
        assert.ok(s.queuedMessages >= 4, `queued ${s.queuedMessages}`);
        const sentBefore = recorder.calls.length;

        await s.comeBack();
        await s.drained();
        const sent = recorder.calls.slice(sentBefore).filter((c) => c.action !== 'StatusNotification');
        const tx = await storedTransaction(identity);
        assert.equal(tx.status, 'Ended');
        if (protocol === 'ocpp1.6') {
          assert.deepEqual(
            sent.map((c) => c.action),
            ['StartTransaction', ...sent.slice(1, -1).map(() => 'MeterValues'), 'StopTransaction'],
          );
          // Queued before the CSMS assigned it, sent with the real transactionId.
          for (const c of sent.slice(1)) assert.equal(c.payload.transactionId, Number(tx.id));
        } else {
          const events = sent.filter((c) => c.action === 'TransactionEvent');
          assert.equal(events.length, sent.length);
          assert.deepEqual(
            events.map((c) => c.payload.seqNo),
            events.map((_, i) => i),
          );
          assert.ok(events.every((c) => c.payload.offline === true));
          assert.deepEqual(
            (await csms.stores.transactions.listEvents(Number(tx.id))).map((e) => [e.seq_no, e.offline]),
            events.map((_, i) => [i, true]),
          );
        }
        assert.ok(energyReadings(tx.meterValues).length >= 3);
      });
    }
  });
}
