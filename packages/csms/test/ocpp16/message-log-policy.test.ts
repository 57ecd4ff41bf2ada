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
