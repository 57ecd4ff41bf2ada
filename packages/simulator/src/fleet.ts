/**
 * Many simulated stations from one process, driven by a scenario, with a live progress line and a
 * summary at the end.
 * @example
 * const summary = await runFleet({ url: 'ws://localhost:9000/ocpp', stations: 100, scenario: 'charge' });
 * console.log(summary.errors, summary.metrics);
 */
import { setMaxListeners } from 'node:events';
import type { ReconnectOptions } from 'ocppkit';
import {
  type FleetContext,
  type ResolvedFleetOptions,
  sourceAddress,
  stationIdentity,
} from './fleet-context.js';
import { FleetStats, percentile } from './fleet-stats.js';
import { type ProgressTarget, startProgress } from './progress.js';
import { SCENARIOS, type ScenarioName } from './scenarios/index.js';
import { createStation } from './station.js';
import type { Station, StationProtocol } from './station-api.js';

export interface FleetOptions {
  readonly url: string;
  readonly stations: number;
  readonly scenario: ScenarioName;
  readonly protocol?: StationProtocol | 'mixed';
  /** Seconds the scenario runs at most (default 60). */
  readonly durationS?: number;
  /** Simulated seconds per real second (default 60). */
  readonly speed?: number;
  readonly idPrefix?: string;
  /** Id token the charge scenario presents; the CSMS must know it (default SIMTAG). */
  readonly idToken?: string;
  readonly connectors?: number;
  readonly meterIntervalS?: number;
  readonly powerKw?: number;
  readonly password?: string;
  /** Spread source addresses over 127.0.0.0/8 (default: on Linux, where all of it is local). */
  readonly spreadAddresses?: boolean;
  /** Handshakes in flight at once while launching (default 200; boot-storm launches all at once). */
  readonly connectConcurrency?: number;
  readonly reconnect?: ReconnectOptions;
  /** Progress line target (default process.stderr); false for none. */
  readonly progress?: ProgressTarget | false;
  readonly signal?: AbortSignal;
}

export interface FleetSummary {
  readonly scenario: ScenarioName;
  readonly protocol: StationProtocol | 'mixed';
  readonly stations: number;
  readonly elapsedS: number;
  /** Stations that connected at least once. */
  readonly connected: number;
  /** BootNotifications accepted. */
  readonly accepted: number;
  readonly framesIn: number;
  readonly framesOut: number;
  readonly calls: number;
  readonly failedCalls: number;
  /** CALLs cut off by the fleet's own drops and closes (reconnect-storm, end of run). */
  readonly interruptedCalls: number;
  readonly errors: number;
  readonly errorSamples: readonly string[];
  readonly transactionsStarted: number;
  readonly transactionsEnded: number;
  readonly energyKWh: number;
  readonly latencyMs: {
    readonly p50: number;
    readonly p95: number;
    readonly p99: number;
    readonly max: number;
  };
  readonly byAction: Record<
    string,
    { readonly calls: number; readonly errors: number; readonly p95Ms: number }
  >;
  /** Scenario figures, e.g. bootsPerS, allBootedS, reconnectS. */
  readonly metrics: Record<string, number>;
}

export async function runFleet(input: FleetOptions): Promise<FleetSummary> {
  const options = resolveFleetOptions(input);
  const scenario = SCENARIOS[input.scenario];
  if (!scenario)
    throw new Error(`Unknown scenario ${input.scenario}; use one of ${Object.keys(SCENARIOS).join(', ')}`);
  const stats = new FleetStats();
  const abort = new AbortController();
  // Every connector of every station sleeps on this signal.
  setMaxListeners(0, abort.signal);
  const onOuterAbort = () => abort.abort();
  input.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const deadline = setTimeout(() => abort.abort(), options.durationS * 1000);
  const target = input.progress === undefined ? process.stderr : input.progress;
  const stopProgress = target ? startProgress(stats, input.scenario, options.stations, target) : () => {};
  const stations: Station[] = [];
  const context: FleetContext = {
    options,
    stats,
    signal: abort.signal,
    stations,
    metrics: {},
    launch: (concurrency) => launch(context, concurrency ?? options.connectConcurrency),
    sleep: (ms) => abortableSleep(ms, abort.signal),
  };
  try {
    await scenario.run(context);
  } finally {
    clearTimeout(deadline);
    input.signal?.removeEventListener('abort', onOuterAbort);
    abort.abort();
    stopProgress();
    await Promise.all(stations.map((s) => s.close().catch(() => {})));
  }
  return summarize(input.scenario, options, stats, context.metrics);
}

function resolveFleetOptions(input: FleetOptions): ResolvedFleetOptions {
  const speed = input.speed ?? 60;
  return {
    url: input.url,
    stations: input.stations,
    protocol: input.protocol ?? 'ocpp1.6',
    durationS: input.durationS ?? 60,
    speed,
    idPrefix: input.idPrefix ?? 'SIM',
    idToken: input.idToken ?? 'SIMTAG',
    connectors: input.connectors ?? 2,
    meterIntervalS: input.meterIntervalS ?? 60,
    powerKw: input.powerKw ?? 11,
    password: input.password,
    spreadAddresses: input.spreadAddresses ?? process.platform === 'linux',
    connectConcurrency: input.connectConcurrency ?? 200,
    reconnect: input.reconnect ?? { minWaitMs: 1000, randomRangeMs: 4000, repeatTimes: 3 },
  };
}

async function launch(context: FleetContext, concurrency: number): Promise<void> {
  const { options, stats, signal } = context;
  let next = 0;
  const aborted = new Promise<void>((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  const worker = async () => {
    while (next < options.stations && !signal.aborted) {
      const index = next++;
      const identity = stationIdentity(options.idPrefix, index, options.stations);
      const protocol =
        options.protocol === 'mixed' ? (index % 2 ? 'ocpp2.0.1' : 'ocpp1.6') : options.protocol;
      const station = createStation({
        url: options.url,
        identity,
        protocol,
        connectors: options.connectors,
        password: options.password,
        powerKw: options.powerKw,
        speed: options.speed,
        meterIntervalS: Math.max(1, Math.round(options.meterIntervalS / options.speed)),
        localAddress: options.spreadAddresses ? sourceAddress(index) : undefined,
        reconnect: options.reconnect,
        bootRetryS: 5,
        waitForBoot: false,
        onEvent: stats.listener(identity),
      });
      try {
        await station.start();
        context.stations.push(station);
        await Promise.race([station.whenAccepted(), aborted]);
      } catch (error) {
        stats.error(
          `${identity}: could not connect: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, options.stations)) }, worker));
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    // An infinite sleep lasts until the run is aborted (setTimeout would clamp it to 1 ms).
    const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
    signal.addEventListener('abort', done, { once: true });
  });
}

function summarize(
  scenario: ScenarioName,
  options: ResolvedFleetOptions,
  stats: FleetStats,
  metrics: Record<string, number>,
): FleetSummary {
  const all = [...stats.byAction.values()].flatMap((a) => a.latencies);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    scenario,
    protocol: options.protocol,
    stations: options.stations,
    elapsedS: round(stats.elapsedMs / 1000),
    connected: stats.firstConnect.length,
    accepted: stats.accepted.length,
    framesIn: stats.framesIn,
    framesOut: stats.framesOut,
    calls: stats.calls,
    failedCalls: stats.failedCalls,
    interruptedCalls: stats.interruptedCalls,
    errors: stats.errors,
    errorSamples: stats.errorSamples,
    transactionsStarted: stats.transactionsStarted,
    transactionsEnded: stats.transactionsEnded,
    energyKWh: round(stats.energyWh / 1000),
    latencyMs: {
      p50: round(percentile(all, 50)),
      p95: round(percentile(all, 95)),
      p99: round(percentile(all, 99)),
      max: round(all.reduce((m, v) => Math.max(m, v), 0)),
    },
    byAction: Object.fromEntries(
      [...stats.byAction].map(([action, a]) => [
        action,
        { calls: a.calls, errors: a.errors, p95Ms: round(percentile(a.latencies, 95)) },
      ]),
    ),
    metrics,
  };
}
