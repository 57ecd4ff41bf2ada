/**
 * Test peers on real sockets: a raw `ws` WebSocket that sends arbitrary text frames and collects the
 * replies (as a client of a library server, or as a server a library client connects to), and a
 * library server on port 0 whose ChargePoints a test sets up.
 */
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { ChargePoint, type ChargePointOptions } from '../../src/charge-point.js';
import type { OcppProtocol } from '../../src/protocols.js';
import { createServer } from '../../src/transport/server.js';
import type { ServerConnection } from '../../src/transport/server-connection.js';

/** How long `nextMessage()` waits before failing the test (a missing answer must not hang the run). */
const DEFAULT_WAIT_MS = 2000;

/** One raw WebSocket: what the peer sends is never checked, what it receives is queued in order. */
export class RawPeer {
  readonly ws: WebSocket;
  readonly #inbox: string[] = [];
  #waiter: ((text: string) => void) | undefined;
  #closeInfo: { code: number; reason: string } | undefined;
  readonly #closed: Promise<{ code: number; reason: string }>;

  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const text = Array.isArray(data) ? Buffer.concat(data).toString() : data.toString();
      const waiter = this.#waiter;
      this.#waiter = undefined;
      if (waiter) waiter(text);
      else this.#inbox.push(text);
    });
    this.#closed = new Promise((resolve) => {
      ws.once('close', (code: number, reason: Buffer) => {
        this.#closeInfo = { code, reason: reason.toString() };
        resolve(this.#closeInfo);
      });
    });
  }

  /** The subprotocol the handshake agreed on. */
  get protocol(): string {
    return this.ws.protocol;
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Resolves with the close code and reason once the socket has closed. */
  get closed(): Promise<{ code: number; reason: string }> {
    return this.#closed;
  }

  /** Sends `frame` as is when it is a string, else as JSON. */
  send(frame: string | readonly unknown[]): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next text message received (already queued or still to come). */
  nextMessage(timeoutMs = DEFAULT_WAIT_MS): Promise<string> {
    const queued = this.#inbox.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.#waiter) return Promise.reject(new Error('nextMessage() is already waiting'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        reject(new Error(`no message within ${timeoutMs} ms${this.#closeInfo ? ' (socket closed)' : ''}`));
      }, timeoutMs);
      this.#waiter = (text) => {
        clearTimeout(timer);
        resolve(text);
      };
    });
  }

  /** The next message parsed as a JSON array. */
  async nextFrame(timeoutMs = DEFAULT_WAIT_MS): Promise<unknown[]> {
    const text = await this.nextMessage(timeoutMs);
    const frame: unknown = JSON.parse(text);
    if (!Array.isArray(frame)) throw new Error(`expected a JSON array, got ${text}`);
    return frame;
  }

  /** Fails when any message arrives (or was already queued) within `ms`. */
  async expectSilence(ms = 100): Promise<void> {
    const early = this.#inbox.shift();
    if (early !== undefined) throw new Error(`expected silence, got ${early}`);
    let unexpected: string | undefined;
    this.#waiter = (text) => {
      unexpected = text;
    };
    await new Promise((resolve) => setTimeout(resolve, ms));
    this.#waiter = undefined;
    if (unexpected !== undefined) throw new Error(`expected silence, got ${unexpected}`);
  }

  /** Sends a CALL and returns the answer frame. */
  async call(id: string, action: string, payload: unknown): Promise<unknown[]> {
    this.send([2, id, action, payload]);
    return this.nextFrame();
  }

  /** Closes with a close frame and waits for the socket to close. */
  async close(code = 1000): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    if (this.ws.readyState !== WebSocket.CLOSING) this.ws.close(code);
    await this.#closed;
  }
}

/** Connects a raw client to `url` (the identity is part of the URL) offering `protocols`. */
export async function connectRawPeer(url: string, protocols: string | readonly string[]): Promise<RawPeer> {
  const ws = new WebSocket(url, typeof protocols === 'string' ? [protocols] : [...protocols]);
  const peer = new RawPeer(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return peer;
}

export interface RawServer {
  /** `ws://127.0.0.1:<port>`: pass it as a library client's `url`. */
  readonly url: string;
  readonly port: number;
  /** The next client connection, as a raw peer. */
  nextPeer(timeoutMs?: number): Promise<RawPeer>;
  close(): Promise<void>;
}

/** A raw WebSocket server on port 0 that accepts `protocol` (to play the CSMS against a library client). */
export async function startRawServer(protocol: OcppProtocol): Promise<RawServer> {
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (offered) => (offered.has(protocol) ? protocol : false),
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const peers: RawPeer[] = [];
  const waiting: Array<(peer: RawPeer) => void> = [];
  wss.on('connection', (ws) => {
    const peer = new RawPeer(ws);
    const waiter = waiting.shift();
    if (waiter) waiter(peer);
    else peers.push(peer);
  });
  const port = (wss.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    nextPeer(timeoutMs = DEFAULT_WAIT_MS) {
      const queued = peers.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no connection')), timeoutMs);
        waiting.push((peer) => {
          clearTimeout(timer);
          resolve(peer);
        });
      });
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** An action map that accepts any action name with object payloads: for version-agnostic tests. */
export type LooseActionMap = Record<
  string,
  { request: Record<string, unknown>; response: Record<string, unknown> }
>;
export type LooseChargePoint = ChargePoint<LooseActionMap>;

export interface LibraryServerOptions<CP> {
  readonly protocols?: readonly OcppProtocol[];
  /** Makes the ChargePoint of an accepted connection; default: an untyped `ChargePoint` with `options`. */
  readonly create?: (connection: ServerConnection) => CP;
  /** Registers handlers etc. on each new ChargePoint. */
  readonly setup?: (chargePoint: CP, connection: ServerConnection) => void;
  readonly options?: ChargePointOptions;
}

export interface LibraryServer<CP> {
  /** `ws://127.0.0.1:<port>/ocpp`: append `/<identity>` for a raw peer, pass as is to `connect()`. */
  readonly url: string;
  readonly port: number;
  /** The ChargePoint made for `identity`; rejects with what `create`/`setup` threw for it. */
  chargePoint(identity: string): Promise<CP>;
  close(): Promise<void>;
}

/** Starts a library server on 127.0.0.1, port 0, without keepalive pings. */
export async function startLibraryServer<CP = LooseChargePoint>(
  options: LibraryServerOptions<CP> = {},
): Promise<LibraryServer<CP>> {
  const made = new Map<string, { promise: Promise<CP>; settle(value: CP | Error): void }>();
  const entry = (identity: string) => {
    let found = made.get(identity);
    if (!found) {
      let settle: (value: CP | Error) => void = () => {};
      const promise = new Promise<CP>((resolve, reject) => {
        settle = (value) => (value instanceof Error ? reject(value) : resolve(value));
      });
      // A test that never asks for this ChargePoint must not see an unhandled rejection.
      promise.catch(() => {});
      found = { promise, settle };
      made.set(identity, found);
    }
    return found;
  };
  const create =
    options.create ??
    ((connection: ServerConnection) => new ChargePoint<LooseActionMap>(connection, options.options) as CP);
  const server = createServer({
    protocols: options.protocols ?? ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'],
    pingIntervalMs: 0,
    onConnection(connection) {
      try {
        const chargePoint = create(connection);
        options.setup?.(chargePoint, connection);
        entry(connection.identity).settle(chargePoint);
      } catch (error) {
        entry(connection.identity).settle(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
    },
  });
  const address = await server.listen(0, '127.0.0.1');
  return {
    url: `ws://127.0.0.1:${address.port}/ocpp`,
    port: address.port,
    chargePoint: (identity) => entry(identity).promise,
    close: () => server.close({ timeoutMs: 1000 }),
  };
}

/** A promise with its resolver, for handlers a test releases later. */
export function deferred<T = void>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
