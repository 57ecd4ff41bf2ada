/**
 * Connections: a boot storm of N simulated stations against one server process (each connects,
 * boots, reports its connectors; the load is spread over several load processes, each under the fd
 * limit), then the stations are held idle and the server's memory is measured once it is idle
 * (server-child.ts, settledMemory): (RSS with the stations − RSS before they came) ÷ stations held. On the CSMS the
 * command fan-out runs next, over the same connections.
 */
import { stationIdentity } from '../../src/fleet-context.js';
import type { FleetProgress, FleetUpRequest, FleetUpResult } from '../load/fleet.js';
import type { BenchOptions } from '../options.js';
import { startProgressLine } from '../progress.js';
import { isCsms, type LoadChild, startLoadChild, startServer, type Target } from '../targets.js';
import { type FanoutRun, fanOut } from './fanout.js';

export interface ConnectionRun {
  readonly target: Target['key'];
  readonly stations: number;
  /** Connections the server itself counted while the stations were held. */
  readonly held: number;
  readonly settled: number;
  /** Seconds from the start of the storm until the last station connected, and until the last settled. */
  readonly connectS: number;
  readonly stormS: number;
  /** Stations connected, booted and stored per second over the whole storm. */
  readonly stormRate: number;
  readonly rssPerStation: number;
  readonly heapPerStation: number;
  /**
   * CPU per station over the storm, in ms: the server process's (all its threads; PostgreSQL's own
   * processes not included), and the load processes' together.
   */
  readonly serverCpuMsPerStation: number;
  readonly loadCpuMsPerStation: number;
  /** PostgreSQL's processes' CPU per station over the storm, in ms (the CSMS on a PostgreSQL of this machine). */
  readonly databaseCpuMsPerStation?: number;
  readonly errors: number;
  readonly errorSamples: readonly string[];
  readonly fanout: FanoutRun | undefined;
  /** [seconds since the storm began, stations stored so far], as the load processes reported (every 200 ms). */
  readonly curve: readonly (readonly [number, number])[];
}

const PREFIX = 'BENCH';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runConnections(
  target: Target,
  options: BenchOptions,
  withFanout: boolean,
): Promise<ConnectionRun> {
  const server = await startServer(target, options);
  const children: LoadChild[] = [];
  const progress = new Map<number, FleetProgress>();
  const sum = (key: keyof FleetProgress) => [...progress.values()].reduce((n, p) => n + p[key], 0);
  let t0 = 0;
  const curve: Array<[number, number]> = [[0, 0]];
  let stopProgress = () => {};
  try {
    // Quick mode (CI) checks errors only, so it does not wait for the memory to settle.
    const before = await server.memory(true, !options.quick);
    const perChild = Math.ceil(options.stations / options.loadChildren);
    for (let i = 0; i * perChild < options.stations; i++) {
      children.push(
        startLoadChild(`load-${i + 1}`, (p) => {
          progress.set(i, p as FleetProgress);
          if (t0) curve.push([(Date.now() - t0) / 1000, sum('settled')]);
        }),
      );
    }
    stopProgress = startProgressLine(
      () =>
        `${target.label}: connected ${sum('connected')}/${options.stations}  booted ${sum('booted')}  stored ${sum('settled')}  errors ${sum('errors')}`,
    );
    // The storm starts once every load process is up and listening, not while they load their code.
    await Promise.all(children.map((c) => c.handle.request('ready')));
    await server.cpu();
    server.databaseCpu();
    t0 = Date.now();
    const results = await Promise.all(
      children.map((child, i) =>
        child.handle.request<FleetUpResult>('fleet-up', {
          client: options.stormClient,
          url: server.info.ocppUrl,
          prefix: PREFIX,
          from: i * perChild,
          count: Math.min(perChild, options.stations - i * perChild),
          total: options.stations,
          connectors: options.connectors,
          concurrency: options.connectConcurrency,
          t0,
          timeoutMs: 120_000,
        } satisfies FleetUpRequest),
      ),
    );
    const serverCpuMs = await server.cpu();
    const databaseCpuMs = server.databaseCpu();
    stopProgress();
    // Let the last writes (message log, last contact) land before measuring the idle state.
    await sleep(options.quick ? 300 : 2000);
    const held = await server.connections();
    const after = await server.memory(true, !options.quick);
    const settled = results.reduce((n, r) => n + r.settled, 0);
    const stormMs = Math.max(...results.map((r) => r.lastSettledMs));
    curve.push([stormMs / 1000, settled]);
    let fanout: FanoutRun | undefined;
    if (withFanout && isCsms(target)) {
      const identities = Array.from({ length: options.fanout }, (_, i) =>
        stationIdentity(PREFIX, Math.floor((i * options.stations) / options.fanout), options.stations),
      );
      const heartbeats = async () => {
        const counts = await Promise.all(children.map((c) => c.handle.request<number>('fleet-heartbeats')));
        return counts.reduce((a, b) => a + b, 0);
      };
      fanout = await fanOut(server.info, identities, options.fanoutConcurrency, heartbeats);
    }
    const errors = results.reduce((n, r) => n + r.errors, 0) + (held < options.stations ? 1 : 0);
    const errorSamples = results.flatMap((r) => r.errorSamples);
    if (held < options.stations) errorSamples.push(`server held ${held} of ${options.stations} connections`);
    return {
      target: target.key,
      stations: options.stations,
      held,
      settled,
      connectS: Math.max(...results.map((r) => r.lastConnectMs)) / 1000,
      stormS: stormMs / 1000,
      stormRate: settled / Math.max(stormMs / 1000, 0.001),
      rssPerStation: (after.rss - before.rss) / Math.max(held, 1),
      heapPerStation: (after.heapUsed - before.heapUsed) / Math.max(held, 1),
      serverCpuMsPerStation: serverCpuMs / Math.max(settled, 1),
      ...(databaseCpuMs !== undefined && { databaseCpuMsPerStation: databaseCpuMs / Math.max(settled, 1) }),
      loadCpuMsPerStation: results.reduce((n, r) => n + r.cpuMs, 0) / Math.max(settled, 1),
      errors,
      errorSamples,
      fanout,
      curve: curve.filter(([s]) => s <= stormMs / 1000).sort((a, b) => a[0] - b[0]),
    };
  } finally {
    stopProgress();
    await Promise.all(children.map((c) => c.handle.request('fleet-down').catch(() => {})));
    await Promise.all(children.map((c) => c.stop()));
    await server.stop();
  }
}
