/**
 * A Prometheus histogram with one label, counted in plain arrays and turned into series only when
 * scraped. prom-client's Histogram hashes its labels on every `observe()`, even through a cached
 * `labels()` child: measurable on the Heartbeat path, which observes once per CALL. The exposition is
 * the same (`_bucket{le,…}`, `_sum`, `_count`, cumulative buckets, `+Inf`); the object is registered
 * in a prom-client Registry like its own metrics.
 */
import type { Registry } from 'prom-client';

export interface LabelledHistogramOptions {
  readonly name: string;
  readonly help: string;
  readonly labelName: string;
  /** Upper bounds, ascending. */
  readonly buckets: readonly number[];
  readonly registers: readonly Registry[];
}

/** The series of one label value: what `observe()` touches. */
export class HistogramSeries {
  readonly labelValue: string;
  /** Observations per bucket (not cumulative); the last one is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  readonly #bounds: readonly number[];

  constructor(labelValue: string, bounds: readonly number[]) {
    this.labelValue = labelValue;
    this.#bounds = bounds;
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.#bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]! += 1;
    this.sum += value;
    this.count += 1;
  }
}

interface MetricValue {
  readonly value: number;
  readonly labels: Record<string, string | number>;
  readonly metricName: string;
}

export class LabelledHistogram {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly #labelName: string;
  readonly #bounds: readonly number[];
  readonly #series = new Map<string, HistogramSeries>();

  constructor(options: LabelledHistogramOptions) {
    this.name = options.name;
    this.help = options.help;
    this.#labelName = options.labelName;
    this.#bounds = [...options.buckets];
    for (const registry of options.registers) {
      registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
    }
  }

  /** The series of `labelValue`, made on first use; keep it and call `observe()` on it. */
  series(labelValue: string): HistogramSeries {
    let series = this.#series.get(labelValue);
    if (!series) {
      series = new HistogramSeries(labelValue, this.#bounds);
      this.#series.set(labelValue, series);
    }
    return series;
  }

  /** prom-client's Registry reads this at scrape. */
  async get(): Promise<{
    name: string;
    help: string;
    type: string;
    aggregator: string;
    values: MetricValue[];
  }> {
    const values: MetricValue[] = [];
    for (const series of this.#series.values()) {
      let cumulative = 0;
      for (let i = 0; i <= this.#bounds.length; i++) {
        cumulative += series.counts[i]!;
        values.push({
          value: cumulative,
          labels: {
            le: i < this.#bounds.length ? this.#bounds[i]! : '+Inf',
            [this.#labelName]: series.labelValue,
          },
          metricName: `${this.name}_bucket`,
        });
      }
      const labels = { [this.#labelName]: series.labelValue };
      values.push({ value: series.sum, labels, metricName: `${this.name}_sum` });
      values.push({ value: series.count, labels, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** Registry.resetMetrics() calls this. */
  reset(): void {
    this.#series.clear();
  }
}
