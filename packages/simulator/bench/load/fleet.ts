/**
 * What both kinds of boot-storm fleet share (fleet-stations.ts: the simulator's stations;
 * storm-stations.ts: light ones): the request and result a load process exchanges with the parent,
 * the counts it keeps and reports every 200 ms, and the storm itself — stations started
 * `concurrency` at a time, then a wait until every one settled or failed.
 */
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
  /** This load process's CPU (all threads) from the start of the storm until every station settled. */
  readonly cpuMs: number;
}

export interface FleetProgress {
  readonly connected: number;
  readonly booted: number;
  readonly settled: number;
  readonly errors: number;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export abstract class Fleet {
  #t0 = 0;
  #connected = 0;
  #booted = 0;
  #settled = 0;
  #errors = 0;
  #lastConnect = 0;
  #lastBoot = 0;
  #lastSettled = 0;
  readonly #samples: string[] = [];
  /** Heartbeats answered, for the fan-out's triggered messages. */
  heartbeats = 0;

  /** Starts station `index` of the whole fleet; resolves once its boot is answered or it failed. */
  protected abstract startStation(request: FleetUpRequest, index: number): Promise<void>;
  /** Stations whose socket is open right now. */
  abstract open(): number;
  abstract down(): Promise<void>;

  protected connected(): void {
    this.#connected += 1;
    this.#lastConnect = Date.now() - this.#t0;
  }

  protected booted(): void {
    this.#booted += 1;
    this.#lastBoot = Date.now() - this.#t0;
  }

  /** Boot accepted and every StatusNotification answered, i.e. stored by the CSMS. */
  protected settled(): void {
    this.#settled += 1;
    this.#lastSettled = Date.now() - this.#t0;
  }

  protected error(message: string): void {
    this.#errors += 1;
    if (this.#samples.length < 5) this.#samples.push(message);
  }

  async up(request: FleetUpRequest): Promise<FleetUpResult> {
    this.#t0 = request.t0;
    const cpuAtStart = process.cpuUsage();
    const progress = setInterval(() => reportProgress(this.progress()), 200);
    let next = 0;
    const worker = async () => {
      while (next < request.count) await this.startStation(request, request.from + next++);
    };
    const workers = Math.max(1, Math.min(request.concurrency, request.count));
    await Promise.all(Array.from({ length: workers }, worker));
    const deadline = Date.now() + request.timeoutMs;
    while (this.#settled + this.#errors < request.count && Date.now() < deadline) await sleep(20);
    clearInterval(progress);
    const cpu = process.cpuUsage(cpuAtStart);
    if (this.#settled < request.count)
      this.error(`${request.count - this.#settled} stations did not settle in time`);
    return {
      connected: this.#connected,
      booted: this.#booted,
      settled: this.#settled,
      lastConnectMs: this.#lastConnect,
      lastBootMs: this.#lastBoot,
      lastSettledMs: this.#lastSettled,
      errors: this.#errors,
      errorSamples: this.#samples,
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  }

  progress(): FleetProgress {
    return { connected: this.#connected, booted: this.#booted, settled: this.#settled, errors: this.#errors };
  }
}
