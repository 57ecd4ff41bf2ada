/**
 * Stations reduced to a socket and a frame template, for throughput and latency runs: each boots
 * once, then sends identical Heartbeat or MeterValues CALLs to whichever server is measured, so that
 * only the server differs between the CSMS, the ocpp-rpc peer and the bare echo. A CALLERROR answer
 * counts as an error.
 */
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { sourceAddress } from '../../src/fleet-context.js';
import { WS_OPTIONS } from '../peers/echo-server.js';

export type LoadAction = 'Heartbeat' | 'MeterValues';

export class RawStation {
  readonly identity: string;
  readonly #ws: WebSocket;
  readonly #sentAt = new Map<string, number>();
  #counter = 0;
  #energyWh = 0;
  /** Called with each answer's latency in ms and whether it was a CALLERROR. */
  onAnswer: (latencyMs: number, failed: boolean) => void = () => {};

  private constructor(identity: string, ws: WebSocket) {
    this.identity = identity;
    this.#ws = ws;
    ws.on('message', (data) => this.#answered(data.toString()));
  }

  /** Connects from a source address of its own and boots (BootNotification must be Accepted). */
  static async connect(url: string, identity: string, index: number): Promise<RawStation> {
    const ws = new WebSocket(`${url}/${identity}`, ['ocpp1.6'], {
      ...WS_OPTIONS,
      localAddress: sourceAddress(index),
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_request, response) =>
        reject(new Error(`${identity}: HTTP ${response.statusCode}`)),
      );
    });
    ws.on('error', () => {});
    const station = new RawStation(identity, ws);
    const boot = await new Promise<string>((resolve) => {
      ws.once('message', (data) => resolve(data.toString()));
      ws.send('[2,"boot","BootNotification",{"chargePointVendor":"csms-bench","chargePointModel":"raw"}]');
    });
    if (!boot.includes('"Accepted"')) throw new Error(`${identity}: boot answered ${boot}`);
    return station;
  }

  get connected(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  /** Sends one CALL; `scheduledAt` (performance.now()) is when it was due, for open-loop latencies. */
  send(action: LoadAction, scheduledAt = performance.now()): void {
    const id = String(++this.#counter);
    this.#sentAt.set(id, scheduledAt);
    this.#ws.send(`[2,"${id}","${action}",${action === 'Heartbeat' ? '{}' : this.#meterValues()}]`);
  }

  /** CALLs sent and not answered yet. */
  get outstanding(): number {
    return this.#sentAt.size;
  }

  close(): Promise<void> {
    if (this.#ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.#ws.once('close', () => resolve());
      this.#ws.close();
    });
  }

  #answered(text: string): void {
    const start = text.indexOf('"') + 1;
    const id = text.slice(start, text.indexOf('"', start));
    const sentAt = this.#sentAt.get(id);
    if (sentAt === undefined) return;
    this.#sentAt.delete(id);
    this.onAnswer(performance.now() - sentAt, text.charCodeAt(1) === 52 /* '4': CALLERROR */);
  }

  /** One energy sample per CALL; the timestamp moves a millisecond each time, so no two are the same row. */
  #meterValues(): string {
    this.#energyWh += 3;
    const timestamp = new Date(Date.UTC(2026, 0, 1) + this.#counter).toISOString();
    return (
      `{"connectorId":1,"meterValue":[{"timestamp":"${timestamp}","sampledValue":[{"value":"${this.#energyWh}",` +
      '"context":"Sample.Periodic","measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]}'
    );
  }
}
