/**
 * The charts of BENCHMARKS.md: which figures each one shows, written as SVG files into a folder
 * next to it, and the Markdown that shows them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { judged, speedOf, TARGETS } from './goals.js';
import { type Bar, type BarGroup, barChart, lineChart } from './plots.js';
import { type BenchResults, connectionRuns, loadRuns, medianMemory } from './report-tables.js';
import type { MeasuredLoad } from './scenarios/throughput.js';
import { median, spread } from './stats.js';
import { ECHO, type Target } from './targets.js';

export interface Plot {
  readonly file: string;
  readonly alt: string;
  readonly svg: string;
}

const KB = 1024;

export function benchPlots(results: BenchResults, stations: number): Plot[] {
  const plots: Plot[] = [];
  const storms = results.targets.flatMap((target) => {
    const runs = connectionRuns(results, target.key).filter((r) => r.curve.length > 1);
    if (runs.length === 0) return [];
    // The run whose storm took the median time, so the curve is a typical one, not a mean of several.
    const typical = median(runs.map((r) => r.stormS));
    const run = runs.reduce((best, r) =>
      Math.abs(r.stormS - typical) < Math.abs(best.stormS - typical) ? r : best,
    );
    return [{ key: target.key, label: `${target.label} (${run.stormS.toFixed(1)} s)`, points: run.curve }];
  });
  if (storms.length) {
    // The storm target at this machine's speed where it is judged so (goals.ts, atTargetsSpeed).
    const speed = speedOf(results);
    const stormMark = !Number.isFinite(speed)
      ? { value: TARGETS.stormS, label: `target: ${TARGETS.stormS} s` }
      : judged(speed)
        ? {
            value: TARGETS.stormS / speed,
            label: `target: ${TARGETS.stormS} s on the targets' machine = ${(TARGETS.stormS / speed).toFixed(1)} s here`,
          }
        : {
            value: TARGETS.stormS,
            label: `target: ${TARGETS.stormS} s on the targets' machine (this one ran at ${speed.toFixed(2)}×)`,
          };
    plots.push({
      file: 'boot-storm.svg',
      alt: 'Stations booted and stored over the boot storm, per server',
      svg: lineChart({
        title: `Boot storm: ${stations.toLocaleString('en-US')} stations connect, boot and report their connectors`,
        xLabel: 'seconds since the storm began',
        yLabel: 'stations answered and stored',
        lines: storms,
        mark: stormMark,
      }),
    });
  }
  const memory = serverBars(
    results,
    (key) => connectionRuns(results, key),
    (run) => run.rssPerStation / KB,
  );
  const echoMemory = medianMemory(results, ECHO.key);
  if (memory.length) {
    plots.push({
      file: 'memory.svg',
      alt: 'Memory per idle station, per server',
      svg: barChart({
        title: `Memory (RSS) per idle station, ${stations.toLocaleString('en-US')} stations held`,
        unit: 'KB',
        groups: [{ label: 'per station', bars: memory }],
        mark: Number.isFinite(echoMemory)
          ? {
              value: (TARGETS.memoryVsEcho * echoMemory) / KB,
              label: `target: ${TARGETS.memoryVsEcho}× the echo`,
            }
          : undefined,
      }),
    });
  }
  const rateGroups = loadGroups(
    results,
    (load) => load.endsWith('closed'),
    (run) => run.ratePerS,
    (load) => load.replace(' closed', ''),
  );
  if (rateGroups.length) {
    plots.push({
      file: 'closed-loop.svg',
      alt: 'Closed-loop requests answered per second, per server',
      svg: barChart({
        title: 'Closed loop: requests answered per second (200 stations, one CALL each)',
        unit: 'req/s',
        groups: rateGroups,
      }),
    });
  }
  const latencyGroups = loadGroups(
    results,
    (load) => !load.endsWith('closed'),
    (run) => run.p99,
    (load) => load.replace(' @', ', offered '),
  );
  if (latencyGroups.length) {
    plots.push({
      file: 'latency-p99.svg',
      alt: 'p99 latency at fixed offered loads, per server',
      svg: barChart({
        title: 'Open loop: p99 latency at a fixed offered load',
        unit: 'ms',
        groups: latencyGroups,
        mark: { value: TARGETS.p99Ms, label: `target: ${TARGETS.p99Ms} ms` },
      }),
    });
  }
  return plots;
}

/** One group of bars per load shape that `which` picks, one bar per server that ran it. */
function loadGroups(
  results: BenchResults,
  which: (load: string) => boolean,
  figure: (run: MeasuredLoad) => number,
  label: (load: string) => string,
): BarGroup[] {
  return results.loadKeys.filter(which).flatMap((load) => {
    const bars = serverBars(results, (key) => loadRuns(results, key, load), figure);
    return bars.length ? [{ label: label(load), bars }] : [];
  });
}

/** One bar per server with runs: the min, median and max of `figure` over them. */
function serverBars<Run>(
  results: BenchResults,
  runsOf: (key: Target['key']) => readonly Run[],
  figure: (run: Run) => number,
): Bar[] {
  return results.targets.flatMap((target) => {
    const runs = runsOf(target.key);
    return runs.length ? [{ key: target.key, label: target.label, value: spread(runs.map(figure)) }] : [];
  });
}

/** Writes the charts into `dir` and returns the Markdown that shows them, relative to the report. */
export function writePlots(dir: string, plots: readonly Plot[]): string {
  if (plots.length === 0) return '';
  mkdirSync(dir, { recursive: true });
  for (const plot of plots) writeFileSync(join(dir, plot.file), plot.svg);
  return plots.map((plot) => `![${plot.alt}](${basename(dir)}/${plot.file})`).join('\n\n');
}
