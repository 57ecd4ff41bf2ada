/**
 * The benchmark's verdicts (bench/goals.ts) compare as their labels say: "≤" admits the target
 * itself, "<" does not, "≥" does; and a missed goal says by how much.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkGoals,
  type GoalCheck,
  machineSpeed,
  REFERENCE_ECHO_PER_S,
  speedOf,
  TARGETS,
} from '../bench/goals.js';
import type { BenchResults } from '../bench/report-tables.js';
import type { ConnectionRun } from '../bench/scenarios/connections.js';
import type { MeasuredLoad } from '../bench/scenarios/throughput.js';
import { CSMS_PGLITE, CSMS_POSTGRES, ECHO, PEER, type Target } from '../bench/targets.js';

const STATIONS = 1000;

/** One connection run per server: what the verdicts read of it (held, memory, storm). */
function connectionRun(target: Target['key'], rssPerStation: number, stormS: number): ConnectionRun {
  return {
    target,
    stations: STATIONS,
    held: STATIONS,
    settled: STATIONS,
    connectS: stormS,
    stormS,
    stormRate: STATIONS / stormS,
    rssPerStation,
    heapPerStation: rssPerStation,
    serverCpuMsPerStation: 0.5,
    loadCpuMsPerStation: 0.3,
    errors: 0,
    errorSamples: [],
    fanout: undefined,
    curve: [],
  };
}

function verdicts(csmsMemory: number, stormS: number) {
  const results: BenchResults = {
    targets: [ECHO, CSMS_PGLITE],
    connections: [connectionRun('echo', 4000, 3), connectionRun('csms-pglite', csmsMemory, stormS)],
    // The echo at the targets' machine's speed (1×): the storm is judged as measured.
    throughput: echoRuns(REFERENCE_ECHO_PER_S),
    interleaved: [],
    loadKeys: ['Heartbeat closed'],
  };
  const goals = checkGoals(results, STATIONS, 1000);
  const find = (part: string) => {
    const goal = goals.find((g) => g.goal.startsWith(CSMS_PGLITE.label) && g.goal.includes(part));
    assert.ok(goal, `a goal about ${part}`);
    return goal;
  };
  return { memory: find('memory per idle station'), storm: find('boot storm'), held: find('held') };
}

test('memory "≤ 1.3×" admits exactly 1.3×; the storm "< 10 s" does not admit 10 s', () => {
  const atTarget = verdicts(4000 * TARGETS.memoryVsEcho, TARGETS.stormS);
  assert.equal(atTarget.memory.met, true);
  assert.equal(atTarget.storm.met, false);
  assert.equal(atTarget.storm.missedBy, '0 % over the target');
  assert.equal(atTarget.held.met, true);
});

test('a missed goal says by how much, a met one says nothing', () => {
  const over = verdicts(4000 * 1.43, 5);
  assert.equal(over.memory.met, false);
  assert.equal(over.memory.missedBy, '10 % over the target');
  assert.equal(over.storm.met, true);
  assert.equal(over.storm.missedBy, '');
});

test('the ratio targets are judged on the median of the interleaved runs, run by run', () => {
  const run = (echo: number, peer: number, csms: number) => ({
    rates: { echo, 'ocpp-rpc': peer, 'csms-pglite': csms },
    rounds: 10,
    sliceMs: 1000,
    errors: 0,
  });
  const results: BenchResults = {
    targets: [ECHO, PEER, CSMS_PGLITE],
    connections: [],
    throughput: [],
    // Per run 1.40×, 1.60× and 1.70× the peer, 70 %, 80 % and 85 % of the echo: medians 1.60× and 80 %.
    // The ratio of the median rates (28,000 / 20,000 and 28,000 / 40,000) would be 1.40× and 70 %.
    interleaved: [run(40_000, 20_000, 28_000), run(60_000, 30_000, 48_000), run(30_000, 15_000, 25_500)],
    loadKeys: [],
  };
  const goals = checkGoals(results, STATIONS, 1000);
  const peer = goals.find((g) => g.goal === `${CSMS_PGLITE.label}: Heartbeat ≥ 1.5× the ocpp-rpc peer`);
  const echo = goals.find((g) => g.goal === `${CSMS_PGLITE.label}: Heartbeat ≥ 75 % of the bare echo`);
  assert.deepEqual([peer?.measured, peer?.met], ['1.60×', true]);
  assert.deepEqual([echo?.measured, echo?.met], ['80 %', true]);
  const none = checkGoals({ ...results, interleaved: [] }, STATIONS, 1000);
  assert.equal(none.find((g) => g.goal.includes('peer'))?.met, undefined, 'no runs: not measured');
});

/** Heartbeat closed-loop runs of the echo at these rates, and any further throughput runs. */
function echoRuns(...rates: number[]): BenchResults['throughput'] {
  return rates.map((ratePerS) => ({
    target: 'echo',
    loads: { 'Heartbeat closed': { ratePerS } as MeasuredLoad },
    errors: 0,
  }));
}

test("the machine's speed is the echo's Heartbeat closed loop against the targets' machine", () => {
  const results = (...rates: number[]): BenchResults => ({
    targets: [ECHO],
    connections: [],
    throughput: echoRuns(...rates),
    interleaved: [],
    loadKeys: ['Heartbeat closed'],
  });
  // The median of the runs: 48,000 is 1.5 × 32,000.
  assert.equal(REFERENCE_ECHO_PER_S, 32_000);
  assert.equal(speedOf(results(40_000, 48_000, 60_000)), 1.5);
  const fast = machineSpeed(results(40_000, 48_000, 60_000));
  assert.match(fast, /answered 48,000 Heartbeats\/s .* 1\.50× the ~32,000 .* slowed by 1\.50×.* not judged/);
  assert.match(machineSpeed(results(16_000)), /0\.50× .* sped up by 0\.50×.* not judged/);
  assert.doesNotMatch(machineSpeed(results(36_000)), /not judged/, '1.125×: judged');
  assert.equal(machineSpeed(results()), '', 'no echo run: nothing to say');
  assert.ok(Number.isNaN(speedOf(results())));
});

test("the storm and the MeterValues rate are judged at the targets' machine's speed; memory and p99 as measured", () => {
  const results = (echoPerS: number, stormS: number, meterPerS: number): BenchResults => ({
    targets: [ECHO, CSMS_PGLITE, CSMS_POSTGRES],
    connections: [connectionRun('echo', 4000, 2), connectionRun('csms-pglite', 4000 * 1.2, stormS)],
    throughput: [
      ...echoRuns(echoPerS),
      {
        target: 'csms-postgres',
        loads: {
          'MeterValues closed': { ratePerS: meterPerS } as MeasuredLoad,
          'MeterValues @1000/s': { ratePerS: 1000, p99: 15 } as MeasuredLoad,
        },
        errors: 0,
      },
    ],
    interleaved: [],
    loadKeys: ['Heartbeat closed', 'MeterValues closed', 'MeterValues @1000/s'],
  });
  const find = (goals: GoalCheck[], part: string) => {
    const goal = goals.find((g) => g.goal.includes(part));
    assert.ok(goal, `a goal about ${part}`);
    return goal;
  };
  // The echo at 40,000 Heartbeats/s: 1.25× the targets' machine. 8.4 s here is 10.5 s there;
  // 12,000/s here is 9,600/s there.
  const slow = checkGoals(results(40_000, 8.4, 12_000), STATIONS, 1000);
  const storm = find(slow, 'boot storm');
  assert.deepEqual([storm.met, storm.missedBy], [false, '5 % over the target']);
  assert.equal(storm.measured, "8.4 s here ≈ 10.5 s at the targets' speed");
  const meter = find(slow, 'MeterValues stored');
  assert.deepEqual([meter.met, meter.missedBy], [false, '4 % short of the target']);
  assert.equal(meter.measured, "12,000/s here ≈ 9,600/s at the targets' speed");
  // 7.6 s here is 9.5 s there; 13,000/s here is 10,400/s there.
  const fast = checkGoals(results(40_000, 7.6, 13_000), STATIONS, 1000);
  assert.equal(find(fast, 'boot storm').met, true);
  assert.equal(find(fast, 'MeterValues stored').met, true);
  // Memory is a ratio to the echo, the p99 not CPU-bound: neither is scaled.
  const memory = find(slow, 'memory per idle');
  assert.deepEqual([memory.measured, memory.met], ['4.7 KB = 1.20×', true]);
  const p99 = find(slow, 'PostgreSQL: MeterValues p99');
  assert.deepEqual([p99.measured, p99.met], ['15.00 ms', true]);
  // Twice the targets' speed: shown with the estimate, not judged, either way.
  for (const stormS of [3, 8]) {
    const far = find(checkGoals(results(64_000, stormS, 12_000), STATIONS, 1000), 'boot storm');
    assert.equal(far.met, undefined);
    assert.equal(far.notJudged, "not judged: this machine ran at 2.00× the targets' speed");
    assert.match(far.measured, / here ≈ .* at the targets' speed/);
  }
  // A run without the echo does not know the machine's speed: nothing CPU-bound is judged.
  const noEcho = results(40_000, 7.6, 13_000);
  const withoutEcho: BenchResults = {
    ...noEcho,
    targets: [CSMS_PGLITE, CSMS_POSTGRES],
    connections: noEcho.connections.filter((r) => r.target !== 'echo'),
    throughput: noEcho.throughput.filter((r) => r.target !== 'echo'),
  };
  const unknownSpeed = checkGoals(withoutEcho, STATIONS, 1000);
  for (const part of ['boot storm', 'MeterValues stored']) {
    const goal = find(unknownSpeed, part);
    assert.equal(goal.met, undefined, part);
    assert.equal(goal.notJudged, "not judged: the machine's speed was not measured (the echo did not run)");
  }
  assert.equal(find(unknownSpeed, 'boot storm').measured, '7.6 s here');
  // A figure the run did not measure says so, whatever the machine's speed.
  const unmeasured = find(
    checkGoals(results(64_000, Number.NaN, Number.NaN), STATIONS, 1000),
    'MeterValues stored',
  );
  assert.deepEqual(
    [unmeasured.measured, unmeasured.met, unmeasured.notJudged],
    ['not measured', undefined, undefined],
  );
});
