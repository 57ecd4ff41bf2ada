/**
 * The figures of a benchmark run as tables: the same Markdown on the console and in BENCHMARKS.md
 * (padded columns, readable in both and kept as they are by Biome's formatter).
 */
import type { ConnectionRun } from './scenarios/connections.js';
import type { InterleavedRun } from './scenarios/interleaved.js';
import type { MeasuredLoad, ThroughputRun } from './scenarios/throughput.js';
import { type Spread, spread } from './stats.js';
import { ECHO, PEER, type Target } from './targets.js';

export interface BenchResults {
  readonly targets: readonly Target[];
  readonly connections: readonly ConnectionRun[];
  readonly throughput: readonly ThroughputRun[];
  /** Heartbeat closed loops with the servers interleaved, one per repeat (none without a peer and an echo). */
  readonly interleaved: readonly InterleavedRun[];
  readonly loadKeys: readonly string[];
}

export const fmt = {
  int: (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–'),
  s: (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} s` : '–'),
  ms: (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)} ms` : '–'),
  kb: (n: number) => (Number.isFinite(n) ? `${(n / 1024).toFixed(1)} KB` : '–'),
  pct: (n: number) => (Number.isFinite(n) ? `${Math.round(n * 100)} %` : '–'),
  x: (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : '–'),
  range: (s: Spread, one: (n: number) => string) => `${one(s.min)} – ${one(s.max)}`,
};

/** The median of the runs that have a figure ('–' when none has: a server without PostgreSQL). */
function optionalMedian(values: readonly (number | undefined)[], one: (n: number) => string): string {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length ? one(spread(known).median) : '–';
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function connectionRuns(results: BenchResults, key: Target['key']): ConnectionRun[] {
  return results.connections.filter((r) => r.target === key);
}

/** Every run's figure for one server and one load shape. */
export function loadRuns(results: BenchResults, key: Target['key'], load: string): MeasuredLoad[] {
  return results.throughput.flatMap((r) => (r.target === key && r.loads[load] ? [r.loads[load]] : []));
}

export function medianRate(results: BenchResults, key: Target['key'], load: string): number {
  const runs = loadRuns(results, key, load);
  return runs.length ? spread(runs.map((r) => r.ratePerS)).median : Number.NaN;
}

export function medianMemory(results: BenchResults, key: Target['key']): number {
  const runs = connectionRuns(results, key);
  return runs.length ? spread(runs.map((r) => r.rssPerStation)).median : Number.NaN;
}

export function connectionsTable(results: BenchResults): string {
  const echo = medianMemory(results, ECHO.key);
  const rows = results.targets.flatMap((target) => {
    const runs = connectionRuns(results, target.key);
    if (runs.length === 0) return [];
    const rss = spread(runs.map((r) => r.rssPerStation));
    const storm = spread(runs.map((r) => r.stormS));
    return [
      [
        target.label,
        `${fmt.int(spread(runs.map((r) => r.held)).median)} / ${fmt.int(runs[0]!.stations)}`,
        fmt.kb(rss.median),
        fmt.range(rss, fmt.kb),
        fmt.x(rss.median / echo),
        fmt.kb(spread(runs.map((r) => r.heapPerStation)).median),
        fmt.s(spread(runs.map((r) => r.connectS)).median),
        fmt.s(storm.median),
        fmt.range(storm, fmt.s),
        fmt.int(spread(runs.map((r) => r.stormRate)).median),
        fmt.ms(spread(runs.map((r) => r.serverCpuMsPerStation)).median),
        fmt.ms(spread(runs.map((r) => r.loadCpuMsPerStation)).median),
        optionalMedian(
          runs.map((r) => r.databaseCpuMsPerStation),
          fmt.ms,
        ),
        fmt.int(runs.reduce((n, r) => n + r.errors, 0)),
      ],
    ];
  });
  return table(
    [
      'server',
      'held at once',
      'memory / station',
      'min – max',
      '× echo',
      'JS heap / station',
      'all connected',
      'boot storm done',
      'min – max',
      'stations/s',
      'server CPU / station',
      'load CPU / station',
      'PostgreSQL CPU / station',
      'errors',
    ],
    rows,
  );
}

export function closedLoopTable(results: BenchResults): string {
  const rows: string[][] = [];
  for (const load of results.loadKeys.filter((k) => k.endsWith('closed'))) {
    const echo = medianRate(results, ECHO.key, load);
    const peer = medianRate(results, PEER.key, load);
    for (const target of results.targets) {
      const runs = loadRuns(results, target.key, load);
      if (runs.length === 0) continue;
      const rate = spread(runs.map((r) => r.ratePerS));
      rows.push([
        load.replace(' closed', ''),
        target.label,
        fmt.int(rate.median),
        fmt.range(rate, fmt.int),
        fmt.ms(spread(runs.map((r) => r.p50)).median),
        fmt.ms(spread(runs.map((r) => r.p99)).median),
        fmt.pct(spread(runs.map((r) => r.serverCpu)).median),
        `${fmt.int(spread(runs.map((r) => r.serverCpuPerRequestUs)).median)} µs`,
        optionalMedian(
          runs.map((r) => r.databaseCpuPerRequestUs),
          (us) => `${fmt.int(us)} µs`,
        ),
        fmt.pct(spread(runs.map((r) => r.cpu)).median),
        fmt.pct(rate.median / echo),
        fmt.x(rate.median / peer),
        fmt.int(runs.reduce((n, r) => n + r.errors, 0)),
      ]);
    }
  }
  return table(
    [
      'CALL',
      'server',
      'req/s (median)',
      'min – max',
      'p50',
      'p99',
      'server CPU',
      'server CPU / req',
      'PostgreSQL CPU / req',
      'load-gen CPU',
      'vs echo',
      'vs peer',
      'errors',
    ],
    rows,
  );
}

export function openLoopTable(results: BenchResults): string {
  const rows: string[][] = [];
  for (const load of results.loadKeys.filter((k) => k.includes('@'))) {
    for (const target of results.targets) {
      const runs = loadRuns(results, target.key, load);
      if (runs.length === 0) continue;
      const p99 = spread(runs.map((r) => r.p99));
      const [action, offered] = load.split(' @');
      rows.push([
        action ?? load,
        offered ?? '',
        target.label,
        fmt.int(spread(runs.map((r) => r.ratePerS)).median),
        fmt.ms(spread(runs.map((r) => r.p50)).median),
        fmt.ms(spread(runs.map((r) => r.p95)).median),
        fmt.ms(p99.median),
        fmt.range(p99, fmt.ms),
        fmt.ms(spread(runs.map((r) => r.max)).median),
        fmt.int(runs.reduce((n, r) => n + r.errors, 0)),
      ]);
    }
  }
  return table(
    [
      'CALL',
      'offered',
      'server',
      'answered/s',
      'p50',
      'p95',
      'p99 (median)',
      'p99 min – max',
      'max',
      'errors',
    ],
    rows,
  );
}

export function fanoutTable(results: BenchResults): string {
  const rows = results.targets.flatMap((target) => {
    const runs = connectionRuns(results, target.key).flatMap((r) => (r.fanout ? [r.fanout] : []));
    if (runs.length === 0) return [];
    const api = spread(runs.map((r) => r.apiDoneS));
    return [
      [
        target.label,
        fmt.int(runs[0]!.stations),
        fmt.s(api.median),
        fmt.range(api, fmt.s),
        fmt.int(spread(runs.map((r) => r.requestsPerS)).median),
        fmt.s(spread(runs.map((r) => r.heartbeatsDoneS)).median),
        fmt.int(runs.reduce((n, r) => n + r.errors, 0)),
      ],
    ];
  });
  return table(
    [
      'server',
      'stations',
      'all API answers',
      'min – max',
      'requests/s',
      'all triggered Heartbeats answered',
      'errors',
    ],
    rows,
  );
}

export function sideBySideTable(results: BenchResults): string {
  const rows = results.loadKeys
    .filter((k) => k.endsWith('closed'))
    .map((load) => {
      const echo = medianRate(results, ECHO.key, load);
      const peer = medianRate(results, PEER.key, load);
      const csms = results.targets.filter((t) => t.kind === 'csms');
      return [
        load.replace(' closed', ''),
        fmt.int(echo),
        fmt.int(peer),
        ...csms.map((t) => fmt.int(medianRate(results, t.key, load))),
        fmt.pct(peer / echo),
        ...csms.flatMap((t) => {
          const rate = medianRate(results, t.key, load);
          return [fmt.x(rate / peer), fmt.pct(rate / echo)];
        }),
      ];
    });
  const csms = results.targets.filter((t) => t.kind === 'csms');
  return table(
    [
      'CALL (closed loop, req/s)',
      'bare echo',
      'ocpp-rpc peer',
      ...csms.map((t) => t.label),
      'peer / echo',
      ...csms.flatMap((t) => [`${t.label} / peer`, `${t.label} / echo`]),
    ],
    rows,
  );
}

/**
 * A server's Heartbeat rate over another's in each interleaved run (slices seconds apart, so each
 * ratio is of one state of the machine), and their median; NaN without such runs.
 */
export function interleavedRatio(
  results: BenchResults,
  key: Target['key'],
  versus: Target['key'],
): { readonly each: number[]; readonly median: number } {
  const each = results.interleaved.flatMap((run) => {
    const rate = run.rates[key];
    const reference = run.rates[versus];
    return rate !== undefined && reference !== undefined ? [rate / reference] : [];
  });
  return { each, median: each.length ? spread(each).median : Number.NaN };
}

export function interleavedTable(results: BenchResults): string {
  const csms = results.targets.filter((t) => t.kind === 'csms');
  const rateCells = (run: InterleavedRun) =>
    results.targets.map((t) => (run.rates[t.key] === undefined ? '–' : fmt.int(run.rates[t.key]!)));
  const ratioCells = (pick: (each: number[]) => number | undefined) =>
    csms.flatMap((t) =>
      [PEER.key, ECHO.key].map((versus) => {
        const value = pick(interleavedRatio(results, t.key, versus).each);
        return value === undefined ? '–' : versus === PEER.key ? fmt.x(value) : fmt.pct(value);
      }),
    );
  const rows = results.interleaved.map((run, i) => [
    `run ${i + 1}`,
    ...rateCells(run),
    ...ratioCells((each) => each[i]),
  ]);
  rows.push([
    'median',
    ...results.targets.map(() => ''),
    ...ratioCells((each) => (each.length ? spread(each).median : undefined)),
  ]);
  return table(
    [
      'Heartbeat, interleaved (req/s)',
      ...results.targets.map((t) => t.label),
      ...csms.flatMap((t) => [`${t.label} / peer`, `${t.label} / echo`]),
    ],
    rows,
  );
}
