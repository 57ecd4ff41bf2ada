/**
 * The message log is written behind the stations, and waits while they wait for the database (a
 * boot storm), so a frame's row must carry the time the frame was seen, not the time it was written.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { createStores } from '../../src/db/index.js';
import { groupCommits } from '../../src/ocpp/group-commits.js';
import { MessageRecorder } from '../../src/ocpp/message-recorder.js';
import { forEachDatabase } from '../support/databases.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

forEachDatabase('message recorder', (handle) => {
  test('a frame is stamped with the time it was seen, not the time its row was written', async () => {
    const stores = createStores(handle().db);
    const recorder = new MessageRecorder(stores, 100, pino({ level: 'silent' }));
    const station = { identity: 'MR-STAMP', logFramesSinceTrim: 0 };
    const seenAt = Date.now();
    recorder.record(station, {
      direction: 'in',
      text: '[2,"m1","Heartbeat",{}]',
      frame: [2, 'm1', 'Heartbeat', {}],
      action: 'Heartbeat',
    });
    // Stations waiting for the database (real group calls, one every 10 ms) hold the log back.
    const until = Date.now() + 400;
    while (Date.now() < until) {
      await groupCommits(stores).credentials.call(station.identity);
      await sleep(10);
    }
    assert.deepEqual(await stores.messageLog.listRecent(station.identity), [], 'not written while busy');
    await recorder.flush();
    const [row] = await stores.messageLog.listRecent(station.identity);
    assert.equal(row?.action, 'Heartbeat');
    const lag = row.created_at.getTime() - seenAt;
    assert.ok(lag >= 0 && lag < 100, `stamped ${lag} ms after it was seen`);
    assert.equal(station.logFramesSinceTrim, 1);
  });
});
