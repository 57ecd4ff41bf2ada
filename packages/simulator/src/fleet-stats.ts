/**
 * Counters for a fleet run, fed by the stations' events: sockets open, boots accepted, frames,
 * CALL outcomes and latencies, transactions and errors. The progress line and the summary read them.
 */
import type { StationEvent } from './events.js';

const LATENCY_SAMPLES = 20_000;
const ERROR_SAMPLES = 10;

export interface ActionStats {
  calls: number;
  errors: number;
  latencies: number[];
}

export class FleetStats {
  readonly startedAt = Date.now();
  /** Sockets open right now. */
  connectedNow = 0;
  /** Stations that connected at least once, and when (ms since start) each did. */
  readonly firstConnect: number[] = [];
  /** When (ms since start) each BootNotification was accepted. */
  readonly accepted: number[] = [];
  /** When (ms since start) each reconnect after a drop completed. */
  readonly reconnects: number[] = [];
  framesIn = 0;
  framesOut = 0;
  calls = 0;
  failedCalls = 0;
  /** CALLs cut off because the fleet dropped or closed the connection itself; not failures. */
  interruptedCalls = 0;
  errors = 0;
  readonly errorSamples: string[] = [];
  transactionsStarted = 0;
  transactionsEnded = 0;
  energyWh = 0;
  readonly byAction = new Map<string, ActionStats>();

  get elapsedMs(): number {
    return Date.now() - this.startedAt;
  }

  /** Subscribes to one station's events. */
  listener(identity: string): (event: StationEvent) => void {
    let connectedOnce = false;
    let open = false;
    return (event) => {
      switch (event.type) {
        case 'frame':
          if (event.direction === 'in') this.framesIn++;
          else this.framesOut++;
          return;
        case 'connected':
          if (!open) this.connectedNow++;
          open = true;
          if (!connectedOnce) this.firstConnect.push(this.elapsedMs);
          else if (event.reconnect) this.reconnects.push(this.elapsedMs);
          connectedOnce = true;
          return;
        case 'disconnected':
          if (open) this.connectedNow--;
          open = false;
          return;
        case 'boot':
          if (event.status === 'Accepted') this.accepted.push(this.elapsedMs);
          return;
        case 'transaction':
          if (event.event === 'started') this.transactionsStarted++;
          if (event.event === 'ended') {
            this.transactionsEnded++;
            this.energyWh += event.energyWh;
          }
          return;
        case 'call':
          this.#call(identity, event);
          return;
        case 'error':
          this.error(`${identity}: ${event.message}`);
          return;
      }
    };
  }

  error(message: string): void {
    this.errors++;
    if (this.errorSamples.length < ERROR_SAMPLES) this.errorSamples.push(message);
  }

  #call(identity: string, event: Extract<StationEvent, { type: 'call' }>): void {
    let stats = this.byAction.get(event.action);
    if (!stats) {
      stats = { calls: 0, errors: 0, latencies: [] };
      this.byAction.set(event.action, stats);
    }
    if (event.interrupted) {
      this.interruptedCalls++;
      return;
    }
    this.calls++;
    stats.calls++;
    if (event.error) {
      this.failedCalls++;
      stats.errors++;
      this.error(`${identity}: ${event.action} failed: ${event.error}`);
      return;
    }
    // Reservoir sampling keeps memory flat however many calls a long run makes.
    if (stats.latencies.length < LATENCY_SAMPLES) stats.latencies.push(event.ms);
    else {
      const slot = Math.floor(Math.random() * stats.calls);
      if (slot < LATENCY_SAMPLES) stats.latencies[slot] = event.ms;
    }
  }
}

/** The p-th percentile (0–100) of a list of numbers; 0 for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}
