/**
 * The message log policy (--message-log). By default (no-periodic) every frame is kept but the
 * periodic messages (Heartbeat, MeterValues) answered with a CALLRESULT; one answered with a
 * CALLERROR is kept with its error. no-heartbeats drops only such Heartbeats, `all` keeps
 * everything, `off` nothing. The live event stream gets every frame whatever the policy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type * as v16 from 'ocppkit/v16';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { CsmsEvent } from '../../src/events.js';
import { startTestCsms, type TestCsms } from '../support/csms.js';
import { eventually } from '../support/eventually.js';
import { assertCallError, Stations } from './stations.js';

/** What each station sends after its boot, in order, and how each exchange is logged. */
const BOOTED = 'in CALL BootNotification / out CALLRESULT BootNotification';
const HEARTBEAT = 'in CALL Heartbeat / out CALLRESULT Heartbeat';
const METER_VALUES = 'in CALL MeterValues / out CALLRESULT MeterValues';
const BAD_METER_VALUES = 'in CALL MeterValues / out CALLERROR MeterValues';
const AUTHORIZE = 'in CALL Authorize / out CALLRESULT Authorize';

const policies = [
  { policy: undefined, logged: [BOOTED, BAD_METER_VALUES, AUTHORIZE] },
  { policy: 'no-heartbeats', logged: [BOOTED, METER_VALUES, BAD_METER_VALUES, AUTHORIZE] },
  { policy: 'all', logged: [BOOTED, HEARTBEAT, METER_VALUES, BAD_METER_VALUES, AUTHORIZE] },
  { policy: 'off', logged: [] },
] as const;

/** Frames the exchanges of `logged` are, oldest first. */
const framesOf = (logged: readonly string[]) => logged.flatMap((exchange) => exchange.split(' / '));

async function sendEverything(station: v16.ChargePoint): Promise<void> {
  await station.call('Heartbeat', {});
  const sample = { timestamp: new Date().toISOString(), sampledValue: [{ value: '100' }] };
  await station.call('MeterValues', { connectorId: 1, meterValue: [sample] });
  // A MeterValues the CSMS refuses, sent without the station's own validation: sampledValue is
  // required: a missing property is an OccurenceConstraintViolation (OCPP-J 1.6 §4.2.3).
  const bad = { connectorId: 1, meterValue: [{ timestamp: sample.timestamp }] };
  await assertCallError(
    station.call('MeterValues', bad as never, { validate: false }),
    'OccurenceConstraintViolation',
  );
  await station.call('Authorize', { idTag: 'ANY' });
}

for (const { policy, logged } of policies) {
  describe(`message log policy ${policy ?? '(default: no-periodic)'}`, () => {
    let csms: TestCsms;
    const stations = new Stations(() => csms);
    before(async () => {
      csms = await startTestCsms('pglite', policy ? { messageLog: policy } : {});
    });
    after(async () => {
      await stations.closeAll();
      await csms.stop();
    });

    test(`keeps ${logged.length} of the 5 exchanges; the live stream sees every frame`, async () => {
      const seen: CsmsEvent[] = [];
      const unsubscribe = csms.events.subscribe((event) => seen.push(event));
      const { identity, station } = await stations.booted();
      await sendEverything(station);
      unsubscribe();
      const live = seen.filter((e) => e.type === 'message' && e.identity === identity);
      assert.equal(live.length, 10, 'five CALLs and five answers streamed');
      // The recorder writes in batches; the Authorize answer is the last frame.
      const expected = framesOf(logged);
      const rows = await eventually(async () => {
        const recent = await csms.stores.messageLog.listRecent(identity, { limit: 20 });
        return expected.length === 0 || recent.length >= expected.length ? recent : undefined;
      }, 'the message log to be written');
      if (expected.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
      const stored = await csms.stores.messageLog.listRecent(identity, { limit: 20 });
      assert.deepEqual(
        stored.map((row) => `${row.direction} ${row.message_type} ${row.action}`).reverse(),
        expected,
      );
      assert.equal(rows.length, stored.length);
      const listed = await csms.api(`/api/v1/stations/${identity}/messages`);
      assert.equal(listed.body.policy, policy ?? 'no-periodic', 'the API says which frames are left out');
      assert.equal(listed.body.items.length, expected.length);
    });
  });
}

test('--message-log takes all, no-periodic, no-heartbeats or off', () => {
  assert.equal(loadConfig([]).messageLog, 'no-periodic');
  assert.equal(loadConfig(['--message-log', 'all']).messageLog, 'all');
  assert.equal(loadConfig(['--message-log', 'no-heartbeats']).messageLog, 'no-heartbeats');
  assert.equal(loadConfig([], { CSMS_MESSAGE_LOG: 'off' }).messageLog, 'off');
  assert.throws(
    () => loadConfig(['--message-log', 'some']),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.message ===
        '--message-log / CSMS_MESSAGE_LOG must be all, no-periodic, no-heartbeats or off, not "some"',
  );
});

describe('message log size (--message-log-size)', () => {
  let csms: TestCsms;
  const stations = new Stations(() => csms);
  const KEEP = 6;
  before(async () => {
    csms = await startTestCsms('pglite', { messageLogSize: String(KEEP) });
  });
  after(async () => {
    await stations.closeAll();
    await csms.stop();
  });

  const logged = async (identity: string) =>
    (await csms.stores.messageLog.listRecent(identity, { limit: 1000 })).length;

  test('a busy station is trimmed to the newest rows once its log has grown by as much again', async () => {
    const { identity, station } = await stations.booted();
    for (let i = 0; i < 10; i++) await station.call('Authorize', { idTag: `T${i}` });
    // A row per CALL and its answer (two frames). A trim comes due at every KEEP-th row: the
    // newest KEEP rows are kept, plus at most the KEEP - 1 logged after the last trim came due.
    const frames = await eventually(async () => {
      const recent = await csms.stores.messageLog.listRecent(identity, { limit: 1000 });
      const lastWritten = recent.some((row) => (row.payload as { idTag?: string }).idTag === 'T9');
      return lastWritten && recent.length <= 2 * (2 * KEEP - 1) ? recent : undefined;
    }, 'the log to be written and trimmed');
    assert.ok(frames.length >= 2 * KEEP, `the newest ${KEEP} rows are kept (${frames.length} frames)`);
    assert.deepEqual(
      frames.slice(0, 2).map((frame) => [frame.message_type, frame.action]),
      [
        ['CALLRESULT', 'Authorize'],
        ['CALL', 'Authorize'],
      ],
    );
  });

  test('a station whose connections are short is trimmed when it disconnects', async () => {
    const identity = stations.identity();
    // Each connection logs 2 rows (4 frames), fewer than KEEP: only the disconnects can trim.
    for (let round = 0; round < 4; round++) {
      const station = await stations.connect(identity);
      await station.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
      await station.call('Authorize', { idTag: `R${round}` });
      await station.close();
      await eventually(async () => !csms.gateway.isConnected(identity), 'the disconnect');
    }
    await eventually(async () => (await logged(identity)) === 2 * KEEP, 'the log to be trimmed to its size');
  });
});
