/**
 * The benchmark's verdicts (bench/goals.ts) compare as their labels say: "≤" admits the target
 * itself, "<" does not, "≥" does; and a missed goal says by how much.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkGoals, machineSpeed, REFERENCE_ECHO_PER_S, TARGETS } from '../bench/goals.js';
import type { BenchResults } from '../bench/report-tables.js';
import type { ConnectionRun } from '../bench/scenarios/connections.js';
import type { MeasuredLoad } from '../bench/scenarios/throughput.js';
import { CSMS_PGLITE, ECHO, PEER, type Target } from '../bench/targets.js';

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
    throughput: [],
    interleaved: [],
    loadKeys: [],
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

test("the machine's speed is the echo's Heartbeat closed loop against the targets' machine", () => {
  const results = (...rates: number[]): BenchResults => ({
    targets: [ECHO],
    connections: [],
    throughput: rates.map((ratePerS) => ({
      target: 'echo',
      loads: { 'Heartbeat closed': { ratePerS } as MeasuredLoad },
      errors: 0,
    })),
    interleaved: [],
    loadKeys: ['Heartbeat closed'],
  });
  // The median of the runs: 48,000 is 1.5 × 32,000.
  assert.equal(REFERENCE_ECHO_PER_S, 32_000);
  const fast = machineSpeed(results(40_000, 48_000, 60_000));
  assert.match(fast, /answered 48,000 Heartbeats\/s .* 1\.50× the ~32,000 .* easier/);
  assert.match(machineSpeed(results(16_000)), /0\.50× .* harder/);
  assert.equal(machineSpeed(results()), '', 'no echo run: nothing to say');
});
