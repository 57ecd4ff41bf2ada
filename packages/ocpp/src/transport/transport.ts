/**
 * The seam between an RPC session and a socket. Server connections and the reconnecting client both
 * implement it; tests and applications may plug in their own.
 */
import type { OcppProtocol } from '../protocols.js';

export interface TransportEvents {
  /** A text message arrived. */
  message(text: string): void;
  /** The socket is (again) open; queued calls may go out. */
  connected(): void;
  /** The socket closed; a client may reconnect afterwards. */
  disconnected(code: number, reason: string): void;
  /** The transport is finished for good: no more messages, no reconnects. */
  ended(): void;
}

export interface Transport {
  readonly identity: string;
  readonly protocol: OcppProtocol;
  readonly connected: boolean;
  /** Sends one text frame; returns false when the socket is not open. */
  send(text: string): boolean;
  /** Closes for good (close frame 1000 unless told otherwise) and resolves when the socket has closed. */
  close(code?: number, reason?: string): Promise<void>;
  /**
   * Attaches the one consumer. Messages that arrived before it was attached are delivered at once,
   * so an application may do async work between accepting a connection and wiring its handlers.
   */
  attach(events: TransportEvents): void;
}

/** Buffers transport events until a consumer attaches, then forwards them directly. */
export class EventRelay implements TransportEvents {
  #target: TransportEvents | undefined;
  #pending: Array<(t: TransportEvents) => void> = [];

  attach(target: TransportEvents): void {
    if (this.#target) throw new Error('A consumer is already attached to this transport');
    this.#target = target;
    const pending = this.#pending;
    this.#pending = [];
    for (const replay of pending) replay(target);
  }

  get attached(): boolean {
    return this.#target !== undefined;
  }

  message(text: string): void {
    if (this.#target) this.#target.message(text);
    else this.#pending.push((t) => t.message(text));
  }
  connected(): void {
    if (this.#target) this.#target.connected();
    else this.#pending.push((t) => t.connected());
  }
  disconnected(code: number, reason: string): void {
    if (this.#target) this.#target.disconnected(code, reason);
    else this.#pending.push((t) => t.disconnected(code, reason));
  }
  ended(): void {
    if (this.#target) this.#target.ended();
    else this.#pending.push((t) => t.ended());
  }
}
