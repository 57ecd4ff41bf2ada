/**
 * The library bench, which writes BENCHMARKS.md. Throughput (throughput.ts): how many Heartbeat
 * CALLs per second our server answers, and at what latency, next to a bare `ws` echo server that
 * answers the same frames with string work only. Memory (idle-memory.ts): what an idle station
 * costs the server, next to a bare `ws` server.
 *
 *   npm run bench -w packages/ocpp                  (after a build; 200 stations, 10 s per run, 3 runs;
 *                                                    5 000 idle connections, 3 runs)
 *   node packages/ocpp/dist/bench/rpc-bench.js --quick           (1 s, 1 run, 500 idle connections;
 *                                                                 does not write BENCHMARKS.md)
 *   options: --stations N  --duration S  --repeats R  --write  --profile (CPU profile of the server child)
 *            --no-deflate (permessage-deflate off on every side; default: on, as our server's default)
 *            --connections N (idle connections)  --only throughput|memory
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  IDLE_SECTION_TITLE,
  type IdleKind,
  type IdleOptions,
  type IdleSummary,
  idleSection,
  idleTable,
  measureIdleMemory,
  serveIdle,
} from './idle-memory.js';
import {
  measureThroughput,
  type ServerKind,
  serveThroughput,
  type ThroughputOptions,
  throughputSection,
  throughputSectionTitle,
  throughputTable,
} from './throughput.js';

const scriptPath = fileURLToPath(import.meta.url);

interface Options extends ThroughputOptions, IdleOptions {
  readonly write: boolean;
  readonly throughput: boolean;
  /** The memory scenario runs with permessage-deflate on (our default) only. */
  readonly memory: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const profile = argv.includes('--profile');
  const deflate = !argv.includes('--no-deflate');
  const only = value('--only');
  if (only !== undefined && only !== 'throughput' && only !== 'memory') {
    throw new Error('--only takes throughput or memory');
  }
  return {
    stations: Number(value('--stations') ?? 200),
    durationMs: Number(value('--duration') ?? (quick ? 1 : 10)) * 1000,
    warmupMs: quick ? 300 : 1000,
    repeats: Number(value('--repeats') ?? (quick ? 1 : 3)),
    quick,
    write: argv.includes('--write') || !quick,
    profileDir: profile ? mkdtempSync(join(tmpdir(), 'ocppkit-bench-prof-')) : undefined,
    deflate,
    connections: Number(value('--connections') ?? (quick ? 500 : 5000)),
    throughput: only !== 'memory',
    // A CPU profile is about throughput; the memory scenario would only add profiles of idle servers.
    memory: only !== 'throughput' && deflate && !profile,
  };
}

/** The functions with the most self time across the server child's CPU profiles. */
function hotSpots(profileDir: string, top = 15): string {
  interface ProfileNode {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }
  const selfMs = new Map<string, number>();
  let total = 0;
  for (const file of readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as {
      nodes: ProfileNode[];
      samples: number[];
      timeDeltas: number[];
    };
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const frame = byId.get(id)!.callFrame;
      const where = frame.url
        ? `${frame.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${frame.lineNumber + 1}`
        : '';
      const key = `${frame.functionName || '(anonymous)'} ${where}`.trim();
      const ms = (profile.timeDeltas[i] ?? 0) / 1000;
      selfMs.set(key, (selfMs.get(key) ?? 0) + ms);
      total += ms;
    });
  }
  return [...selfMs]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, ms]) => `${((ms / total) * 100).toFixed(1).padStart(5)} %  ${key}`)
    .join('\n');
}

const FILE_HEADER = `# Benchmarks

Written by \`packages/ocpp/bench/rpc-bench.ts\` (\`npm run bench -w packages/ocpp\` after a build). Each run
replaces the sections it measured ("Benchmark" with permessage-deflate on, our server's default;
"Benchmark, permessage-deflate off" with \`--no-deflate\`; "Memory per idle connection", measured
with our default) and keeps the others.
`;

/** Replaces the sections this run measured in BENCHMARKS.md, keeping the others. */
function writeReport(path: string, replaced: ReadonlyMap<string, string>): void {
  let previous = '';
  try {
    previous = readFileSync(path, 'utf8');
  } catch {
    // First run: no file yet.
  }
  const sections = new Map<string, string>();
  for (const part of previous.split(/^(?=## )/m).slice(1)) {
    sections.set(part.slice(0, part.indexOf('\n')).trim(), part.trimEnd());
  }
  for (const [title, text] of replaced) sections.set(title, text.trimEnd());
  const order = ['## Benchmark', IDLE_SECTION_TITLE, '## Benchmark, permessage-deflate off'];
  const rank = (title: string) => (order.includes(title) ? order.indexOf(title) : order.length);
  const ordered = [...sections].sort(([a], [b]) => rank(a) - rank(b)).map(([, text]) => text);
  writeFileSync(path, `${FILE_HEADER}\n${ordered.join('\n\n')}\n`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const sections = new Map<string, string>();
  if (options.throughput) {
    const summaries = await measureThroughput(options, scriptPath);
    console.log(`\n${throughputTable(summaries)}\n`);
    sections.set(throughputSectionTitle(options), throughputSection(summaries, options));
  }
  let idle: IdleSummary[] | undefined;
  if (options.memory) {
    console.log(`idle memory: ${options.connections} connections × ${options.repeats} per server`);
    idle = await measureIdleMemory(options, scriptPath);
    console.log(`\n${idleTable(idle)}\n`);
    sections.set(IDLE_SECTION_TITLE, idleSection(idle, options));
  } else if (!options.deflate) {
    console.log('idle memory: measured with our default permessage-deflate only; skipped');
  }
  if (options.write) {
    const path = fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));
    writeReport(path, sections);
    console.log(`written to ${path}`);
  } else {
    console.log('--quick: BENCHMARKS.md left as it is (add --write to overwrite it)');
  }
  if (options.profileDir) {
    console.log(`\nserver hot spots (self time, all profiled runs; profiles in ${options.profileDir}):`);
    console.log(hotSpots(options.profileDir));
  }
}

const deflateArg = !process.argv.includes('--no-deflate');
const serveIndex = process.argv.indexOf('--serve');
const serveIdleIndex = process.argv.indexOf('--serve-idle');
if (serveIndex >= 0) {
  await serveThroughput(process.argv[serveIndex + 1] as ServerKind, deflateArg);
} else if (serveIdleIndex >= 0) {
  await serveIdle(process.argv[serveIdleIndex + 1] as IdleKind, deflateArg);
} else {
  await main();
}
