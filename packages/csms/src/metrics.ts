/** Prometheus metrics of the CSMS, in one registry that `/metrics` serves. */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { LabelledHistogram } from './labelled-histogram.js';

export interface CsmsMetrics {
  readonly registry: Registry;
  readonly connectedStations: Gauge<'protocol'>;
  readonly messagesIn: Counter<'action'>;
  /**
   * Counts a CALL received, for messagesIn. A plain map bump: prom-client's inc() hashes its labels
   * on every call, a measurable share of a Heartbeat's cost; the counts reach the counter at scrape.
   */
  countMessageIn(action: string): void;
  readonly messagesOut: Counter<'action'>;
  readonly callErrors: Counter<'direction' | 'code'>;
  /** Per action; a histogram of our own (labelled-histogram.ts): observed once per CALL. */
  readonly handlerSeconds: LabelledHistogram;
  readonly dbSeconds: Histogram<'operation'>;
}

export function createMetrics(): CsmsMetrics {
  const registry = new Registry();
  const receivedSinceScrape = new Map<string, number>();
  collectDefaultMetrics({ register: registry, prefix: 'csms_' });
  return {
    registry,
    connectedStations: new Gauge({
      name: 'csms_connected_stations',
      help: 'Stations connected now, per OCPP protocol',
      labelNames: ['protocol'],
      registers: [registry],
    }),
    messagesIn: new Counter({
      name: 'csms_ocpp_messages_in_total',
      help: 'OCPP CALLs received from stations, per action',
      labelNames: ['action'],
      registers: [registry],
      collect() {
        for (const [action, count] of receivedSinceScrape) this.inc({ action }, count);
        receivedSinceScrape.clear();
      },
    }),
    countMessageIn: (action) => receivedSinceScrape.set(action, (receivedSinceScrape.get(action) ?? 0) + 1),
    messagesOut: new Counter({
      name: 'csms_ocpp_messages_out_total',
      help: 'OCPP CALLs sent to stations, per action',
      labelNames: ['action'],
      registers: [registry],
    }),
    callErrors: new Counter({
      name: 'csms_ocpp_callerrors_total',
      help: 'CALLERROR frames, by direction (in = received from stations) and code',
      labelNames: ['direction', 'code'],
      registers: [registry],
    }),
    handlerSeconds: new LabelledHistogram({
      name: 'csms_ocpp_handler_seconds',
      help: 'Time to answer a station CALL, per action',
      labelName: 'action',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    dbSeconds: new Histogram({
      name: 'csms_db_seconds',
      help: 'Database write latency, per operation',
      labelNames: ['operation'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
  };
}
