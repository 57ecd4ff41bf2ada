/**
 * The targets set for this machine, checked against the medians of a run. A missed target says by
 * how much; `analysis.ts` says what bounds it.
 */
import {
  type BenchResults,
  connectionRuns,
  fmt,
  interleavedRatio,
  loadRuns,
  medianMemory,
  medianRate,
} from './report-tables.js';
import { spread } from './stats.js';
import { CSMS_POSTGRES, ECHO, PEER, type Target } from './targets.js';

/** The targets of the issue, for this machine: the verdicts below and the charts' target lines. */
export const TARGETS = {
  /** Heartbeat throughput at least this many times the ocpp-rpc peer's. */
  peerRatio: 1.5,
  /** Heartbeat throughput at least this share of the bare echo's. */
  echoShare: 0.75,
  /** MeterValues stored in PostgreSQL per second, at least. */
  meterValuesPerS: 10_000,
  /** Memory per idle station, at most this many times the bare echo's. */
  memoryVsEcho: 1.3,
  /** Boot storm of every station, under this many seconds. */
  stormS: 10,
  /** p99 latency at the first offered load, under this many milliseconds. */
  p99Ms: 20,
} as const;

/** The bare echo's Heartbeat closed loop on the machine the targets were set on (the figure). */
export const REFERENCE_ECHO_PER_S = 32_000;

/**
 * How fast this run's machine was against the one the targets were set on, by the bare echo's
 * Heartbeat closed loop: the absolute targets (MeterValues/s, the storm's seconds, the p99) are
 * easier on a faster machine and harder on a slower one, the ratios to the echo and the peer are not.
 * Empty when the echo's closed loop was not run.
 */
export function machineSpeed(results: BenchResults): string {
  const echo = medianRate(results, ECHO.key, 'Heartbeat closed');
  if (!Number.isFinite(echo)) return '';
  const speed = echo / REFERENCE_ECHO_PER_S;
  return (
    `Machine speed: the bare echo answered ${fmt.int(echo)} Heartbeats/s in the closed loop (median), ` +
    `${fmt.x(speed)} the ~${fmt.int(REFERENCE_ECHO_PER_S)} of the machine the targets were set on; ` +
    `the absolute targets (MeterValues/s, the storm's seconds, the p99) are ${speed >= 1 ? 'easier' : 'harder'} ` +
    'to meet here by about that much, the ratios to the echo and the peer are not.'
  );
}

export interface GoalCheck {
  readonly goal: string;
  readonly measured: string;
  /** Undefined when the run did not measure it. */
  readonly met: boolean | undefined;
  /** For a missed goal: how far off, as a share of the target. */
  readonly missedBy: string;
}

/** How a measured value must compare with its target: ≥, ≤ or <, as the goal's label says. */
type Bound = 'at-least' | 'at-most' | 'below';

function check(goal: string, value: number, target: number, bound: Bound, shown: string): GoalCheck {
  if (!Number.isFinite(value)) return { goal, measured: 'not measured', met: undefined, missedBy: '' };
  const higherIsBetter = bound === 'at-least';
  const met = bound === 'at-least' ? value >= target : bound === 'at-most' ? value <= target : value < target;
  const off = higherIsBetter ? 1 - value / target : value / target - 1;
  return {
    goal,
    measured: shown,
    met,
    missedBy: met ? '' : `${Math.round(off * 100)} % ${higherIsBetter ? 'short of' : 'over'} the target`,
  };
}

export function checkGoals(results: BenchResults, stations: number, openRate: number): GoalCheck[] {
  const goals: GoalCheck[] = [];
  const csms = results.targets.filter((t) => t.kind === 'csms');
  const heartbeat = 'Heartbeat closed';
  const echoRate = medianRate(results, ECHO.key, heartbeat);
  const peerRate = medianRate(results, PEER.key, heartbeat);
  const echoMemory = medianMemory(results, ECHO.key);
  for (const target of csms) {
    // The interleaved runs' ratios where there are any (the servers measured seconds apart, on the
    // same state of the machine); else the ratio of the closed-loop runs' medians.
    const rate = medianRate(results, target.key, heartbeat);
    const interleavedPeer = interleavedRatio(results, target.key, PEER.key).median;
    const interleavedEcho = interleavedRatio(results, target.key, ECHO.key).median;
    const vsPeer = Number.isFinite(interleavedPeer) ? interleavedPeer : rate / peerRate;
    const vsEcho = Number.isFinite(interleavedEcho) ? interleavedEcho : rate / echoRate;
    const label = target.label;
    goals.push(
      check(
        `${label}: Heartbeat ≥ ${TARGETS.peerRatio}× the ocpp-rpc peer`,
        vsPeer,
        TARGETS.peerRatio,
        'at-least',
        fmt.x(vsPeer),
      ),
      check(
        `${label}: Heartbeat ≥ ${fmt.pct(TARGETS.echoShare)} of the bare echo`,
        vsEcho,
        TARGETS.echoShare,
        'at-least',
        fmt.pct(vsEcho),
      ),
    );
  }
  const meterRate = medianRate(results, CSMS_POSTGRES.key, 'MeterValues closed');
  goals.push(
    check(
      `MeterValues stored in PostgreSQL ≥ ${fmt.int(TARGETS.meterValuesPerS)}/s`,
      meterRate,
      TARGETS.meterValuesPerS,
      'at-least',
      `${fmt.int(meterRate)}/s`,
    ),
  );
  for (const target of csms) goals.push(...connectionGoals(results, target, stations, echoMemory));
  for (const target of csms) {
    for (const action of ['Heartbeat', 'MeterValues']) {
      const runs = loadRuns(results, target.key, `${action} @${openRate}/s`);
      const p99 = runs.length ? spread(runs.map((r) => r.p99)).median : Number.NaN;
      goals.push(
        check(
          `${target.label}: ${action} p99 < ${TARGETS.p99Ms} ms at ${fmt.int(openRate)} req/s`,
          p99,
          TARGETS.p99Ms,
          'below',
          fmt.ms(p99),
        ),
      );
    }
  }
  return goals;
}

function connectionGoals(results: BenchResults, target: Target, stations: number, echoMemory: number) {
  const runs = connectionRuns(results, target.key);
  const held = runs.length ? spread(runs.map((r) => r.held)).median : Number.NaN;
  const memory = medianMemory(results, target.key);
  const storm = runs.length ? spread(runs.map((r) => r.stormS)).median : Number.NaN;
  return [
    check(
      `${target.label}: ${fmt.int(stations)} stations held by one process`,
      held,
      stations,
      'at-least',
      fmt.int(held),
    ),
    check(
      `${target.label}: memory per idle station ≤ ${TARGETS.memoryVsEcho}× the bare echo's`,
      memory / echoMemory,
      TARGETS.memoryVsEcho,
      'at-most',
      `${fmt.kb(memory)} = ${fmt.x(memory / echoMemory)}`,
    ),
    check(
      `${target.label}: boot storm of ${fmt.int(stations)} stations < ${TARGETS.stormS} s`,
      storm,
      TARGETS.stormS,
      'below',
      fmt.s(storm),
    ),
  ];
}
