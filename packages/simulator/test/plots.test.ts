/**
 * The benchmark's SVG charts: axis scales, where bars, whiskers and lines land, and that labels
 * cannot break the markup.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { barChart, lineChart, niceScale } from '../bench/plots.js';
import { writePlots } from '../bench/report-plots.js';

test('niceScale rounds the axis up to a round top with a round step', () => {
  assert.deepEqual(niceScale(113_000), { top: 125_000, step: 25_000 });
  assert.deepEqual(niceScale(7.3), { top: 8, step: 2 });
  assert.deepEqual(niceScale(10), { top: 10, step: 2 });
  assert.deepEqual(niceScale(0), { top: 1, step: 0.2 });
});

test('a bar ends at its median and its whisker spans min to max on the same axis', () => {
  const chart = barChart({
    title: 'rates <of> servers & co',
    unit: 'req/s',
    groups: [
      {
        label: 'Heartbeat',
        bars: [
          { key: 'echo', label: 'echo', value: { min: 40, median: 50, max: 60 } },
          { key: 'csms-pglite', label: 'CSMS', value: { min: 90, median: 100, max: 100 } },
        ],
      },
    ],
    mark: { value: 75, label: 'target' },
  });
  // Axis 0–100 over 460 px from x = 230: a median of 50 is 230 px wide, 100 is the full 460.
  const widths = [...chart.matchAll(/<rect x="230" y="\d+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.deepEqual(widths, [230, 460]);
  assert.match(chart, /<line x1="414\.0" x2="506\.0" y1="\d+" y2="\d+" stroke="#000" stroke-width="1"\/>/);
  assert.match(chart, /<line x1="575\.0" x2="575\.0"[^>]*stroke-dasharray/, 'the target line at 75');
  assert.match(chart, /rates &lt;of&gt; servers &amp; co/);
  assert.doesNotMatch(chart, /<of>/);
  assert.equal(chart.match(/fill="#0072b2"/g)?.length, 1, 'the PGlite CSMS in its own colour');
});

test('a line runs from the origin to its last point, in the plot area', () => {
  const chart = lineChart({
    title: 'storm',
    xLabel: 's',
    yLabel: 'stations',
    lines: [
      {
        key: 'csms-postgres',
        label: 'CSMS',
        points: [
          [0, 0],
          [5, 1000],
          [10, 2000],
        ],
      },
    ],
  });
  // x: 0–10 s over 560 px from 70; y: 0–2,000 over 260 px up from 300.
  assert.match(chart, /<path d="M70\.0 300\.0 L350\.0 170\.0 L630\.0 40\.0" fill="none" stroke="#009e73"/);
});

test('writePlots writes each chart and links it relative to the report', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'plots-')), 'benchmarks');
  const markdown = writePlots(dir, [
    { file: 'a.svg', alt: 'first', svg: '<svg>a</svg>' },
    { file: 'b.svg', alt: 'second', svg: '<svg>b</svg>' },
  ]);
  assert.equal(markdown, '![first](benchmarks/a.svg)\n\n![second](benchmarks/b.svg)');
  assert.equal(readFileSync(join(dir, 'b.svg'), 'utf8'), '<svg>b</svg>');
  assert.equal(writePlots(dir, []), '');
});
