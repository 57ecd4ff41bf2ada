/**
 * The station's parts on their own: the meter, the composite schedule of charging profiles, the
 * local authorization list, the 2.0.1 device model, and the retry rules of the transaction queue.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CallErrorResponse, OcppError } from 'ocppkit';
import { ChargingProfiles, type StoredProfile } from '../src/charging-profiles.js';
import { DeviceModel201 } from '../src/device-model-201.js';
import { LocalAuthList } from '../src/local-auth-list.js';
import { Meter } from '../src/meter.js';
import { TransactionQueue } from '../src/offline-queue.js';

describe('meter', () => {
  test('the register rises at the power, compressed by speed, capped by the limit', () => {
    let now = 0;
    let limit: number | undefined;
    const meter = new Meter({ powerKw: 11, speed: 60, startWh: 1000, now: () => now, limitW: () => limit });
    meter.start();
    now = 60_000; // one real minute = one simulated hour
    assert.deepEqual(meter.read(), { timestamp: new Date(60_000), energyWh: 12_000, powerW: 11_000 });
    limit = 3680;
    now = 120_000;
    assert.equal(meter.read().energyWh, 15_680);
    meter.stop();
    now = 180_000;
    assert.deepEqual(meter.read(), { timestamp: new Date(180_000), energyWh: 15_680, powerW: 0 });
  });
});

describe('charging profiles', () => {
  const profile = (p: Partial<StoredProfile> & Pick<StoredProfile, 'id' | 'purpose'>): StoredProfile => ({
    connectorId: 0,
    stackLevel: 0,
    kind: 'Relative',
    unit: 'W',
    periods: [{ startPeriod: 0, limit: 7000 }],
    ...p,
  });

  test('TxProfile overrides TxDefault while a transaction runs; the station maximum caps both', () => {
    const profiles = new ChargingProfiles();
    profiles.install(profile({ id: 1, purpose: 'TxDefault', periods: [{ startPeriod: 0, limit: 7000 }] }));
    profiles.install(
      profile({ id: 2, purpose: 'Tx', connectorId: 1, periods: [{ startPeriod: 0, limit: 9000 }] }),
    );
    assert.equal(profiles.limitW(1, 0, undefined), 7000);
    assert.equal(profiles.limitW(1, 0, 0), 9000);
    profiles.install(
      profile({ id: 3, purpose: 'StationMax', unit: 'A', periods: [{ startPeriod: 0, limit: 10 }] }),
    );
    assert.equal(profiles.limitW(1, 0, 0), 6900);
    profiles.clearTransaction(1);
    assert.equal(profiles.clear({ id: 2 }), 0);
    assert.equal(profiles.clear({ purpose: 'StationMax' }), 1);
  });

  test('the composite schedule follows an absolute schedule and the station maximum', () => {
    const profiles = new ChargingProfiles();
    const start = Date.parse('2030-01-01T00:00:00Z');
    profiles.install(
      profile({
        id: 1,
        purpose: 'TxDefault',
        kind: 'Absolute',
        startSchedule: new Date(start).toISOString(),
        duration: 3600,
        periods: [
          { startPeriod: 0, limit: 20_000 },
          { startPeriod: 600, limit: 4000 },
        ],
      }),
    );
    const periods = profiles.composite(1, start - 300_000, 7200, undefined, 'W', 11_000);
    assert.deepEqual(periods, [
      { startPeriod: 0, limit: 11_000 },
      { startPeriod: 900, limit: 4000 },
      { startPeriod: 3900, limit: 11_000 },
    ]);
  });
});

describe('local authorization list', () => {
  test('full and differential updates, with version checks', () => {
    const list = new LocalAuthList(2);
    assert.equal(list.update(1, 'Full', [{ idToken: 'A', status: 'Accepted' }]), 'Accepted');
    assert.equal(list.update(1, 'Differential', [{ idToken: 'B', status: 'Blocked' }]), 'VersionMismatch');
    assert.equal(list.update(2, 'Differential', [{ idToken: 'B', status: 'Blocked' }]), 'Accepted');
    assert.equal(list.statusOf('B'), 'Blocked');
    assert.equal(list.update(3, 'Differential', [{ idToken: 'C', status: 'Accepted' }]), 'Failed');
    assert.equal(list.update(3, 'Differential', [{ idToken: 'A', status: undefined }]), 'Accepted');
    assert.equal(list.statusOf('A'), undefined);
    assert.equal(list.version, 3);
  });
});

describe('device model', () => {
  const model = new DeviceModel201({
    identity: 'X',
    vendor: 'v',
    model: 'm',
    evses: 2,
    powerKw: 11,
    heartbeatIntervalS: 300,
    meterIntervalS: 60,
    availability: (evseId) => (evseId === 2 ? 'Unavailable' : 'Available'),
    localListEntries: () => 0,
  });
  const heartbeat = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } };

  test('GetVariables and SetVariables statuses', () => {
    assert.equal(model.set({ ...heartbeat, attributeValue: 'soon' }).attributeStatus, 'Rejected');
    assert.equal(model.set({ ...heartbeat, attributeValue: '60' }).attributeStatus, 'Accepted');
    assert.equal(model.get(heartbeat).attributeValue, '60');
    assert.equal(
      model.get({ ...heartbeat, attributeType: 'Target' }).attributeStatus,
      'NotSupportedAttributeType',
    );
    assert.equal(model.get({ ...heartbeat, variable: { name: 'Nope' } }).attributeStatus, 'UnknownVariable');
    const identity = { component: { name: 'SecurityCtrlr' }, variable: { name: 'Identity' } };
    assert.equal(model.set({ ...identity, attributeValue: 'Y' }).attributeStatus, 'Rejected');
    const evse2 = { component: { name: 'EVSE', evse: { id: 2 } }, variable: { name: 'AvailabilityState' } };
    assert.equal(model.get(evse2).attributeValue, 'Unavailable');
    assert.equal(
      model.get({ ...evse2, component: { name: 'EVSE', evse: { id: 3 } } }).attributeStatus,
      'UnknownComponent',
    );
  });

  test('base reports: configuration is what can be set, summary is availability', () => {
    assert.ok(
      model.report('ConfigurationInventory').every((r) => r.variableAttribute[0]?.mutability !== 'ReadOnly'),
    );
    assert.deepEqual(
      new Set(model.report('SummaryInventory').map((r) => r.variable.name)),
      new Set(['AvailabilityState']),
    );
    assert.ok(model.report('FullInventory').length > model.report('ConfigurationInventory').length);
  });
});

describe('transaction queue', () => {
  test('a CALLERROR is retried, then given up after the last attempt; the next message goes on', async () => {
    const sent: string[] = [];
    const givenUp: string[] = [];
    const queue = new TransactionQueue({
      send: async (action, payload) => {
        sent.push(`${action}:${String(payload.n)}`);
        if (action === 'Bad') throw new CallErrorResponse(action, 'InternalError', 'InternalError', '', {});
        return {};
      },
      canSend: () => true,
      maxAttempts: () => 3,
      retryIntervalMs: () => 5,
      onGiveUp: (action) => givenUp.push(action),
    });
    let n = 0;
    const bad = queue.push('Bad', () => ({ n: ++n }));
    const good = queue.push('Good', () => ({ n: ++n }));
    await assert.rejects(bad, CallErrorResponse);
    await good;
    assert.deepEqual(sent, ['Bad:1', 'Bad:2', 'Bad:3', 'Good:4']);
    assert.deepEqual(givenUp, ['Bad']);
  });

  test('a lost connection keeps the message at the head until resume()', async () => {
    let online = true;
    const sent: string[] = [];
    const queue = new TransactionQueue({
      send: async (action) => {
        if (!online) throw new OcppError('OCPP_ERR_CONNECTION_CLOSED', 'gone');
        sent.push(action);
        return {};
      },
      canSend: () => online,
      maxAttempts: () => 1,
      retryIntervalMs: () => 0,
    });
    online = false;
    const first = queue.push('First', () => ({}));
    queue.push('Second', () => ({}));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(queue.length, 2);
    online = true;
    queue.resume();
    await first;
    await queue.whenEmpty();
    assert.deepEqual(sent, ['First', 'Second']);
  });
});
