/**
 * CSMS benchmark: connections held and boot storm, throughput and latency, command fan-out, and the
 * same load side by side on a bare `ws` echo server and an ocpp-rpc CSMS.
 *
 *   npm run bench                                   (root: builds, then every workspace's bench)
 *   node packages/simulator/dist/bench/csms-bench.js --quick     (CI: small, 1 run, exit 1 on errors only)
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node …/csms-bench.js   (PostgreSQL too)
 *   --help for every option.
 *
 * One script, three roles: without a role flag it is the parent that runs the scenarios and writes
 * BENCHMARKS.md; `--serve <kind>` is a server child; `--load` a load child (see ipc.ts).
 */
import { fileURLToPath } from 'node:url';
import { machineSpeed } from './goals.js';
import { runLoadChild } from './load-child.js';
import { loadAverage, waitForQuietMachine } from './machine.js';
import { type BenchOptions, parseOptions } from './options.js';
import { postgresVersion } from './postgres.js';
import { hotSpots } from './profile.js';
import { goalsOf, goalsTable, type RunContext, scenarioSections, writeReport } from './report.js';
import { type BenchResults, fmt } from './report-tables.js';
import { type ConnectionRun, runConnections } from './scenarios/connections.js';
import { type InterleavedRun, runInterleaved } from './scenarios/interleaved.js';
import {
  type LoadShape,
  loadShapes,
  type MeasuredLoad,
  measureShapes,
  type SideBySideServer,
  startSideBySide,
  stopSideBySide,
  type ThroughputRun,
} from './scenarios/throughput.js';
import { runServerChild, type ServerKind } from './server-child.js';
import { ECHO, PEER, targetsOf } from './targets.js';

/** Above this share of the CPUs busy with others' work, a run waits (--max-wait) before it starts. */
const QUIET_THRESHOLD = 0.25;

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const targets = targetsOf(options);
  const context: RunContext = {
    options,
    startedAt: new Date(),
    loadBefore: loadAverage(),
    postgres: options.databaseUrl ? await postgresVersion(options.databaseUrl) : undefined,
    failures: [],
    busyBefore: [],
  };
  const failures = context.failures as string[];
  console.log(
    `csms-bench${options.quick ? ' --quick' : ''}: ${targets.map((t) => t.label).join(', ')}; ` +
      `${options.repeats} run(s) each; load average ${context.loadBefore}`,
  );
  const connections: ConnectionRun[] = [];
  const throughput: ThroughputRun[] = [];
  const interleaved: InterleavedRun[] = [];
  // The ratio targets need the peer, the echo and a CSMS: then the Heartbeat loop also runs interleaved.
  const withInterleaved =
    options.scenarios.has('throughput') &&
    targets.some((t) => t.key === ECHO.key) &&
    targets.some((t) => t.key === PEER.key) &&
    targets.some((t) => t.kind === 'csms');
  const withConnections = options.scenarios.has('connections') || options.scenarios.has('fanout');
  const total =
    options.repeats *
      targets.length *
      ((withConnections ? 1 : 0) + (options.scenarios.has('throughput') ? 1 : 0)) +
    (withInterleaved ? options.repeats : 0);
  let run = 0;
  const counter = () => `[${String(++run).padStart(2)}/${total}]`;
  const quiet = async () => {
    if (options.quick) return;
    const busy = await waitForQuietMachine(QUIET_THRESHOLD, options.quietWaitMs, (b) =>
      process.stderr.write(`  … the machine is ${fmt.pct(b)} busy with other work: waiting\n`),
    );
    if (busy !== undefined) context.busyBefore.push(busy);
  };

  for (let repeat = 0; repeat < options.repeats; repeat++) {
    if (withConnections) {
      for (const target of targets) {
        await quiet();
        const tag = counter();
        try {
          const result = await runConnections(target, options, options.scenarios.has('fanout'));
          connections.push(result);
          console.log(connectionLine(tag, target.label, result));
        } catch (error) {
          failures.push(`connections, ${target.label}: ${describeError(error)}`);
          console.log(`${tag} connections  ${target.label}: FAILED ${describeError(error)}`);
        }
      }
    }
    if (options.scenarios.has('throughput')) {
      // Every server up at once: the Heartbeat loop interleaved across them (when it runs), then each
      // one's load shapes, the others idle.
      await quiet();
      let running: SideBySideServer[] = [];
      try {
        running = await startSideBySide(targets, options);
      } catch (error) {
        failures.push(`starting the servers: ${describeError(error)}`);
        console.log(`starting the servers side by side: FAILED ${describeError(error)}`);
      }
      try {
        if (withInterleaved && running.length > 0) {
          const tag = counter();
          try {
            const result = await runInterleaved(running, options, (round, rounds) => {
              if (round % 5 === 0)
                console.log(`  … ${tag} interleaved Heartbeat: round ${round + 1} of ${rounds}`);
            });
            interleaved.push(result);
            const rates = targets
              .map((t) => `${t.key} ${fmt.int(result.rates[t.key] ?? Number.NaN)}`)
              .join(', ');
            console.log(
              `${tag} interleaved  Heartbeat closed, req/s: ${rates}${result.errors ? `  errors ${result.errors}` : ''}`,
            );
          } catch (error) {
            failures.push(`interleaved: ${describeError(error)}`);
            console.log(`${tag} interleaved  FAILED ${describeError(error)}`);
          }
        }
        for (const { target, server, load } of running) {
          await quiet();
          const tag = counter();
          const onLoad = (shape: LoadShape, r: MeasuredLoad) =>
            console.log(
              `${tag} throughput   ${target.label.padEnd(30)} ${shape.key.padEnd(20)} ${fmt.int(r.ratePerS).padStart(7)} req/s` +
                `  p50 ${fmt.ms(r.p50)}  p99 ${fmt.ms(r.p99)}  server CPU ${fmt.pct(r.serverCpu)}` +
                (r.errors ? `  errors ${r.errors}` : ''),
            );
          try {
            throughput.push(await measureShapes(target, server, load, options, onLoad));
          } catch (error) {
            failures.push(`throughput, ${target.label}: ${describeError(error)}`);
            console.log(`${tag} throughput   ${target.label}: FAILED ${describeError(error)}`);
          }
        }
      } finally {
        await stopSideBySide(running);
      }
    }
  }

  const results: BenchResults = {
    targets,
    connections,
    throughput,
    interleaved,
    loadKeys: loadShapes(options).map((s) => s.key),
  };
  const speed = machineSpeed(results);
  console.log(
    `\n${scenarioSections(results, options)}\n\n${goalsTable(goalsOf(results, context))}\n${speed ? `\n${speed}\n` : ''}`,
  );
  const errors =
    connections.reduce((n, r) => n + r.errors + (r.fanout?.errors ?? 0), 0) +
    throughput.reduce((n, r) => n + r.errors, 0) +
    interleaved.reduce((n, r) => n + r.errors, 0);
  for (const r of connections) {
    for (const sample of [...r.errorSamples, ...(r.fanout?.errorSamples ?? [])])
      console.log(`error: ${r.target}: ${sample}`);
  }
  report(results, context, options);
  if (errors > 0 || failures.length > 0) {
    console.log(`FAILED: ${errors} error(s), ${failures.length} run(s) that could not run`);
    return 1;
  }
  return 0;
}

function connectionLine(tag: string, label: string, r: ConnectionRun): string {
  const fanout = r.fanout
    ? `  fan-out ${fmt.int(r.fanout.stations)} in ${fmt.s(r.fanout.apiDoneS)} (${fmt.int(r.fanout.requestsPerS)}/s)`
    : '';
  return (
    `${tag} connections  ${label.padEnd(30)} held ${fmt.int(r.held)}/${fmt.int(r.stations)}` +
    `  ${fmt.kb(r.rssPerStation)}/station  boot storm ${fmt.s(r.stormS)} (${fmt.int(r.stormRate)}/s)${fanout}` +
    (r.errors ? `  errors ${r.errors}` : '')
  );
}

function report(results: BenchResults, context: RunContext, options: BenchOptions): void {
  if (options.write) {
    const path = fileURLToPath(new URL('../../../../BENCHMARKS.md', import.meta.url));
    writeReport(path, results, context);
    console.log(`written to ${path}`);
  } else {
    console.log(
      'BENCHMARKS.md left as it is: not a complete run (--quick, --only, --servers or --csms-dist); add --write to overwrite it',
    );
  }
  if (options.profileDir) {
    console.log(`\nserver hot spots (self time, all profiled runs; profiles in ${options.profileDir}):`);
    console.log(hotSpots(options.profileDir));
  }
}

const argv = process.argv.slice(2);
const serve = argv.indexOf('--serve');
if (serve >= 0) {
  const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  runServerChild(argv[serve + 1] as ServerKind, option('--database-url'), option('--csms-dist'));
} else if (argv.includes('--load')) {
  runLoadChild();
} else {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`csms-bench: ${describeError(error)}`);
      process.exit(1);
    },
  );
}
