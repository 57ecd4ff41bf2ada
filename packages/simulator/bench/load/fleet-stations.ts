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
import { reportProgress } from '../ipc.js';

export interface FleetUpRequest {
  /** Simulated stations (the simulator's own), or light ones (storm-stations.ts). */
  readonly client: 'simulator' | 'light';
  readonly url: string;
  readonly prefix: string;
  /** Index of the first station (0-based) in the whole fleet: names and source addresses follow it. */
  readonly from: number;
  readonly count: number;
  /** Size of the whole fleet, for the width of the names. */
  readonly total: number;
  readonly connectors: number;
  /** Handshakes and boots in flight at once in this process. */
  readonly concurrency: number;
  /** The parent's clock (Date.now()) at the start of the storm; times are reported from it. */
  readonly t0: number;
  readonly timeoutMs: number;
}

export interface FleetUpResult {
  readonly connected: number;
  readonly booted: number;
  readonly settled: number;
  /** Milliseconds from t0 to the last connect, boot and settle in this process. */
  readonly lastConnectMs: number;
  readonly lastBootMs: number;
  readonly lastSettledMs: number;
  readonly errors: number;
  readonly errorSamples: readonly string[];
}

export interface FleetProgress {
  readonly connected: number;
  readonly booted: number;
  readonly settled: number;
  readonly errors: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** One silent logger for every station: a connection creates one of its own otherwise (8 % of the CPU). */
const silent = pino({ level: 'silent' });

export class BenchFleet {
  readonly #stations: Station[] = [];
  #connected = 0;
  #booted = 0;
  #settled = 0;
  #errors = 0;
  #lastConnect = 0;
  #lastBoot = 0;
  #lastSettled = 0;
  readonly #samples: string[] = [];
  /** Heartbeats answered by the server (the fan-out's TriggerMessage makes each station send one). */
  heartbeats = 0;

  #error(message: string): void {
    this.#errors += 1;
    if (this.#samples.length < 5) this.#samples.push(message);
  }

  async up(request: FleetUpRequest): Promise<FleetUpResult> {
    const statusesPerStation = request.connectors + 1;
    const since = () => Date.now() - request.t0;
    let next = 0;
    const progress = setInterval(() => reportProgress(this.progress()), 200);
    const worker = async () => {
      while (next < request.count) {
        const index = request.from + next++;
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
            if (event.type === 'connected' && !event.reconnect) {
              this.#connected += 1;
              this.#lastConnect = since();
            } else if (event.type === 'boot' && event.status === 'Accepted') {
              this.#booted += 1;
              this.#lastBoot = since();
            } else if (event.type === 'call' && !event.interrupted) {
              if (event.error) this.#error(`${identity}: ${event.action} failed: ${event.error}`);
              else if (event.action === 'Heartbeat') this.heartbeats += 1;
              else if (event.action === 'StatusNotification' && ++statuses === statusesPerStation) {
                this.#settled += 1;
                this.#lastSettled = since();
              }
            } else if (event.type === 'error') this.#error(`${identity}: ${event.message}`);
          },
        });
        try {
          await station.start();
          this.#stations.push(station);
          await Promise.race([station.whenAccepted(), sleep(request.timeoutMs)]);
        } catch (error) {
          this.#error(
            `${identity}: could not connect: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
    };
    const workers = Math.max(1, Math.min(request.concurrency, request.count));
    await Promise.all(Array.from({ length: workers }, worker));
    const deadline = Date.now() + request.timeoutMs;
    while (this.#settled + this.#errors < request.count && Date.now() < deadline) await sleep(20);
    clearInterval(progress);
    if (this.#settled < request.count)
      this.#error(`${request.count - this.#settled} stations did not settle in time`);
    return {
      connected: this.#connected,
      booted: this.#booted,
      settled: this.#settled,
      lastConnectMs: this.#lastConnect,
      lastBootMs: this.#lastBoot,
      lastSettledMs: this.#lastSettled,
      errors: this.#errors,
      errorSamples: this.#samples,
    };
  }

  progress(): FleetProgress {
    return { connected: this.#connected, booted: this.#booted, settled: this.#settled, errors: this.#errors };
  }

  /** Stations whose socket is open right now. */
  open(): number {
    return this.#stations.filter((s) => s.connected).length;
  }

  async down(): Promise<void> {
    await Promise.all(this.#stations.splice(0).map((s) => s.close().catch(() => {})));
  }
}
