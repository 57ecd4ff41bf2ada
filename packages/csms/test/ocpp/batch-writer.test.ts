/**
 * BatchWriter's give-way rule: rows nobody waits for (the message log) wait while the database runs
 * writes stations wait for, bounded in time and rows; rows somebody waits for never wait.
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
