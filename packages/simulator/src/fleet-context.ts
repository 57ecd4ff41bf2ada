/**
 * What a scenario gets from the fleet: the options, the counters, a way to bring stations up, an
 * abort signal (the run's duration is over, or Ctrl-C) and a sleep that ends early on abort.
 */
import type { ReconnectOptions } from 'ocppkit';
import type { FleetStats } from './fleet-stats.js';
import type { Station, StationProtocol } from './station-api.js';

export interface FleetContext {
  readonly options: ResolvedFleetOptions;
  readonly stats: FleetStats;
  readonly signal: AbortSignal;
  /** Stations that connected; filled by launch(). */
  readonly stations: Station[];
  /**
   * Creates and connects every station, at most `concurrency` handshakes at a time (default: the
   * fleet's connectConcurrency); resolves once each is accepted, failed, or the run was aborted.
   */
  launch(concurrency?: number): Promise<void>;
  /** Resolves after `ms`, or at once when the run is aborted. */
  sleep(ms: number): Promise<void>;
  /** Scenario figures for the summary (rates, times). */
  readonly metrics: Record<string, number>;
}

export interface ResolvedFleetOptions {
  readonly url: string;
  readonly stations: number;
  /** 'mixed' alternates 1.6 and 2.0.1. */
  readonly protocol: StationProtocol | 'mixed';
  readonly durationS: number;
  /** Simulated seconds per real second for charging sessions and meters. */
  readonly speed: number;
  readonly idPrefix: string;
  readonly idToken: string;
  readonly connectors: number;
  /** Simulated seconds between meter samples; the real interval is this divided by speed (≥ 1 s). */
  readonly meterIntervalS: number;
  readonly powerKw: number;
  readonly password: string | undefined;
  readonly spreadAddresses: boolean;
  readonly connectConcurrency: number;
  readonly reconnect: ReconnectOptions;
}

/**
 * The source address of the n-th station (from 0): 127.0.0.1 … 127.0.0.254, then 127.0.1.1 and so
 * on, so that a single machine can open more connections than one address has ephemeral ports.
 */
export function sourceAddress(index: number): string {
  const host = (index % 254) + 1;
  const block = Math.floor(index / 254);
  return `127.${Math.floor(block / 256) % 256}.${block % 256}.${host}`;
}

export function stationIdentity(prefix: string, index: number, total: number): string {
  return `${prefix}${String(index + 1).padStart(Math.max(3, String(total).length), '0')}`;
}
