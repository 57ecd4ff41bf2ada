/**
 * The defaults of a simulated station's options, applied once.
 */
import type { StationOptions } from './station-api.js';

/** Options with their defaults applied. */
export type ResolvedOptions = StationOptions &
  Required<Pick<StationOptions, 'connectors' | 'meterIntervalS' | 'powerKw' | 'speed' | 'bootRetryS'>> & {
    readonly vendor: string;
    readonly model: string;
    readonly stepDelayMs: number;
  };

/** Fills in every default. */
export function resolveOptions(options: StationOptions): ResolvedOptions {
  return {
    ...options,
    connectors: options.connectors ?? 2,
    meterIntervalS: options.meterIntervalS ?? 60,
    powerKw: options.powerKw ?? 11,
    speed: options.speed ?? 1,
    bootRetryS: options.bootRetryS ?? 10,
    vendor: options.vendor ?? 'ocppkit',
    model: options.model ?? 'SimulatedAC',
    stepDelayMs: options.stepDelayMs ?? 1000,
  };
}
