/**
 * Simulated charging stations, usable as a library.
 * @example
 * const station = await simulateStation({ url: 'ws://localhost:9000/ocpp', identity: 'CS001', protocol: 'ocpp1.6' });
 * await station.startCharging(1, 'TAG-1');
 * await station.stopCharging(1);
 * await station.close();
 */

import { Station16 } from './station-16.js';
import { Station201 } from './station-201.js';
import type { Station, StationOptions } from './station-api.js';
import { resolveOptions } from './station-options.js';

export type { ConnectorView, TransactionView } from './connectors.js';
export type { StationEvent, StationEventListener } from './events.js';
export type { Station, StationOptions, StationProtocol, StopReason } from './station-api.js';

/**
 * Connects a simulated station and boots it. Resolves once the CSMS accepted the BootNotification
 * (or right after connecting with `waitForBoot: false`); rejects when the first connection fails.
 */
export async function simulateStation(options: StationOptions): Promise<Station> {
  const station = createStation(options);
  try {
    await station.start();
  } catch (error) {
    await station.close();
    throw error;
  }
  return station;
}

/** The station object without connecting it (call `start()`); for callers that subscribe first. */
export function createStation(options: StationOptions): Station16 | Station201 {
  const resolved = resolveOptions(options);
  switch (options.protocol) {
    case 'ocpp1.6':
      return new Station16(resolved);
    case 'ocpp2.0.1':
      return new Station201(resolved);
    default:
      throw new Error(`Unsupported protocol ${String(options.protocol)}; use ocpp1.6 or ocpp2.0.1`);
  }
}
