/**
 * The Heartbeat closed loop with the servers interleaved, for the ratio targets (the CSMS against the
 * peer and the echo). Every server is up at once, each with a load child and raw stations of its own,
 * and the closed loop runs in short slices: one server after the other, round after round, the order
 * turning by one each round. On the sixth round's machine the speed drifted by up to 2× within minutes
 * (BENCHMARKS.md, sixth round), so runs of 10 s a minute apart compared the servers on different
 * machines, in effect; slices a few seconds apart compare them on the same one.
 */
import type { BenchOptions } from '../options.js';
import type { LoadChild, Target } from '../targets.js';
import { closedLoop, type SideBySideServer } from './throughput.js';

/** Each slice's own warm-up: the stations start together, and the first answers come back in a burst. */
const SLICE_WARMUP_MS = 100;

export interface InterleavedRun {
  /** Heartbeats answered per second of measured slices, by server. */
  readonly rates: Partial<Record<Target['key'], number>>;
  readonly rounds: number;
  readonly sliceMs: number;
  readonly errors: number;
}

/** Slice length: 1 s (quick: 250 ms), and as many rounds as make the closed loop's duration. */
export function sliceOf(options: BenchOptions): { sliceMs: number; rounds: number } {
  const sliceMs = options.quick ? 250 : 1000;
  return { sliceMs, rounds: Math.max(1, Math.round(options.durationMs / sliceMs)) };
}

export async function runInterleaved(
  running: readonly SideBySideServer[],
  options: BenchOptions,
  onRound: (round: number, rounds: number) => void = () => {},
): Promise<InterleavedRun> {
  const { sliceMs, rounds } = sliceOf(options);
  const slice = (load: LoadChild, warmupMs: number) => closedLoop(load, 'Heartbeat', warmupMs, sliceMs);
  // Every server warmed up once (JIT, pools), unmeasured.
  for (const { load } of running) await slice(load, options.warmupMs);
  const answered = new Map<Target['key'], number>();
  const elapsedMs = new Map<Target['key'], number>();
  let errors = 0;
  for (let round = 0; round < rounds; round++) {
    onRound(round, rounds);
    for (let i = 0; i < running.length; i++) {
      const { target, load } = running[(round + i) % running.length]!;
      const result = await slice(load, SLICE_WARMUP_MS);
      answered.set(target.key, (answered.get(target.key) ?? 0) + result.answered);
      elapsedMs.set(target.key, (elapsedMs.get(target.key) ?? 0) + result.elapsedMs);
      errors += result.errors;
    }
  }
  const rates: Partial<Record<Target['key'], number>> = {};
  for (const { target } of running) {
    rates[target.key] = ((answered.get(target.key) ?? 0) / (elapsedMs.get(target.key) ?? 1)) * 1000;
  }
  return { rates, rounds, sliceMs, errors };
}
