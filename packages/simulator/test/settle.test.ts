/**
 * The rule that decides when a server's memory is that of an idle process (bench/settle.ts), driven
 * through scripted heap samples on a fake clock: what V8 did in the boot storms measured, step by step.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type HeapSample, SETTLE_MAX_MS, settle } from '../bench/settle.js';

const MB = 1 << 20;

/** A process whose heap goes through `steps` (one per collection), then stays at the last. */
function scripted(steps: readonly (readonly [heapTotalMb: number, newSpaceMb: number])[]) {
  let clock = 0;
  let index = 0;
  let collections = 0;
  const sample = (): HeapSample => {
    const [heapTotal, newSpace] = steps[Math.min(index, steps.length - 1)]!;
    return {
      rss: heapTotal * MB + 50 * MB,
      heapTotal: heapTotal * MB,
      heapUsed: 0,
      external: 0,
      newSpace: newSpace * MB,
    };
  };
  return {
    process: {
      collect: async () => {
        collections += 1;
        index += 1;
      },
      sample,
      sleep: async (ms: number) => {
        clock += ms;
      },
      now: () => clock,
    },
    collections: () => collections,
    seconds: () => clock / 1000,
  };
}

test('waits for the young generation to come back to its idle size, not only for a stable heap', async () => {
  // What the storms showed: the heap stops shrinking at once, the young generation (32 MB) is
  // given back only at the 7th collection.
  const run = scripted([
    [160, 32],
    [160, 32],
    [160, 32],
    [160, 32],
    [160, 32],
    [160, 32],
    [160, 32],
    [129, 1],
  ]);
  const settled = await settle(run.process, 1 * MB);
  assert.equal(settled.newSpace, 1 * MB);
  assert.equal(settled.heapTotal, 129 * MB);
  // Five stable steps after the shrink at the 7th collection.
  assert.equal(run.collections(), 12);
});

test('a heap that is idle at once is sampled after five stable seconds', async () => {
  const run = scripted([[100, 1]]);
  const settled = await settle(run.process, 1 * MB);
  assert.equal(settled.heapTotal, 100 * MB);
  assert.equal(run.seconds(), 5);
});

test('a shrinking old space restarts the count', async () => {
  const run = scripted([
    [200, 1],
    [200, 1],
    [200, 1],
    [150, 1],
    [150, 1],
  ]);
  const settled = await settle(run.process, 1 * MB);
  assert.equal(settled.heapTotal, 150 * MB);
  assert.equal(run.collections(), 8);
});

test('gives up after the longest wait when the young generation never shrinks', async () => {
  const run = scripted([[160, 32]]);
  const settled = await settle(run.process, 1 * MB);
  assert.equal(settled.newSpace, 32 * MB);
  assert.equal(run.seconds(), SETTLE_MAX_MS / 1000);
});
