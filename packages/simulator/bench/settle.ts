/**
 * When a server's memory is that of an idle process (server-child.ts measures it so). After a burst
 * (a boot storm, or the server's own start-up) V8 keeps its young generation grown (32 MB here) and
 * old-space pages the burst's garbage left half empty; it gives them back once its allocation rate
 * has been low for a while (its memory reducer). So: a full collection every second until the V8 heap
 * has not shrunk for 5 s in a row, with the young generation back at the size it had when the
 * process started, or at most 30 s.
 *
 * The young generation's condition is this round's (2026-11-25): it shrank only after 6 s of
 * collections in a scratch script, after 5 s of a stable heap had already ended the wait; of 9
 * boot storms measured, 4 were sampled with it still at 32 MB, which is ~1.7 KB per station at
 * 19,000 (the CSMS on PostgreSQL read 7.2–7.7 KB then, 5.5–6.0 KB otherwise).
 */

export interface HeapSample {
  readonly rss: number;
  readonly heapTotal: number;
  readonly heapUsed: number;
  readonly external: number;
  /** The young generation's size (V8's new_space). */
  readonly newSpace: number;
}

export interface SettleProcess {
  /** A full collection here (and in the process's other isolates). */
  collect(): Promise<void>;
  sample(): HeapSample;
  sleep(ms: number): Promise<void>;
  now(): number;
}

export const SETTLE_STEP_MS = 1000;
export const SETTLE_STABLE_STEPS = 5;
export const SETTLE_MAX_MS = 30_000;
const SETTLE_TOLERANCE_BYTES = 1 << 20;

/** Collects until the heap is idle (see above); `idleNewSpace` is the young generation's size at start. */
export async function settle(process: SettleProcess, idleNewSpace: number): Promise<HeapSample> {
  const t0 = process.now();
  let last = process.sample();
  let stable = 0;
  while (stable < SETTLE_STABLE_STEPS && process.now() - t0 < SETTLE_MAX_MS) {
    await process.sleep(SETTLE_STEP_MS);
    await process.collect();
    const now = process.sample();
    const shrunk = now.heapTotal < last.heapTotal - SETTLE_TOLERANCE_BYTES;
    stable = shrunk || now.newSpace > idleNewSpace ? 0 : stable + 1;
    last = now;
  }
  return last;
}
