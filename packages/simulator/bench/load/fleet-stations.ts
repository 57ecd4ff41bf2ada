/**
 * Full simulated stations (the simulator's own `createStation`) for the connection and fan-out
 * scenarios: each connects from its own source address in 127.0.0.0/8, boots, reports every
 * connector (1.6: connector 0 too) and then stays connected, idle, answering what the CSMS asks.
 * A station is "settled" once its BootNotification was accepted and every StatusNotification
 * answered: the CSMS answers those only after storing them, so settled means stored.
 */
import { pino } from 'pino';
import { sourceAddress, stationIdentity } from '../../src/fleet-context.js';
import { createStation } from '../../src/station.js';
import type { Station } from '../../src/station-api.js';
import { Fleet, type FleetUpRequest, sleep } from './fleet.js';

/** One silent logger for every station: a connection creates one of its own otherwise (8 % of the CPU). */
const silent = pino({ level: 'silent' });

export class BenchFleet extends Fleet {
  readonly #stations: Station[] = [];

  protected async startStation(request: FleetUpRequest, index: number): Promise<void> {
    const statusesPerStation = request.connectors + 1;
    const identity = stationIdentity(request.prefix, index, request.total);
    let statuses = 0;
    const station = createStation({
      url: request.url,
      identity,
      protocol: 'ocpp1.6',
      connectors: request.connectors,
      localAddress: sourceAddress(index),
      reconnect: false,
      logger: silent,
      waitForBoot: false,
      bootRetryS: 5,
      onEvent: (event) => {
        if (event.type === 'connected' && !event.reconnect) this.connected();
        else if (event.type === 'boot' && event.status === 'Accepted') this.booted();
        else if (event.type === 'call' && !event.interrupted) {
          if (event.error) this.error(`${identity}: ${event.action} failed: ${event.error}`);
          else if (event.action === 'Heartbeat') this.heartbeats += 1;
          else if (event.action === 'StatusNotification' && ++statuses === statusesPerStation) this.settled();
        } else if (event.type === 'error') this.error(`${identity}: ${event.message}`);
      },
    });
    try {
      await station.start();
      this.#stations.push(station);
      await Promise.race([station.whenAccepted(), sleep(request.timeoutMs)]);
    } catch (error) {
      this.error(`${identity}: could not connect: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Stations whose socket is open right now. */
  open(): number {
    return this.#stations.filter((s) => s.connected).length;
  }

  async down(): Promise<void> {
    await Promise.all(this.#stations.splice(0).map((s) => s.close().catch(() => {})));
  }
}
