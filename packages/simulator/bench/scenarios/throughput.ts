/**
 * Throughput and latency over raw stations (a load process per server, the same frames for every server):
 * closed loop for the sustained rate of Heartbeats and MeterValues, then open loop at fixed offered
 * loads for the latency percentiles. Every server gets exactly the same load, so the CSMS, the
 * ocpp-rpc peer and the bare echo compare side by side.
 */

import type { LoadResult } from '../load/raw-load.js';
import type { LoadAction } from '../load/raw-stations.js';
import type { ClosedLoopRequest, OpenLoopRequest, RawUpRequest } from '../load-child.js';
import type { BenchOptions } from '../options.js';
import { startProgressLine } from '../progress.js';
import { type LoadChild, type RunningServer, startLoadChild, startServer, type Target } from '../targets.js';

export interface MeasuredLoad extends LoadResult {
  /** Server CPU time per wall-clock time during the run (1 = one core). */
  readonly serverCpu: number;
  /** Server CPU microseconds per answered request. */
  readonly serverCpuPerRequestUs: number;
  /** PostgreSQL's CPU microseconds per answered request (the CSMS on a PostgreSQL of this machine). */
  readonly databaseCpuPerRequestUs?: number;
}

export interface LoadShape {
  readonly key: string;
  readonly action: LoadAction;
  /** Undefined: closed loop. */
  readonly ratePerS: number | undefined;
}

export function loadShapes(options: BenchOptions): LoadShape[] {
  const actions: LoadAction[] = ['Heartbeat', 'MeterValues'];
  return [
    ...actions.map((action) => ({ key: `${action} closed`, action, ratePerS: undefined })),
    ...actions.flatMap((action) =>
      options.openRates.map((rate) => ({ key: `${action} @${rate}/s`, action, ratePerS: rate })),
    ),
  ];
}

export interface ThroughputRun {
  readonly target: Target['key'];
  readonly loads: Record<string, MeasuredLoad>;
  readonly errors: number;
}

/** A server up for the side-by-side runs, with the load child that holds its raw stations. */
export interface SideBySideServer {
  readonly target: Target;
  readonly server: RunningServer;
  readonly load: LoadChild;
}

/**
 * Every server up at once, each with a load child and its raw stations: for the interleaved loop of
 * section 4 (when it runs), then for each server's own load shapes, without starting any of them twice.
 */
export async function startSideBySide(
  targets: readonly Target[],
  options: BenchOptions,
): Promise<SideBySideServer[]> {
  const running: SideBySideServer[] = [];
  // Started side by side (the stations of one server connect while the next boots).
  const started = await Promise.allSettled(
    targets.map(async (target) => {
      const server = await startServer(target, options);
      const load = startLoadChild(`load-${target.key}`);
      running.push({ target, server, load });
      await holdRawStations(load, server, options);
    }),
  );
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await stopSideBySide(running);
    throw failed.reason;
  }
  return running.sort((a, b) => targets.indexOf(a.target) - targets.indexOf(b.target));
}

export async function stopSideBySide(running: readonly SideBySideServer[]): Promise<void> {
  await Promise.all(
    running.map(async ({ server, load }) => {
      await load.handle.request('raw-down').catch(() => {});
      await load.stop();
      await server.stop();
    }),
  );
}

/** The load child connects and boots the runs' raw stations to `server` (the same for every server). */
function holdRawStations(load: LoadChild, server: RunningServer, options: BenchOptions): Promise<number> {
  return load.handle.request<number>('raw-up', {
    url: server.info.ocppUrl,
    prefix: 'RAW',
    from: 0,
    count: options.loadStations,
  } satisfies RawUpRequest);
}

/** Every load shape, one after the other, on a server whose raw stations `load` already holds. */
export async function measureShapes(
  target: Target,
  server: RunningServer,
  load: LoadChild,
  options: BenchOptions,
  onLoad: (shape: LoadShape, result: MeasuredLoad) => void,
): Promise<ThroughputRun> {
  const loads: Record<string, MeasuredLoad> = {};
  let errors = 0;
  for (const shape of loadShapes(options)) {
    await server.cpu();
    server.databaseCpu();
    const started = performance.now();
    const runS = (options.warmupMs + (shape.ratePerS ? options.openDurationMs : options.durationMs)) / 1000;
    const stopProgress = startProgressLine(() => `${target.label}: ${shape.key}, ${runS} s run`);
    const result = await runShape(load, shape, options).finally(stopProgress);
    // The server's CPU over the whole request (warm-up and drain included), per wall-clock time.
    const wallMs = performance.now() - started;
    const serverCpuMs = await server.cpu();
    const databaseCpu = server.databaseCpu();
    const perRequestUs = (cpuMs: number) =>
      ((cpuMs / wallMs) * result.elapsedMs * 1000) / Math.max(result.answered, 1);
    const measured: MeasuredLoad = {
      ...result,
      serverCpu: serverCpuMs / wallMs,
      serverCpuPerRequestUs: perRequestUs(serverCpuMs),
      ...(databaseCpu !== undefined && { databaseCpuPerRequestUs: perRequestUs(databaseCpu) }),
    };
    loads[shape.key] = measured;
    errors += result.errors;
    onLoad(shape, measured);
  }
  return { target: target.key, loads, errors };
}

/** One closed-loop run of `action` on the stations `load` holds (here, and in the interleaved slices). */
export function closedLoop(
  load: LoadChild,
  action: LoadAction,
  warmupMs: number,
  durationMs: number,
): Promise<LoadResult> {
  return load.handle.request<LoadResult>('closed-loop', {
    action,
    warmupMs,
    durationMs,
  } satisfies ClosedLoopRequest);
}

function runShape(load: LoadChild, shape: LoadShape, options: BenchOptions): Promise<LoadResult> {
  if (shape.ratePerS === undefined)
    return closedLoop(load, shape.action, options.warmupMs, options.durationMs);
  return load.handle.request<LoadResult>('open-loop', {
    action: shape.action,
    ratePerS: shape.ratePerS,
    warmupMs: options.warmupMs,
    durationMs: options.openDurationMs,
  } satisfies OpenLoopRequest);
}
