/**
 * Throughput: OCPP 1.6 Heartbeat round trips per second and their latency, closed loop, against
 * our server (validation on and off) and a bare `ws` echo server; plus our client against our
 * server. The server runs in a child process (`--serve <kind>`), so on a small machine it does not
 * share an event loop with the load generator.
 */
import { fork } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { connect, createServer } from '../src/index.js';
import { ChargePoint } from '../src/versions/v16.js';
import { markdownTable, median, sleep, startEchoServer, wsOptions } from './bench-support.js';

export interface ThroughputOptions {
  readonly stations: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly repeats: number;
  readonly quick: boolean;
  readonly profileDir: string | undefined;
  readonly deflate: boolean;
}

export type ServerKind = 'echo' | 'validate' | 'no-validate';

interface Scenario {
  readonly name: string;
  readonly server: ServerKind;
  readonly client: 'raw-ws' | 'ocppkit';
}

const SCENARIOS: readonly Scenario[] = [
  { name: 'bare ws echo (ceiling)', server: 'echo', client: 'raw-ws' },
  { name: 'ocppkit server, validation on', server: 'validate', client: 'raw-ws' },
  { name: 'ocppkit server, validation off', server: 'no-validate', client: 'raw-ws' },
  { name: 'ocppkit client → ocppkit server (validation on)', server: 'validate', client: 'ocppkit' },
];

const TARGET_RATIO = 0.6;

// ---------------------------------------------------------------------------------------------
// Server child: `--serve <kind>` listens on a free port, reports it, and reports its CPU time.

type ToServer = 'cpu' | 'stop';
type FromServer = { port: number } | { cpuMs: number };

export async function serveThroughput(kind: ServerKind, deflate: boolean): Promise<void> {
  let close: () => Promise<void>;
  let port: number;
  if (kind === 'echo') {
    ({ port, close } = await startEchoServer(deflate));
  } else {
    const server = createServer({
      protocols: ['ocpp1.6'],
      perMessageDeflate: deflate,
      onConnection: (connection) => {
        new ChargePoint(connection, { strict: kind === 'validate' }).handle('Heartbeat', () => ({
          currentTime: new Date().toISOString(),
        }));
      },
    });
    port = (await server.listen(0, '127.0.0.1')).port;
    close = () => server.close({ timeoutMs: 1000 });
  }
  let cpuMark = process.cpuUsage();
  process.on('message', (message: ToServer) => {
    if (message === 'cpu') {
      const used = process.cpuUsage(cpuMark);
      cpuMark = process.cpuUsage();
      process.send!({ cpuMs: (used.user + used.system) / 1000 } satisfies FromServer);
    } else {
      // A normal exit, so that --cpu-prof writes its profile.
      void close().then(() => process.exit(0));
    }
  });
  process.send!({ port } satisfies FromServer);
}

// ---------------------------------------------------------------------------------------------
// Load generator.

interface RunResult {
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly serverCpu: number;
  readonly clientCpu: number;
  readonly errors: number;
}

/** One closed-loop station: `start()` begins sending; `finish()` stops after the outstanding reply. */
interface Station {
  start(record: (latencyMs: number) => void): void;
  finish(): Promise<void>;
  close(): Promise<void>;
}

async function rawStation(url: string, identity: string, deflate: boolean): Promise<Station> {
  const ws = new WebSocket(`${url}/${identity}`, ['ocpp1.6'], wsOptions(deflate));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.on('error', (error) => console.error(`${identity}: ${error.message}`));
  let counter = 0;
  let sentAt = 0;
  let stopping = false;
  let idle: () => void = () => {};
  let record: (latencyMs: number) => void = () => {};
  const send = () => {
    counter += 1;
    sentAt = performance.now();
    ws.send(`[2,"${identity}-${counter}","Heartbeat",{}]`);
  };
  ws.on('message', () => {
    record(performance.now() - sentAt);
    if (stopping) idle();
    else send();
  });
  return {
    start(recorder) {
      record = recorder;
      send();
    },
    finish() {
      stopping = true;
      return new Promise((resolve) => {
        idle = resolve;
      });
    },
    close() {
      return new Promise((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
      });
    },
  };
}

async function ocppkitStation(
  url: string,
  identity: string,
  deflate: boolean,
  onError: () => void,
): Promise<Station> {
  const transport = await connect({
    url,
    identity,
    protocols: ['ocpp1.6'],
    reconnect: false,
    perMessageDeflate: deflate,
  });
  const cp = new ChargePoint(transport);
  let stopping = false;
  let loop: Promise<void> = Promise.resolve();
  return {
    start(record) {
      loop = (async () => {
        while (!stopping) {
          const sentAt = performance.now();
          try {
            await cp.call('Heartbeat', {});
            record(performance.now() - sentAt);
          } catch {
            onError();
          }
        }
      })();
    },
    finish() {
      stopping = true;
      return loop;
    },
    close: () => cp.close(),
  };
}

function startServer(kind: ServerKind, options: ThroughputOptions, scriptPath: string) {
  const execArgv = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const args = ['--serve', kind, ...(options.deflate ? [] : ['--no-deflate'])];
  const child = fork(scriptPath, args, {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = () =>
    new Promise<FromServer>((resolve, reject) => {
      child.once('message', (m) => resolve(m as FromServer));
      child.once('exit', (code) => reject(new Error(`server child exited (${code})`)));
    });
  return {
    port: next().then((m) => ('port' in m ? m.port : Promise.reject(new Error('no port')))),
    cpu: async () => {
      const reply = next();
      child.send('cpu' satisfies ToServer);
      const m = await reply;
      return 'cpuMs' in m ? m.cpuMs : 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send('stop' satisfies ToServer);
      }),
  };
}

async function runOnce(
  scenario: Scenario,
  options: ThroughputOptions,
  scriptPath: string,
): Promise<RunResult> {
  const server = startServer(scenario.server, options, scriptPath);
  const url = `ws://127.0.0.1:${await server.port}/bench`;
  let errors = 0;
  const stations: Station[] = [];
  // Connect in batches: a realistic burst without overflowing the listen backlog.
  for (let i = 0; i < options.stations; i += 50) {
    const batch = Array.from({ length: Math.min(50, options.stations - i) }, (_, k) => {
      const identity = `BENCH-${String(i + k).padStart(5, '0')}`;
      return scenario.client === 'raw-ws'
        ? rawStation(url, identity, options.deflate)
        : ocppkitStation(url, identity, options.deflate, () => {
            errors += 1;
          });
    });
    stations.push(...(await Promise.all(batch)));
  }

  let measuring = false;
  let count = 0;
  const latencies: number[] = [];
  const record = (latency: number) => {
    if (!measuring) return;
    count += 1;
    latencies.push(latency);
  };
  for (const station of stations) station.start(record);
  await sleep(options.warmupMs);

  await server.cpu();
  const clientMark = process.cpuUsage();
  const started = performance.now();
  measuring = true;
  await sleep(options.durationMs);
  measuring = false;
  const elapsed = performance.now() - started;
  const clientUsed = process.cpuUsage(clientMark);
  const serverCpuMs = await server.cpu();

  await Promise.all(stations.map((s) => s.finish()));
  await Promise.all(stations.map((s) => s.close()));
  await server.stop();

  latencies.sort((a, b) => a - b);
  return {
    rate: (count / elapsed) * 1000,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    serverCpu: serverCpuMs / elapsed,
    clientCpu: (clientUsed.user + clientUsed.system) / 1000 / elapsed,
    errors,
  };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

const fmt = {
  rate: (n: number) => Math.round(n).toLocaleString('en-US'),
  ms: (n: number) => `${n.toFixed(2)} ms`,
  pct: (n: number) => `${Math.round(n * 100)} %`,
};

export interface Summary {
  readonly scenario: Scenario;
  readonly runs: readonly RunResult[];
  readonly rate: { min: number; median: number; max: number };
  readonly p50: number;
  readonly p99: number;
  readonly serverCpu: number;
  readonly clientCpu: number;
}

function summarise(scenario: Scenario, runs: readonly RunResult[]): Summary {
  const rates = runs.map((r) => r.rate);
  return {
    scenario,
    runs,
    rate: { min: Math.min(...rates), median: median(rates), max: Math.max(...rates) },
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    serverCpu: median(runs.map((r) => r.serverCpu)),
    clientCpu: median(runs.map((r) => r.clientCpu)),
  };
}

export function throughputTable(summaries: readonly Summary[]): string {
  const ceiling = summaries.find((s) => s.scenario.server === 'echo')!.rate.median;
  const rows = summaries.map((s) => [
    s.scenario.name,
    fmt.rate(s.rate.median),
    `${fmt.rate(s.rate.min)} – ${fmt.rate(s.rate.max)}`,
    fmt.ms(s.p50),
    fmt.ms(s.p99),
    fmt.pct(s.rate.median / ceiling),
    fmt.pct(s.serverCpu),
    `${Math.round((s.serverCpu / s.rate.median) * 1e6)} µs`,
    fmt.pct(s.clientCpu),
  ]);
  const header = [
    'scenario',
    'req/s (median)',
    'req/s min – max',
    'p50',
    'p99',
    'vs bare echo',
    'server CPU',
    'server CPU / req',
    'load-gen CPU',
  ];
  return markdownTable(header, rows);
}

export function throughputSectionTitle(options: ThroughputOptions): string {
  return options.deflate ? '## Benchmark' : '## Benchmark, permessage-deflate off';
}

export function throughputSection(summaries: readonly Summary[], options: ThroughputOptions): string {
  const ceiling = summaries.find((s) => s.scenario.server === 'echo')!.rate.median;
  const validated = summaries.find(
    (s) => s.scenario.server === 'validate' && s.scenario.client === 'raw-ws',
  )!;
  const ratio = validated.rate.median / ceiling;
  const cpu = cpus();
  const deflate = options.deflate
    ? 'permessage-deflate negotiated on every side with our defaults (no context takeover, so frames ' +
      'under 1 KiB such as these Heartbeats are sent uncompressed)'
    : 'permessage-deflate off on every side (`--no-deflate`)';
  return `${throughputSectionTitle(options)}

OCPP 1.6 Heartbeat round trips over ${options.stations} WebSocket connections on 127.0.0.1, closed loop:
every station keeps exactly one CALL outstanding and sends the next when the answer arrives.
${options.durationMs / 1000} s measured per run after ${options.warmupMs / 1000} s of warm-up,
${options.repeats} run(s) per scenario, interleaved; req/s is the median run (min – max beside it),
p50 / p99 are medians of the runs' percentiles. The server runs in a child process, the load
generator in the parent. The first three scenarios share the load generator (raw \`ws\` clients
sending identical frames), so only the server differs; the last one uses our \`ChargePoint\` client.
${deflate}.

- machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${process.platform} ${process.arch}
- Node.js ${process.version}
- date: ${new Date().toISOString()}
- load average when the bench ended (1 / 5 / 15 min): ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')} (other work on the machine skews the figures)

${throughputTable(summaries)}

Our server with validation on reaches **${fmt.pct(ratio)}** of the bare echo server
(target ≥ ${fmt.pct(TARGET_RATIO)}: ${ratio >= TARGET_RATIO ? 'met' : 'not met'}).
"server CPU" and "load-gen CPU" are CPU time per wall-clock time of each process (100 % = one core);
"server CPU / req" divides the server's CPU time by the requests it answered, which compares the
servers even when the load generator, not the server, is the bottleneck.
`;
}

export async function measureThroughput(options: ThroughputOptions, scriptPath: string): Promise<Summary[]> {
  const total = SCENARIOS.length * options.repeats;
  console.log(
    `rpc-bench: ${options.stations} stations, ${options.durationMs / 1000} s × ${options.repeats} per scenario` +
      `, permessage-deflate ${options.deflate ? 'on' : 'off'}${options.quick ? ' (quick)' : ''}`,
  );
  const results = new Map<Scenario, RunResult[]>(SCENARIOS.map((s) => [s, []]));
  let run = 0;
  for (let repeat = 0; repeat < options.repeats; repeat++) {
    for (const scenario of SCENARIOS) {
      run += 1;
      const result = await runOnce(scenario, options, scriptPath);
      results.get(scenario)!.push(result);
      console.log(
        `[${String(run).padStart(2)}/${total}] ${scenario.name.padEnd(48)} ${fmt.rate(result.rate).padStart(8)} req/s` +
          `  p50 ${fmt.ms(result.p50)}  p99 ${fmt.ms(result.p99)}` +
          `  server CPU ${fmt.pct(result.serverCpu)}, load-gen CPU ${fmt.pct(result.clientCpu)}` +
          (result.errors ? `  errors ${result.errors}` : ''),
      );
    }
  }
  return SCENARIOS.map((s) => summarise(s, results.get(s)!));
}
