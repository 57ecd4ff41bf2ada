/**
 * The handler-latency histogram of our own (src/labelled-histogram.ts) in a real prom-client
 * Registry: the text it scrapes is a Prometheus histogram, buckets cumulative, +Inf, sum and count.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Histogram, Registry } from 'prom-client';
import { LabelledHistogram } from '../src/labelled-histogram.js';

test('a LabelledHistogram scrapes exactly as prom-client’s own Histogram with the same observations', async () => {
  const ours = new Registry();
  const theirs = new Registry();
  const buckets = [0.001, 0.01, 0.1];
  const histogram = new LabelledHistogram({
    name: 'h_seconds',
    help: 'latency',
    labelName: 'action',
    buckets,
    registers: [ours],
  });
  const reference = new Histogram({
    name: 'h_seconds',
    help: 'latency',
    labelNames: ['action'],
    buckets,
    registers: [theirs],
  });
  const observations: Array<[string, number]> = [
    ['Heartbeat', 0.0004],
    ['Heartbeat', 0.001],
    ['Heartbeat', 0.05],
    ['Authorize', 0.5],
    ['Heartbeat', 3],
  ];
  for (const [action, value] of observations) {
    histogram.series(action).observe(value);
    reference.observe({ action }, value);
  }
  const text = await ours.metrics();
  assert.equal(text, await theirs.metrics());
  assert.match(text, /^# TYPE h_seconds histogram$/m);
  assert.match(text, /^h_seconds_bucket\{le="0.001",action="Heartbeat"\} 2$/m);
  assert.match(text, /^h_seconds_bucket\{le="0.1",action="Heartbeat"\} 3$/m);
  assert.match(text, /^h_seconds_bucket\{le="\+Inf",action="Heartbeat"\} 4$/m);
  assert.match(text, /^h_seconds_count\{action="Authorize"\} 1$/m);
  ours.resetMetrics();
  assert.doesNotMatch(await ours.metrics(), /action=/);
});
