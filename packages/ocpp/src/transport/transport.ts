/**
 * The seam between an RPC session and a socket. Server connections and the reconnecting client both
 * implement it; tests and applications may plug in their own.
 */
import type { OcppProtocol } from '../protocols.js';

/** What a transport reports to its consumer. */
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
  /**
   * Optional: the frames sent from now until the current turn of the event loop has run its
   * callbacks and promise jobs go to the socket in one write. The session asks for it when other
   * answers of the same connection are about to follow (a station that sent several CALLs at once).
   */
  gatherWrites?(): void;
  /** Closes for good (close frame 1000 unless told otherwise) and resolves when the socket has closed. */
  close(code?: number, reason?: string): Promise<void>;
  /**
   * Attaches the one consumer. Messages that arrived before it was attached are delivered at once,
   * so an application may do async work between accepting a connection and wiring its handlers.
   */
  attach(events: TransportEvents): void;
}

/**
 * Marks the library's own transports, which call the events as methods of the object given to
 * `attach()`: the RPC session then hands over itself rather than an object of four closures, which
 * every connection would keep. Any other transport gets the closures, and may copy or spread them.
 */
const CALLS_EVENT_METHODS = Symbol('ocppkit.callsEventMethods');

export function markCallsEventMethods(transportClass: { prototype: object }): void {
  Object.defineProperty(transportClass.prototype, CALLS_EVENT_METHODS, { value: true });
}

export function callsEventMethods(transport: Transport): boolean {
  return (transport as { [CALLS_EVENT_METHODS]?: boolean })[CALLS_EVENT_METHODS] === true;
}

/** Buffers transport events until a consumer attaches, then forwards them directly. */
export class EventRelay implements TransportEvents {
  #target: TransportEvents | undefined;
  /** Made only when something arrives before the consumer attaches. */
  #pending: Array<(t: TransportEvents) => void> | undefined;

  attach(target: TransportEvents): void {
    if (this.#target) throw new Error('A consumer is already attached to this transport');
    this.#target = target;
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending) for (const replay of pending) replay(target);
  }

  get attached(): boolean {
    return this.#target !== undefined;
  }

  message(text: string): void {
    if (this.#target) this.#target.message(text);
    else this.#queue((t) => t.message(text));
  }
  connected(): void {
    if (this.#target) this.#target.connected();
    else this.#queue((t) => t.connected());
  }
  disconnected(code: number, reason: string): void {
    if (this.#target) this.#target.disconnected(code, reason);
    else this.#queue((t) => t.disconnected(code, reason));
  }
  ended(): void {
    if (this.#target) this.#target.ended();
    else this.#queue((t) => t.ended());
  }

  #queue(replay: (t: TransportEvents) => void): void {
    this.#pending ??= [];
    this.#pending.push(replay);
  }
}
