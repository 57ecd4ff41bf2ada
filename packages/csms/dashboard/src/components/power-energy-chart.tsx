/**
 * Power and energy of a transaction over time, drawn as inline SVG from its meter values: energy
 * from the Energy.Active.Import.Register (relative to the start), power from Power.Active.Import,
 * or from the energy's slope when the station does not sample power.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { MeterValue } from '../api-types';
import { formatEnergy, formatPower, formatTime } from '../format';

type Point = readonly [time: number, value: number];

export interface ChartSeries {
  energy: Point[];
  power: Point[];
  /** True when power was derived from the energy register. */
  derivedPower: boolean;
}

const toBase = (value: number, unit: string | null) =>
  unit === 'kWh' || unit === 'kW' ? value * 1000 : value;

/** Whole-connector samples only: per-phase values would draw a second, overlapping line. */
function series(samples: readonly MeterValue[], measurand: string): Point[] {
  const byTime = new Map<number, number>();
  for (const s of samples) {
    if (s.measurand !== measurand || s.value === null || (s.phase !== null && s.phase !== '')) continue;
    if (s.location !== null && s.location !== 'Outlet') continue;
    byTime.set(Date.parse(s.sampledAt), toBase(s.value, s.unit));
  }
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]);
}

export function chartSeries(samples: readonly MeterValue[], meterStartWh: number | null): ChartSeries {
  const register = series(samples, 'Energy.Active.Import.Register');
  const base = meterStartWh ?? register[0]?.[1] ?? 0;
  const energy = register.map(([t, wh]) => [t, Math.max(0, wh - base)] as const);
  const power = series(samples, 'Power.Active.Import');
  if (power.length > 0) return { energy, power, derivedPower: false };
  const derived: Point[] = [];
  for (let i = 1; i < register.length; i++) {
    const [t0, e0] = register[i - 1] as Point;
    const [t1, e1] = register[i] as Point;
    if (t1 > t0) derived.push([t1, Math.max(0, ((e1 - e0) * 3_600_000) / (t1 - t0))]);
  }
  return { energy, power: derived, derivedPower: true };
}

/** Axis ticks from 0 up to the first one at or above `max`, in round steps (1, 2 or 5 × 10ⁿ). */
function ticks(max: number, count = 4): number[] {
  if (max <= 0) return [0];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const result = [0];
  while ((result[result.length - 1] as number) < max) result.push(result.length * step);
  return result;
}

const HEIGHT = 280;
const MARGIN = { top: 16, right: 64, bottom: 34, left: 60 };

export function PowerEnergyChart(props: { samples: readonly MeterValue[]; meterStartWh: number | null }) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(640);
  const [hover, setHover] = useState<number>();
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(
      ([entry]) => entry && setWidth(Math.max(280, Math.floor(entry.contentRect.width))),
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const { energy, power, derivedPower } = chartSeries(props.samples, props.meterStartWh);
  const times = [...energy, ...power].map(([t]) => t);
  if (times.length < 2) {
    return (
      <div ref={box} class="chart">
        <div class="empty">
          <strong>Not enough meter values for a chart yet.</strong>
          <div class="hint">The chart needs at least two samples of energy or power.</div>
        </div>
      </div>
    );
  }
  const t0 = Math.min(...times);
  const t1 = Math.max(...times, t0 + 1000);
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const powerTicks = ticks(Math.max(...power.map(([, w]) => w), 1));
  const energyTicks = ticks(Math.max(...energy.map(([, wh]) => wh), 1));
  const powerMax = powerTicks[powerTicks.length - 1] ?? 1;
  const energyMax = energyTicks[energyTicks.length - 1] ?? 1;
  const x = (t: number) => MARGIN.left + ((t - t0) / (t1 - t0)) * plotW;
  const yPower = (w: number) => MARGIN.top + plotH - (w / powerMax) * plotH;
  const yEnergy = (wh: number) => MARGIN.top + plotH - (wh / energyMax) * plotH;
  const path = (points: Point[], y: (v: number) => number) =>
    points.map(([t, v], i) => `${i ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join('');
  const energyArea = energy.length
    ? `${path(energy, yEnergy)}L${x(energy[energy.length - 1]?.[0] ?? t1).toFixed(1)},${yEnergy(0)}L${x(energy[0]?.[0] ?? t0).toFixed(1)},${yEnergy(0)}Z`
    : '';
  const tickCount = width < 480 ? 3 : 5;
  const timeTicks = Array.from({ length: tickCount }, (_, i) => t0 + ((t1 - t0) * i) / (tickCount - 1));
  const nearest = (points: Point[], t: number) =>
    points.reduce<Point | undefined>(
      (best, p) => (!best || Math.abs(p[0] - t) < Math.abs(best[0] - t) ? p : best),
      undefined,
    );
  const hoverPower = hover === undefined ? undefined : nearest(power, hover);
  const hoverEnergy = hover === undefined ? undefined : nearest(energy, hover);

  return (
    <div ref={box} class="chart">
      <div class="chart-legend">
        <span class="legend legend-power">Power{derivedPower ? ' (from energy)' : ''}</span>
        <span class="legend legend-energy">Energy delivered</span>
        {hover !== undefined && (
          <span class="chart-readout">
            {formatTime(hover)} · {formatPower(hoverPower?.[1])} · {formatEnergy(hoverEnergy?.[1])}
          </span>
        )}
      </div>
      <svg
        width={width}
        height={HEIGHT}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        role="img"
        aria-label={`Power and energy over time; ${formatEnergy(energy[energy.length - 1]?.[1])} delivered`}
        data-testid="power-energy-chart"
        onPointerMove={(e) => {
          const rect = (e.currentTarget as SVGSVGElement).getBoundingClientRect();
          const px = e.clientX - rect.left;
          setHover(
            px < MARGIN.left || px > width - MARGIN.right
              ? undefined
              : t0 + ((px - MARGIN.left) / plotW) * (t1 - t0),
          );
        }}
        onPointerLeave={() => setHover(undefined)}
      >
        {energyTicks.map((v) => (
          <g key={`e${v}`}>
            <line class="grid" x1={MARGIN.left} x2={width - MARGIN.right} y1={yEnergy(v)} y2={yEnergy(v)} />
            <text class="axis axis-energy" x={width - MARGIN.right + 6} y={yEnergy(v) + 4}>
              {formatEnergy(v)}
            </text>
          </g>
        ))}
        {powerTicks.map((v) => (
          <text key={`p${v}`} class="axis axis-power" x={MARGIN.left - 6} y={yPower(v) + 4} text-anchor="end">
            {formatPower(v)}
          </text>
        ))}
        {timeTicks.map((t, i) => (
          <text
            key={`t${t}`}
            class="axis"
            x={x(t)}
            y={HEIGHT - 10}
            text-anchor={i === 0 ? 'start' : i === timeTicks.length - 1 ? 'end' : 'middle'}
          >
            {formatTime(t)}
          </text>
        ))}
        <path class="energy-area" d={energyArea} />
        <path class="energy-line" d={path(energy, yEnergy)} />
        <path class="power-line" d={path(power, yPower)} />
        {hover !== undefined && (
          <line class="cursor" x1={x(hover)} x2={x(hover)} y1={MARGIN.top} y2={MARGIN.top + plotH} />
        )}
      </svg>
    </div>
  );
}
