/**
 * The benchmark's command line. Full mode is sized for the reference machine (2 cores, 20,000 open
 * files per process); `--quick` shrinks everything so CI runs it in well under a minute.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type ScenarioName = 'connections' | 'throughput' | 'fanout';

export interface BenchOptions {
  readonly quick: boolean;
  /** Overwrite BENCHMARKS.md: after a complete run, or with --write. */
  readonly write: boolean;
  readonly repeats: number;
  readonly scenarios: ReadonlySet<ScenarioName>;
  /** Stations held open at once by one server process in the connection scenario. */
  readonly stations: number;
  /** Load children the connection scenario spreads its stations over (each below the fd limit). */
  readonly loadChildren: number;
  /** Handshakes and boots in flight at once per load child. */
  readonly connectConcurrency: number;
  readonly connectors: number;
  /** The stations of the boot storm: light ones (default) or the simulator's (--storm-client simulator). */
  readonly stormClient: 'simulator' | 'light';
  /** Stations the fan-out sends a TriggerMessage to (one API request each). */
  readonly fanout: number;
  /** API requests in flight at once during the fan-out. */
  readonly fanoutConcurrency: number;
  /** Stations in the throughput and latency runs. */
  readonly loadStations: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  /** Offered loads of the open-loop latency runs, requests per second. */
  readonly openRates: readonly number[];
  readonly openDurationMs: number;
  /** PostgreSQL server to create a fresh database on (DATABASE_URL); PGlite only when unset. */
  readonly databaseUrl: string | undefined;
  /** Another build of the CSMS to measure (its dist/src directory), for before/after comparisons. */
  readonly csmsDist: string | undefined;
  /** How long a run waits at most for other work on the machine to calm down (full mode). */
  readonly quietWaitMs: number;
  /** Servers to measure (--servers); all by default. */
  readonly servers: readonly string[] | undefined;
  /** Where the server children write CPU profiles (--profile). */
  readonly profileDir: string | undefined;
}

const USAGE = `csms-bench: the CSMS under load, next to a bare ws echo server and an ocpp-rpc CSMS

  node packages/simulator/dist/bench/csms-bench.js [options]      (npm run bench, after a build)

  --quick                  ~200 stations, 1 s runs, 1 repeat; exit 1 only on errors; keeps BENCHMARKS.md
  --write                  write BENCHMARKS.md after a partial run too (--quick, --only, --servers, --csms-dist)
  --only a,b               scenarios: connections, throughput, fanout (default: all)
  --repeats N              runs per figure (default 3; quick 1)
  --stations N             stations held at once in the connection scenario (default 19000; quick 200)
  --load-children N        load processes for those stations (default 2)
  --connect-concurrency N  handshakes + boots in flight per load process (default 250)
  --storm-client K         light (default: fixed frames) or simulator (the simulator's stations)
  --fanout N               stations sent a TriggerMessage (default 10000; quick 200)
  --load-stations N        stations in throughput runs (default 200)
  --duration S             seconds per closed-loop run (default 10; quick 1)
  --rates a,b              open-loop offered loads in req/s (default 1000,5000; quick 1000)
  --servers a,b            echo, ocpp-rpc, csms-pglite, csms-postgres (default: all; the ratios need all)
  --csms-dist DIR           measure another build of the CSMS (its dist/src), e.g. the before of a change
  --max-wait S             before each run, wait up to S s while others keep the CPUs > 25 % busy (default 180)
  --profile                CPU profiles of the server children, hot spots printed at the end
  DATABASE_URL             also run the CSMS on PostgreSQL (a fresh database per run, dropped after)
  CSMS_*                   CSMS settings for its runs (e.g. CSMS_MESSAGE_LOG=all; see packages/csms/README.md)
`;

/** A run that would leave BENCHMARKS.md incomplete or not about this build. */
function isPartialRun(argv: readonly string[]): boolean {
  return ['--quick', '--only', '--servers', '--csms-dist'].some((flag) => argv.includes(flag));
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  if (argv.includes('--help')) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const number = (name: string, fallback: number) => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (!Number.isFinite(parsed) || parsed <= 0)
      throw new Error(`${name} must be a positive number, not ${raw}`);
    return parsed;
  };
  const quick = argv.includes('--quick');
  const only = value('--only')?.split(',') ?? ['connections', 'throughput', 'fanout'];
  for (const name of only) {
    if (!['connections', 'throughput', 'fanout'].includes(name)) throw new Error(`unknown scenario ${name}`);
  }
  const stations = number('--stations', quick ? 200 : 19_000);
  return {
    quick,
    // Only a complete run replaces the figures of record: a quick one, one of some scenarios or
    // servers, or one of another CSMS build leaves them alone (unless --write).
    write: argv.includes('--write') || !isPartialRun(argv),
    repeats: number('--repeats', quick ? 1 : 3),
    scenarios: new Set(only as ScenarioName[]),
    stations,
    loadChildren: number('--load-children', 2),
    connectConcurrency: number('--connect-concurrency', 250),
    connectors: 2,
    stormClient: value('--storm-client') === 'simulator' ? 'simulator' : 'light',
    fanout: Math.min(stations, number('--fanout', quick ? 200 : 10_000)),
    fanoutConcurrency: 100,
    loadStations: number('--load-stations', 200),
    durationMs: number('--duration', quick ? 1 : 10) * 1000,
    warmupMs: quick ? 300 : 1000,
    openRates: (value('--rates') ?? (quick ? '1000' : '1000,5000')).split(',').map(Number),
    openDurationMs: quick ? 1000 : 4000,
    databaseUrl: process.env.DATABASE_URL || undefined,
    servers: value('--servers')?.split(','),
    quietWaitMs: number('--max-wait', 180) * 1000,
    csmsDist: value('--csms-dist'),
    profileDir: argv.includes('--profile') ? mkdtempSync(join(tmpdir(), 'csms-bench-prof-')) : undefined,
  };
}
