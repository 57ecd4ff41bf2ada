/**
 * BENCHMARKS.md at the repository root: how the figures were taken, on what, the four scenarios'
 * tables, the targets met and missed, what bounds the misses, and the design for more stations.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ANALYSIS, DESIGN_100K } from './analysis.js';
import { checkGoals, type GoalCheck, machineSpeed } from './goals.js';
import { loadAverage, type MachineInfo, machineInfo, versions } from './machine.js';
import type { BenchOptions } from './options.js';
import { benchPlots, writePlots } from './report-plots.js';
import {
  type BenchResults,
  closedLoopTable,
  connectionsTable,
  fanoutTable,
  fmt,
  interleavedTable,
  openLoopTable,
  sideBySideTable,
  table,
} from './report-tables.js';
import { spread } from './stats.js';

export interface RunContext {
  readonly options: BenchOptions;
  readonly startedAt: Date;
  readonly loadBefore: string;
  readonly postgres: string | undefined;
  readonly failures: readonly string[];
  /** The share of the CPUs busy with other work just before each run (full mode). */
  readonly busyBefore: number[];
}

export function goalsOf(results: BenchResults, context: RunContext): GoalCheck[] {
  return checkGoals(results, context.options.stations, context.options.openRates[0] ?? 1000);
}

export function goalsTable(goals: readonly GoalCheck[]): string {
  const verdict = (g: GoalCheck) =>
    g.notJudged ?? (g.met === undefined ? 'not measured' : g.met ? 'met' : `missed: ${g.missedBy}`);
  return table(
    ['target', 'measured (median)', 'verdict'],
    goals.map((g) => [g.goal, g.measured, verdict(g)]),
  );
}

/** The four scenario sections; the console shows them too. */
export function scenarioSections(results: BenchResults, options: BenchOptions): string {
  const parts: string[] = [];
  if (results.connections.length) {
    parts.push(`### 1. Connections

${fmt.int(options.stations)} OCPP 1.6 stations (${options.connectors} connectors) against one server process, spread over
${options.loadChildren} load processes, at most ${fmt.int(options.connectConcurrency)} handshakes + boots in flight per load process. Each station
connects from its own source address in 127.0.0.0/8, sends BootNotification, then a StatusNotification for
connector 0 and each connector; "boot storm done" is when the last of them was answered (the CSMS answers
only after storing). Memory per station: server RSS with every station connected and idle minus RSS before
any came, divided by the connections the server counted. Both samples are of an idle process: a full garbage
collection every second (PGlite's worker thread's too) until the V8 heap has not shrunk for 5 s with its young generation back at its
size at start (at most 30 s; bench/settle.ts). After a burst (the storm, or the server's
own start-up) V8 keeps its young generation grown to 32 MB and the burst's half-empty pages, ~1.5–2 KB per
station at 19,000 here, and gives them back after 5–15 s of idling; sampled 2 s after the storm, as until
the third round, that depended on the server's start-up more than on its stations. "JS heap" is the same for the
V8 heap alone (no database memory: PGlite's lives outside it, in RSS). "Server CPU / station" is the server
process's CPU time (all its threads, PGlite's included; not PostgreSQL's own processes) from the start of the
storm to its end, per station; "load CPU / station" the same for the load processes together; "PostgreSQL
CPU / station" the same for PostgreSQL's processes, when it runs on this machine (read from /proc; another
database's work on that server would be counted too). On this 2-core machine the storm is CPU-bound, so its
time is about these added up, times the stations, over 2 cores.
${stormClientText(options)}

${connectionsTable(results)}`);
  }
  if (results.throughput.length) {
    parts.push(`### 2. Throughput and latency

${fmt.int(options.loadStations)} raw stations per server, in a load process of its own (booted once, then identical
frames to every server; every server stays up for the whole repeat, idle while another is measured). Closed loop: each station keeps exactly one CALL outstanding, ${options.durationMs / 1000} s measured after
${options.warmupMs / 1000} s of warm-up. Heartbeat: the CSMS validates it and stores the last contact. MeterValues:
one Energy.Active.Import.Register sample per CALL, which the CSMS stores before answering (the peer and the echo
store nothing). Open loop: CALLs leave on a fixed schedule, latency counted from the moment each was due,
${options.openDurationMs / 1000} s measured. In the closed loop the load process and the server each keep about one of the
two cores busy; about a third of a server's busy time is the kernel's loopback send and receive, another
third ws and Node's streams, the same for every server, and what sets the servers apart is the CPU they
spend per request ("server CPU / req"). For the CSMS on PostgreSQL, "PostgreSQL CPU / req" is what
PostgreSQL's processes spent per request besides (when they run on this machine, read from /proc): a stored
MeterValues costs both.

${closedLoopTable(results)}

${openLoopTable(results)}`);
  }
  if (results.connections.some((r) => r.fanout)) {
    parts.push(`### 3. Command fan-out

One API request per station (\`POST /api/v1/stations/{id}/trigger-message\` with \`{"message":"Heartbeat"}\`),
${options.fanoutConcurrency} in flight, to ${fmt.int(options.fanout)} of the stations held in scenario 1. An API request is
answered when the station's TriggerMessage.conf is; each station then sends the Heartbeat it was asked for.

${fanoutTable(results)}`);
  }
  if (results.throughput.length) {
    parts.push(`### 4. Side by side

The closed-loop rates of scenario 2, same load, same run: the ratios of the medians.

${sideBySideTable(results)}${interleavedSection(results)}`);
  }
  return parts.join('\n\n');
}

function interleavedSection(results: BenchResults): string {
  const run = results.interleaved[0];
  if (!run) return '';
  return `

The same Heartbeat closed loop with the servers interleaved: all of them up at once, each with its own
load process and stations, ${run.rounds} rounds of ${run.sliceMs / 1000} s slices per run, one server after the other
(the order turning each round). The servers are measured seconds apart, on the same state of a machine
whose speed drifts within minutes, so these ratios are steadier than those of the medians above; the
ratio targets are judged on their medians.

${interleavedTable(results)}`;
}

function stormClientText(options: BenchOptions): string {
  return options.stormClient === 'simulator'
    ? "The stations are the simulator's own (`--storm-client simulator`)."
    : "The stations send the simulator's frames as fixed text over a minimal WebSocket client (load/storm-stations.ts,\n" +
        "load/raw-websocket.ts): the simulator's full stations need ~8.5 s of both cores for 19,000 against the bare\n" +
        "echo, which would leave the server little to measure with (`--storm-client simulator` uses them), and `ws`'s\n" +
        'client took 0.49–0.79 ms of CPU per station where this one takes 0.38–0.46 ms.';
}

function header(context: RunContext, machine: MachineInfo): string {
  const { options } = context;
  const v = versions();
  return `## Run

- machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.platform}, open files per process: ${machine.fdLimit}
- Node.js ${machine.node}; ${Object.entries(v)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ')}${context.postgres ? `; ${context.postgres}` : ''}
- date: ${context.startedAt.toISOString()}; ${options.repeats} run(s) per figure, servers interleaved; min / median / max over the runs
- load average (1 / 5 / 15 min) at the start: ${context.loadBefore}; at the end: ${loadAverage()} (other engineers' tests share this machine)${busyLine(context)}
- every server runs in a child process of its own; the load in others. The CSMS runs with its production
  defaults: message log of every frame but the periodic ones answered (\`--message-log no-periodic\`: Heartbeats,
  MeterValues, meter-value TransactionEvents), last contact of every CALL written once a second, metrics,
  validation of every CALL; PGlite in a data directory on disk (a fresh
  one per run)${context.postgres ? ', PostgreSQL a fresh database per run' : ''}.${settingsLine()}`;
}

/** CSMS_* settings the bench was run with (they reach the CSMS: server-child.ts). */
function settingsLine(): string {
  const settings = Object.entries(process.env).filter(([name]) => name.startsWith('CSMS_'));
  if (settings.length === 0) return '';
  return `\n- CSMS settings of this run: ${settings.map(([name, value]) => `${name}=${value}`).join(', ')}`;
}

function busyLine(context: RunContext): string {
  if (context.busyBefore.length === 0) return '';
  const busy = spread(context.busyBefore);
  return (
    `\n- CPU busy with other work in the second before each run: median ${fmt.pct(busy.median)}, max ${fmt.pct(busy.max)}` +
    ` (a run waits up to ${context.options.quietWaitMs / 1000} s for it to drop under 25 %)`
  );
}

function speedLine(results: BenchResults): string {
  const speed = machineSpeed(results);
  return speed ? `\n\n${speed}` : '';
}

/** The report's Markdown; `charts` is the Markdown that shows the run's charts (writePlots). */
export function renderReport(results: BenchResults, context: RunContext, charts = ''): string {
  const machine = machineInfo();
  const goals = goalsOf(results, context);
  const failures = context.failures.length
    ? `\n\nRuns that failed:\n\n${context.failures.map((f) => `- ${f}`).join('\n')}`
    : '';
  return `# CSMS benchmarks

Written by \`packages/simulator/bench/csms-bench.ts\` (\`npm run bench\` at the root, after a build; the
library's own figures are in packages/ocpp/BENCHMARKS.md). The CSMS in a child process, driven by the
simulator from other processes, next to a bare \`ws\` echo server (the ceiling) and a minimal CSMS written
with \`ocpp-rpc\` in strict mode (the peer).

${header(context, machine)}

## Targets

${goalsTable(goals)}${speedLine(results)}${failures}
${charts ? `\n## Charts\n\n${charts}\n` : ''}
## Figures

${scenarioSections(results, context.options)}

${ANALYSIS}

${DESIGN_100K}
`;
}

/** BENCHMARKS.md at `path`, and its charts in the folder `benchmarks` beside it. */
export function writeReport(path: string, results: BenchResults, context: RunContext): void {
  const charts = writePlots(join(dirname(path), 'benchmarks'), benchPlots(results, context.options.stations));
  writeFileSync(path, renderReport(results, context, charts));
}
