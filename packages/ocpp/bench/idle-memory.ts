/**
 * Memory per idle connection, the figure that decides how many stations one CSMS process holds.
 * N stations connect; each sends one BootNotification, gets its answer and stays connected, idle.
 * The server runs in a child (`--serve-idle <kind>`, with --expose-gc) and reports
 * `process.memoryUsage()` after a full GC, before and after the stations connected.
 *
 * Compared: a bare `ws` server; our server with a v16 ChargePoint per connection, all sharing one
 * `Routes` of the 14 actions a 1.6 station sends; and the same with 14 `handle()` closures per
 * ChargePoint, the way a CSMS registered its handlers before `Routes` existed.
 */
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { WebSocket } from 'ws';
import { createServer } from '../src/index.js';
import * as v16 from '../src/versions/v16.js';
import { markdownTable, median, sleep, startEchoServer, wsOptions } from './bench-support.js';

export type IdleKind = 'bare-ws' | 'shared-routes' | 'own-handlers';

export const IDLE_SCENARIOS: ReadonlyArray<{ readonly kind: IdleKind; readonly name: string }> = [
  { kind: 'bare-ws', name: 'bare ws server' },
  { kind: 'shared-routes', name: 'ocppkit: v16 ChargePoint, shared Routes' },
  { kind: 'own-handlers', name: 'ocppkit: v16 ChargePoint, 14 own handle() closures' },
];

/** The goal: a station costs at most this much more memory than on a bare ws server. */
const TARGET_RATIO = 1.3;

const now = () => new Date().toISOString();
type Answers = { readonly [A in v16.Action]?: () => v16.ActionMap[A]['response'] };
/** Every action a 1.6 station sends, with a valid answer (only BootNotification is called). */
const ANSWERS: Answers = {
  Authorize: () => ({ idTagInfo: { status: 'Accepted' } }),
  BootNotification: () => ({ status: 'Accepted', currentTime: now(), interval: 300 }),
  DataTransfer: () => ({ status: 'Accepted' }),
  DiagnosticsStatusNotification: () => ({}),
  FirmwareStatusNotification: () => ({}),
  Heartbeat: () => ({ currentTime: now() }),
  LogStatusNotification: () => ({}),
  MeterValues: () => ({}),
  SecurityEventNotification: () => ({}),
  SignCertificate: () => ({ status: 'Accepted' }),
  SignedFirmwareStatusNotification: () => ({}),
  StartTransaction: () => ({ transactionId: 1, idTagInfo: { status: 'Accepted' } }),
  StatusNotification: () => ({}),
  StopTransaction: () => ({}),
};
const ACTIONS = Object.keys(ANSWERS) as v16.Action[];

type ToChild = 'measure' | 'stop';
type FromChild = { port: number } | { heapUsed: number; rss: number };

/** The child: listens, then measures when asked. */
export async function serveIdle(kind: IdleKind, deflate: boolean): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the idle-memory child with --expose-gc');
  let port: number;
  let close: () => Promise<void>;
  if (kind === 'bare-ws') {
    ({ port, close } = await startEchoServer(deflate));
  } else {
    const routes = new v16.Routes();
    if (kind === 'shared-routes')
      for (const action of ACTIONS) routes.handle(action, ANSWERS[action] as never);
    const server = createServer({
      protocols: ['ocpp1.6'],
      perMessageDeflate: deflate,
      onConnection: (connection) => {
        const cp = new v16.ChargePoint(connection, { routes });
        if (kind === 'own-handlers') {
          // One closure per action per station, as `cp.handle(action, (request) => handler(session, request))`.
          for (const action of ACTIONS) {
            const answer = ANSWERS[action]!;
            cp.handle(action, (() => answer()) as never);
          }
        }
      },
    });
    port = (await server.listen(0, '127.0.0.1')).port;
    close = () => server.close({ timeoutMs: 1000 });
  }
  process.on('message', (message: ToChild) => {
    if (message === 'stop') return void close().then(() => process.exit(0));
    // Twice: the first collection can leave what finalizers released for the second.
    gc();
    gc();
    const { heapUsed, rss } = process.memoryUsage();
    process.send!({ heapUsed, rss } satisfies FromChild);
  });
  process.send!({ port } satisfies FromChild);
}

export interface IdleOptions {
  readonly connections: number;
  readonly repeats: number;
  readonly deflate: boolean;
}

interface IdleRun {
  readonly heapPerConnection: number;
  readonly rssPerConnection: number;
}

/** One run of one kind: bytes per idle connection. */
async function runIdle(kind: IdleKind, options: IdleOptions, scriptPath: string): Promise<IdleRun> {
  const args = ['--serve-idle', kind, ...(options.deflate ? [] : ['--no-deflate'])];
  const child = fork(scriptPath, args, {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = () =>
    new Promise<FromChild>((resolve, reject) => {
      child.once('message', (m) => resolve(m as FromChild));
      child.once('exit', (code) => reject(new Error(`idle-memory child exited (${code})`)));
    });
  const measure = async () => {
    const reply = next();
    child.send('measure' satisfies ToChild);
    const m = await reply;
    if (!('heapUsed' in m)) throw new Error('expected a measurement');
    return m;
  };
  const first = await next();
  if (!('port' in first)) throw new Error('expected the port');
  const url = `ws://127.0.0.1:${first.port}/ocpp`;
  // A first station compiles the schemas and warms the code paths: not a per-connection cost.
  const warmUp = await idleStation(url, 'WARM-UP', 0, options.deflate);
  warmUp.terminate();
  await sleep(200);
  const before = await measure();
  const stations: WebSocket[] = [];
  for (let i = 0; i < options.connections; i += 100) {
    const batch = Array.from({ length: Math.min(100, options.connections - i) }, (_, k) =>
      idleStation(url, `IDLE-${String(i + k).padStart(5, '0')}`, i + k, options.deflate),
    );
    stations.push(...(await Promise.all(batch)));
  }
  await sleep(1000);
  const after = await measure();
  // Reset, not closed: the next run does not wait for, nor trips over, thousands of TIME_WAITs.
  for (const ws of stations) ws.terminate();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('stop' satisfies ToChild);
  await exited;
  return {
    heapPerConnection: (after.heapUsed - before.heapUsed) / options.connections,
    rssPerConnection: (after.rss - before.rss) / options.connections,
  };
}

/**
 * Connects, boots and waits for the answer. On Linux, where all of 127.0.0.0/8 is local, the stations
 * come from 127.0.0.1–10, so that 19 000 of them fit in the ephemeral port range.
 */
async function idleStation(
  url: string,
  identity: string,
  index: number,
  deflate: boolean,
): Promise<WebSocket> {
  const localAddress = process.platform === 'linux' ? `127.0.0.${1 + (index % 10)}` : undefined;
  const ws = new WebSocket(`${url}/${identity}`, ['ocpp1.6'], { ...wsOptions(deflate), localAddress });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.on('error', () => {});
  const answered = new Promise((resolve) => ws.once('message', resolve));
  ws.send(
    JSON.stringify([
      2,
      `${identity}-boot`,
      'BootNotification',
      { chargePointVendor: 'V', chargePointModel: 'M' },
    ]),
  );
  await answered;
  return ws;
}

export interface IdleSummary {
  readonly name: string;
  readonly kind: IdleKind;
  readonly heap: number;
  readonly rss: number;
  readonly runs: readonly IdleRun[];
}

/** Every kind, interleaved `repeats` times; medians. */
export async function measureIdleMemory(options: IdleOptions, scriptPath: string): Promise<IdleSummary[]> {
  const runs = new Map<IdleKind, IdleRun[]>(IDLE_SCENARIOS.map((s) => [s.kind, []]));
  for (let repeat = 0; repeat < options.repeats; repeat++) {
    for (const { kind, name } of IDLE_SCENARIOS) {
      const run = await runIdle(kind, options, scriptPath);
      runs.get(kind)!.push(run);
      console.log(
        `[idle ${repeat + 1}/${options.repeats}] ${name.padEnd(52)} heap ${kb(run.heapPerConnection)}` +
          `, RSS ${kb(run.rssPerConnection)} per connection`,
      );
    }
  }
  return IDLE_SCENARIOS.map(({ kind, name }) => {
    const list = runs.get(kind)!;
    return {
      name,
      kind,
      runs: list,
      heap: median(list.map((r) => r.heapPerConnection)),
      rss: median(list.map((r) => r.rssPerConnection)),
    };
  });
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;
const times = (ratio: number) => `${ratio.toFixed(2)}×`;

export function idleTable(summaries: readonly IdleSummary[]): string {
  const bare = summaries.find((s) => s.kind === 'bare-ws')!;
  const rows = summaries.map((s) => [
    s.name,
    kb(s.heap),
    `${kb(Math.min(...s.runs.map((r) => r.heapPerConnection)))} – ${kb(Math.max(...s.runs.map((r) => r.heapPerConnection)))}`,
    kb(s.rss),
    times(s.heap / bare.heap),
    times(s.rss / bare.rss),
  ]);
  return markdownTable(
    [
      'server',
      'JS heap / conn (median)',
      'heap min – max',
      'RSS / conn',
      'heap vs bare ws',
      'RSS vs bare ws',
    ],
    rows,
  );
}

export const IDLE_SECTION_TITLE = '## Memory per idle connection';

export function idleSection(summaries: readonly IdleSummary[], options: IdleOptions): string {
  const bare = summaries.find((s) => s.kind === 'bare-ws')!;
  const shared = summaries.find((s) => s.kind === 'shared-routes')!;
  const heapRatio = shared.heap / bare.heap;
  const rssRatio = shared.rss / bare.rss;
  const met = heapRatio <= TARGET_RATIO && rssRatio <= TARGET_RATIO;
  return `${IDLE_SECTION_TITLE}

${options.connections.toLocaleString('en-US')} WebSocket connections on 127.0.0.1, each of which sent one OCPP 1.6
BootNotification, got its answer and stayed connected, idle. The server runs in a child process
started with \`--expose-gc\`; \`process.memoryUsage()\` after two full GCs, before and after the
stations connected (after one warm-up station, so that compiled schemas do not count), divided by
the number of connections. ${options.repeats} run(s) per server, interleaved; medians. permessage-deflate
${options.deflate ? 'negotiated with our defaults' : 'off'}; the ocppkit servers have their default 30 s ping.
The shared \`Routes\` and the own handlers both answer the 14 actions a 1.6 station sends.

- Node.js ${process.version}; date: ${new Date().toISOString()}
- load average when it ended (1 / 5 / 15 min): ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')}

${idleTable(summaries)}

With shared \`Routes\` a connection costs **${times(heapRatio)}** the JS heap and **${times(rssRatio)}** the RSS
of a bare ws connection (target ≤ ${times(TARGET_RATIO)}: ${met ? 'met' : 'not met'}). RSS per connection is the
noisier figure: the heap grows in pages and the allocator keeps what it got.
`;
}
