/**
 * The message log policy (--message-log): by default every frame but Heartbeats and their answers is
 * kept; `all` keeps those too, `off` keeps nothing. The live event stream gets every frame whatever
 * the policy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { CsmsEvent } from '../../src/events.js';
import { startTestCsms, type TestCsms } from '../support/csms.js';
import { eventually } from '../support/eventually.js';
import { Stations } from './stations.js';

const policies = [
  { policy: undefined, logged: ['BootNotification', 'Authorize'] },
  { policy: 'all', logged: ['BootNotification', 'Heartbeat', 'Authorize'] },
  { policy: 'off', logged: [] },
] as const;

for (const { policy, logged } of policies) {
  describe(`message log policy ${policy ?? '(default: no-heartbeats)'}`, () => {
    let csms: TestCsms;
    const stations = new Stations(() => csms);
    before(async () => {
      csms = await startTestCsms('pglite', policy ? { messageLog: policy } : {});
    });
    after(async () => {
      await stations.closeAll();
      await csms.stop();
    });

    test(`keeps ${logged.length ? logged.join(', ') : 'nothing'}; the live stream sees every frame`, async () => {
      const seen: CsmsEvent[] = [];
      const unsubscribe = csms.events.subscribe((event) => seen.push(event));
      const { identity, station } = await stations.booted();
      await station.call('Heartbeat', {});
      await station.call('Authorize', { idTag: 'ANY' });
      unsubscribe();
      const live = seen.filter((e) => e.type === 'message' && e.identity === identity);
      assert.equal(live.length, 6, 'three CALLs and three answers streamed');
      // The recorder writes in batches; the Authorize answer is the last frame.
      const rows = await eventually(async () => {
        const recent = await csms.stores.messageLog.listRecent(identity, { limit: 20 });
        return logged.length === 0 || recent.length >= logged.length * 2 ? recent : undefined;
      }, 'the message log to be written');
      if (logged.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
      const stored = await csms.stores.messageLog.listRecent(identity, { limit: 20 });
      assert.deepEqual(
        stored.map((row) => `${row.direction} ${row.message_type} ${row.action}`).reverse(),
        logged.flatMap((action) => [`in CALL ${action}`, `out CALLRESULT ${action}`]),
      );
      assert.equal(rows.length, stored.length);
    });
  });
}

test('--message-log takes all, no-heartbeats or off', () => {
  assert.equal(loadConfig([]).messageLog, 'no-heartbeats');
  assert.equal(loadConfig(['--message-log', 'all']).messageLog, 'all');
  assert.equal(loadConfig([], { CSMS_MESSAGE_LOG: 'off' }).messageLog, 'off');
  assert.throws(
    () => loadConfig(['--message-log', 'some']),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.message === '--message-log / CSMS_MESSAGE_LOG must be all, no-heartbeats or off, not "some"',
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
