/**
 * BatchWriter's give-way rule: rows nobody waits for (the message log) wait while the database runs
 * writes stations wait for, bounded in time and rows; rows somebody waits for never wait. And its
 * gathering: rows nobody waits for are written at most once per gatherMs under steady traffic.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatchWriter } from '../../src/ocpp/batch-writer.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('loose rows wait while the foreground is busy, and are written once it is not', async () => {
  const written: number[][] = [];
  let busy = true;
  const writer = new BatchWriter<number>(async (rows) => void written.push(rows), {
    yieldTo: { busy: () => busy, maxMs: 10_000, maxRows: 1000 },
  });
  writer.add(1);
  writer.add(2);
  await sleep(80);
  assert.deepEqual(written, [], 'nothing written while busy');
  busy = false;
  await writer.flush();
  assert.deepEqual(written, [[1, 2]]);
});

test('rows somebody waits for are written at once, busy or not', async () => {
  const written: number[][] = [];
  const writer = new BatchWriter<number>(async (rows) => void written.push(rows), {
    yieldTo: { busy: () => true, maxMs: 10_000, maxRows: 1000 },
  });
  await writer.write([7]);
  assert.deepEqual(written, [[7]]);
});

test('loose rows give way for at most maxMs, and at most maxRows', async () => {
  const written: number[][] = [];
  const timed = new BatchWriter<number>(async (rows) => void written.push(rows), {
    yieldTo: { busy: () => true, maxMs: 100, maxRows: 1000 },
  });
  const started = Date.now();
  timed.add(1);
  await timed.flush();
  assert.deepEqual(written, [[1]]);
  assert.ok(Date.now() - started >= 90, 'waited about maxMs');

  written.length = 0;
  const counted = new BatchWriter<number>(async (rows) => void written.push(rows), {
    yieldTo: { busy: () => true, maxMs: 60_000, maxRows: 3 },
  });
  counted.add(1);
  counted.add(2);
  await sleep(30);
  assert.deepEqual(written, []);
  counted.add(3);
  await counted.flush();
  assert.deepEqual(written, [[1, 2, 3]]);
});

test('under steady traffic, rows nobody waits for are written once per gatherMs, not after every write', async () => {
  const written: number[][] = [];
  // A write that takes 3 ms, as a batch of log rows does on a busy PGlite.
  const writer = new BatchWriter<number>(
    async (rows) => {
      written.push(rows);
      await sleep(3);
    },
    { gatherMs: 40, maxBatch: 500 },
  );
  // A row every ~2 ms for 400 ms, as 1,000 requests/s log 2,000 rows/s across a few timers.
  let next = 0;
  const until = Date.now() + 400;
  while (Date.now() < until) {
    writer.add(next++);
    await sleep(2);
  }
  await writer.flush();
  assert.deepEqual(
    written.flat(),
    Array.from({ length: next }, (_, i) => i),
    'every row, once, in order',
  );
  // ~400 ms / 40 ms: about 10 writes (the timers here are coarse); one per row or two without the rule.
  assert.ok(written.length <= 15, `${written.length} writes for ${next} rows`);
});

test('a full batch of rows nobody waits for is written without waiting', async () => {
  const written: number[][] = [];
  const writer = new BatchWriter<number>(async (rows) => void written.push(rows), {
    gatherMs: 200,
    maxBatch: 3,
  });
  const started = Date.now();
  for (let i = 0; i < 9; i++) writer.add(i);
  await writer.flush();
  assert.deepEqual(written, [
    [0, 1, 2],
    [3, 4, 5],
    [6, 7, 8],
  ]);
  assert.ok(Date.now() - started < 400, 'one gather window at the start, none between full batches');
});
