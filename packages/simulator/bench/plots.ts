/**
 * SVG charts of a benchmark run, written next to BENCHMARKS.md (benchmarks/*.svg) and shown in it:
 * the boot storm over time, the closed-loop rates, memory per idle station and latency. Plain SVG
 * text with no dependency, so any Markdown viewer and any browser shows them.
 */
import type { Spread } from './stats.js';

/** One colour per server, the same in every chart (Okabe–Ito, readable with colour blindness). */
const COLOURS: Record<string, string> = {
  echo: '#7f7f7f',
  'ocpp-rpc': '#e69f00',
  'csms-pglite': '#0072b2',
  'csms-postgres': '#009e73',
};
const colour = (key: string) => COLOURS[key] ?? '#cc79a7';

const FONT = 'font-family="system-ui, sans-serif" font-size="12"';

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A round upper bound for an axis and its tick step, e.g. 113,000 → 125,000 by 25,000. */
export function niceScale(max: number, ticks = 5): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.2 };
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  return { top: Math.ceil(max / step) * step, step };
}

function number(value: number): string {
  if (value >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toString();
}

function svg(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>`,
    `<title>${xmlEscape(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600">${xmlEscape(title)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** A dashed vertical line across the plot, e.g. a target or a time limit. */
export interface Mark {
  readonly value: number;
  readonly label: string;
}

/** Vertical grid lines at each tick of `scale`, labelled at `labelY`. */
function verticalGrid(
  x: (value: number) => number,
  scale: { top: number; step: number },
  from: number,
  to: number,
  labelY: number,
): string[] {
  const lines: string[] = [];
  for (let tick = 0; tick <= scale.top + scale.step / 2; tick += scale.step) {
    const at = x(tick).toFixed(1);
    lines.push(
      `<line x1="${at}" x2="${at}" y1="${from}" y2="${to}" stroke="#e0e0e0"/>`,
      `<text x="${at}" y="${labelY}" text-anchor="middle" fill="#555">${number(tick)}</text>`,
    );
  }
  return lines;
}

function markLine(at: string, from: number, to: number): string {
  return `<line x1="${at}" x2="${at}" y1="${from}" y2="${to}" stroke="#d55e00" stroke-dasharray="5 3" stroke-width="1.5"/>`;
}

export interface Bar {
  readonly key: string;
  readonly label: string;
  readonly value: Spread;
}

export interface BarGroup {
  readonly label: string;
  readonly bars: readonly Bar[];
}

export interface BarChart {
  readonly title: string;
  readonly unit: string;
  readonly groups: readonly BarGroup[];
  readonly mark?: Mark;
}

/** Horizontal bars at the median, with a whisker from min to max. */
export function barChart(chart: BarChart): string {
  const left = 230;
  const right = 90;
  const plotWidth = 460;
  const barHeight = 16;
  const top = 40;
  const values = chart.groups.flatMap((g) => g.bars.map((b) => b.value.max));
  const scale = niceScale(Math.max(...values, chart.mark?.value ?? 0));
  const x = (value: number) => left + (Math.max(0, value) / scale.top) * plotWidth;
  const bottom = top + chart.groups.reduce((h, g) => h + 26 + g.bars.length * (barHeight + 6), 0);
  const body = verticalGrid(x, scale, top, bottom, bottom + 14);
  let y = top;
  for (const group of chart.groups) {
    body.push(`<text x="8" y="${y + 12}" font-weight="600">${xmlEscape(group.label)}</text>`);
    y += 18;
    for (const bar of group.bars) {
      const { min, median, max } = bar.value;
      const mid = y + barHeight / 2;
      body.push(
        `<text x="${left - 8}" y="${mid + 4}" text-anchor="end">${xmlEscape(bar.label)}</text>`,
        `<rect x="${left}" y="${y}" width="${(x(median) - left).toFixed(1)}" height="${barHeight}" fill="${colour(bar.key)}"/>`,
        `<line x1="${x(min).toFixed(1)}" x2="${x(max).toFixed(1)}" y1="${mid}" y2="${mid}" stroke="#000" stroke-width="1"/>`,
        `<line x1="${x(min).toFixed(1)}" x2="${x(min).toFixed(1)}" y1="${mid - 4}" y2="${mid + 4}" stroke="#000"/>`,
        `<line x1="${x(max).toFixed(1)}" x2="${x(max).toFixed(1)}" y1="${mid - 4}" y2="${mid + 4}" stroke="#000"/>`,
        `<text x="${(x(max) + 6).toFixed(1)}" y="${mid + 4}">${number(median)} ${xmlEscape(chart.unit)}</text>`,
      );
      y += barHeight + 6;
    }
    y += 8;
  }
  if (chart.mark) {
    const mx = x(chart.mark.value).toFixed(1);
    body.push(
      markLine(mx, top - 4, bottom),
      `<text x="${mx}" y="${bottom + 28}" text-anchor="middle" fill="#d55e00">${xmlEscape(chart.mark.label)}</text>`,
    );
  }
  const caption = `median of the runs; the whisker spans min to max (${chart.unit})`;
  body.push(
    `<text x="${left}" y="${bottom + (chart.mark ? 44 : 30)}" fill="#555">${xmlEscape(caption)}</text>`,
  );
  return svg(left + plotWidth + right, bottom + (chart.mark ? 54 : 40), chart.title, body);
}

export interface Line {
  readonly key: string;
  readonly label: string;
  /** [x, y] points in order of x. */
  readonly points: readonly (readonly [number, number])[];
}

export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly lines: readonly Line[];
  readonly mark?: Mark;
}

export function lineChart(chart: LineChart): string {
  const left = 70;
  const top = 40;
  const plotWidth = 560;
  const plotHeight = 260;
  const legendWidth = 280;
  const xs = chart.lines.flatMap((l) => l.points.map((p) => p[0]));
  const ys = chart.lines.flatMap((l) => l.points.map((p) => p[1]));
  const xScale = niceScale(Math.max(...xs, chart.mark?.value ?? 0, 0));
  const yScale = niceScale(Math.max(...ys, 0));
  const x = (value: number) => left + (value / xScale.top) * plotWidth;
  const y = (value: number) => top + plotHeight - (value / yScale.top) * plotHeight;
  const body = verticalGrid(x, xScale, top, top + plotHeight, top + plotHeight + 16);
  for (let tick = 0; tick <= yScale.top + yScale.step / 2; tick += yScale.step) {
    body.push(
      `<line x1="${left}" x2="${left + plotWidth}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#e0e0e0"/>`,
      `<text x="${left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end" fill="#555">${number(tick)}</text>`,
    );
  }
  body.push(
    `<text x="${left + plotWidth / 2}" y="${top + plotHeight + 34}" text-anchor="middle">${xmlEscape(chart.xLabel)}</text>`,
    `<text x="16" y="${top + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 16 ${top + plotHeight / 2})">${xmlEscape(chart.yLabel)}</text>`,
  );
  if (chart.mark) {
    const mx = x(chart.mark.value).toFixed(1);
    body.push(
      markLine(mx, top, top + plotHeight),
      `<text x="${Number(mx) - 4}" y="${top + 12}" text-anchor="end" fill="#d55e00">${xmlEscape(chart.mark.label)}</text>`,
    );
  }
  chart.lines.forEach((line, i) => {
    const path = line.points
      .map((p, j) => `${j ? 'L' : 'M'}${x(p[0]).toFixed(1)} ${y(p[1]).toFixed(1)}`)
      .join(' ');
    const ly = top + 10 + i * 20;
    body.push(
      `<path d="${path}" fill="none" stroke="${colour(line.key)}" stroke-width="2"/>`,
      `<line x1="${left + plotWidth + 16}" x2="${left + plotWidth + 36}" y1="${ly}" y2="${ly}" stroke="${colour(line.key)}" stroke-width="3"/>`,
      `<text x="${left + plotWidth + 42}" y="${ly + 4}">${xmlEscape(line.label)}</text>`,
    );
  });
  return svg(left + plotWidth + legendWidth, top + plotHeight + 48, chart.title, body);
}
