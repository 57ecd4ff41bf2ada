/**
 * The two load shapes over raw stations. Closed loop: every station keeps exactly one CALL
 * outstanding and sends the next when the answer arrives, so the rate is what the server sustains.
 * Open loop: CALLs leave on a fixed schedule whatever the answers do, and each latency counts from
 * the moment its CALL was due (no coordinated omission), so the percentiles are those a fleet
 * sending at that rate would see.
 */
import { performance } from 'node:perf_hooks';
import { percentile } from '../stats.js';
import type { LoadAction, RawStation } from './raw-stations.js';

export interface LoadResult {
  /** Answers counted in the measured window. */
  readonly answered: number;
  readonly elapsedMs: number;
  readonly ratePerS: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  /** CALLERROR answers, and CALLs never answered (open loop), in the measured window. */
  readonly errors: number;
  /** Load generator CPU time per wall-clock time (1 = one core). */
  readonly cpu: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function summarize(latencies: number[], answered: number, errors: number, elapsedMs: number, cpuMs: number) {
  latencies.sort((a, b) => a - b);
  return {
    answered,
    elapsedMs,
    ratePerS: (answered / elapsedMs) * 1000,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? 0,
    errors,
    cpu: cpuMs / elapsedMs,
  };
}

export async function closedLoop(
  stations: readonly RawStation[],
  action: LoadAction,
  warmupMs: number,
  durationMs: number,
): Promise<LoadResult> {
  let running = true;
  let measuring = false;
  let answered = 0;
  let errors = 0;
  const latencies: number[] = [];
  const idle: Array<() => void> = [];
  for (const station of stations) {
    station.onAnswer = (latency, failed) => {
      if (measuring) {
        answered += 1;
        if (failed) errors += 1;
        else latencies.push(latency);
      }
      if (running && station.connected) station.send(action);
      else if (station.outstanding === 0) idle.shift()?.();
    };
    station.send(action);
  }
  await sleep(warmupMs);
  const cpuMark = process.cpuUsage();
  const started = performance.now();
  measuring = true;
  await sleep(durationMs);
  measuring = false;
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuMark);
  running = false;
  // Let the last CALLs come back, so the next run starts from quiet sockets.
  const busy = stations.filter((s) => s.outstanding > 0).length;
  await Promise.race([
    Promise.all(Array.from({ length: busy }, () => new Promise<void>((resolve) => idle.push(resolve)))),
    sleep(10_000),
  ]);
  return summarize(latencies, answered, errors, elapsed, (cpu.user + cpu.system) / 1000);
}

export async function openLoop(
  stations: readonly RawStation[],
  action: LoadAction,
  ratePerS: number,
  warmupMs: number,
  durationMs: number,
): Promise<LoadResult> {
  let answered = 0;
  let errors = 0;
  const latencies: number[] = [];
  const intervalMs = 1000 / ratePerS;
  const t0 = performance.now();
  const measureFrom = t0 + warmupMs;
  const measureTo = measureFrom + durationMs;
  let inWindowSent = 0;
  for (const station of stations) {
    station.onAnswer = (latency, failed) => {
      // Latency counts from the due time; answers to CALLs due in the window are measured.
      const dueAt = performance.now() - latency;
      if (dueAt < measureFrom || dueAt >= measureTo) return;
      answered += 1;
      if (failed) errors += 1;
      else latencies.push(latency);
    };
  }
  let sent = 0;
  let next = 0;
  const cpuMark = process.cpuUsage();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      // Every CALL due by now leaves now, stamped with the moment it was due.
      for (
        let dueAt = t0 + sent * intervalMs;
        dueAt <= now && dueAt < measureTo;
        dueAt = t0 + sent * intervalMs
      ) {
        const station = stations[next]!;
        next = (next + 1) % stations.length;
        sent += 1;
        if (dueAt >= measureFrom) inWindowSent += 1;
        if (station.connected) station.send(action, dueAt);
      }
      if (now >= measureTo) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, 1);
  });
  const cpu = process.cpuUsage(cpuMark);
  // Late answers still count, with their full latency; what never comes back is an error.
  const deadline = performance.now() + 10_000;
  while (stations.some((s) => s.outstanding > 0) && performance.now() < deadline) await sleep(20);
  errors += inWindowSent - answered;
  const cpuMs = ((cpu.user + cpu.system) / 1000) * (durationMs / (warmupMs + durationMs));
  return summarize(latencies, answered, errors, durationMs, cpuMs);
}
