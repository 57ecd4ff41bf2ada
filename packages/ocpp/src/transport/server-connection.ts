/**
 * One accepted station socket, as a `Transport` for a `ChargePoint`.
 *
 * A CSMS holds tens of thousands of these, mostly idle, so a connection keeps only what it uses:
 * the socket listeners are functions shared by every connection (the connection is found on the
 * socket), and the upgrade request is let go once `onConnection` is done with it.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { PeerCertificate } from 'node:tls';
import type { Logger } from 'pino';
import { WebSocket } from 'ws';
import { OcppError } from '../errors/errors.js';
import type { OcppProtocol } from '../protocols.js';
import { writeTextFrame } from './frame-writer.js';
import { markCallsEventMethods, type Transport, type TransportEvents } from './transport.js';

export interface ServerConnectionInit {
  readonly ws: WebSocket;
  readonly identity: string;
  readonly protocol: OcppProtocol;
  readonly request: IncomingMessage;
  readonly certificate: PeerCertificate | undefined;
  readonly data: unknown;
  /** The same object for all of a server's connections. */
  readonly server: ConnectionServerSide;
}

/** What a server gives each of its connections: one object for all of them. */
export interface ConnectionServerSide {
  readonly logger: Logger;
  /** Called once the socket has closed. */
  readonly onEnded?: (connection: ServerConnection) => void;
}

/**
 * What the upgrade brought beyond the identity: the request until `onConnection` is done, then the
 * certificate and `authenticate()`'s data, if any (most connections have neither, and keep nothing).
 */
interface UpgradeInfo {
  readonly request: IncomingMessage | undefined;
  readonly certificate: PeerCertificate | undefined;
  readonly data: unknown;
}

/** A close that happened before a consumer attached, replayed to it. */
interface EarlyClose {
  readonly code: number;
  readonly reason: string;
}

/** Where the shared socket listeners find their connection. */
const CONNECTION = Symbol('ocppkit.connection');
type TaggedSocket = WebSocket & { [CONNECTION]: ServerConnection };

let releaseRequest: (connection: ServerConnection) => void;

interface SocketListeners {
  message(this: WebSocket, data: Buffer | ArrayBuffer | Buffer[]): void;
  error(this: WebSocket, error: Error): void;
  close(this: WebSocket, code: number, reason: Buffer): void;
}
let socketListeners: SocketListeners;

function connectionOf(ws: WebSocket): ServerConnection {
  return (ws as TaggedSocket)[CONNECTION];
}

export class ServerConnection implements Transport {
  readonly identity: string;
  readonly protocol: OcppProtocol;
  /** Path and query of the upgrade request, e.g. `/ocpp/CS001`. */
  readonly url: string;
  readonly #ws: WebSocket;
  /** The TCP (or TLS) socket under the WebSocket: its address, and its byte count for the keepalive. */
  readonly #socket: Socket;
  readonly #server: ConnectionServerSide;
  #upgrade: UpgradeInfo | undefined;
  #consumer: TransportEvents | undefined;
  /** What arrived before the consumer attached; made only then. */
  #pending: Array<string | EarlyClose> | undefined;
  /** `bytesRead` of the socket when the last keepalive ping went out; -1 before the first. */
  #readAtPing = -1;
  #ended = false;
  #endListeners: Array<() => void> | undefined;

  static {
    markCallsEventMethods(ServerConnection);
    releaseRequest = (connection) => connection.#releaseRequest();
  }

  constructor(init: ServerConnectionInit) {
    this.#ws = init.ws;
    this.identity = init.identity;
    this.protocol = init.protocol;
    this.#upgrade = { request: init.request, certificate: init.certificate, data: init.data };
    this.url = init.request.url ?? '/';
    this.#socket = init.request.socket as Socket;
    this.#server = init.server;
    const ws = init.ws as TaggedSocket;
    ws[CONNECTION] = this;
    ws.on('message', socketListeners.message);
    ws.on('error', socketListeners.error);
    // `on`, not `once`: 'close' fires once anyway, and `once` wraps the listener in a closure.
    ws.on('close', socketListeners.close);
  }

  /**
   * The upgrade request (headers, URL, socket), while `onConnection` runs: until it returns, or until
   * the promise it returns settles. Afterwards it throws `OCPP_ERR_REQUEST_RELEASED`: an idle station
   * should not keep its request and headers alive. Read what you need in `onConnection`, or in
   * `authenticate()` and pass it on as `data`.
   */
  get request(): IncomingMessage {
    const request = this.#upgrade?.request;
    if (!request) {
      throw new OcppError(
        'OCPP_ERR_REQUEST_RELEASED',
        'The upgrade request is only kept while onConnection runs; read it there',
      );
    }
    return request;
  }

  /** The client certificate of a TLS connection, when the station presented one. */
  get certificate(): PeerCertificate | undefined {
    return this.#upgrade?.certificate;
  }

  /** Whatever `authenticate()` returned as `data`. */
  get data(): unknown {
    return this.#upgrade?.data;
  }

  #releaseRequest(): void {
    const upgrade = this.#upgrade;
    if (!upgrade?.request) return;
    const { certificate, data } = upgrade;
    this.#upgrade =
      certificate === undefined && data === undefined ? undefined : { request: undefined, certificate, data };
  }

  /**
   * The peer's address. Read from the socket when first asked (Node then keeps it on the socket), so
   * that an idle connection nobody asks about keeps no copy; undefined when first asked after the
   * socket closed.
   */
  get remoteAddress(): string | undefined {
    return this.#socket.remoteAddress;
  }

  get connected(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  attach(consumer: TransportEvents): void {
    if (this.#consumer) throw new Error('A consumer is already attached to this transport');
    this.#consumer = consumer;
    const pending = this.#pending;
    this.#pending = undefined;
    if (!pending) return;
    for (const item of pending) {
      if (typeof item === 'string') {
        consumer.message(item);
      } else {
        consumer.disconnected(item.code, item.reason);
        consumer.ended();
      }
    }
  }

  send(text: string): boolean {
    if (this.#ws.readyState !== WebSocket.OPEN) return false;
    if (!writeTextFrame(this.#ws, this.#socket, text)) this.#ws.send(text);
    return true;
  }

  gatherWrites(): void {
    // Corked once per turn; the count is the socket's own, so a connection keeps no field for it.
    if (this.#socket.writableCorked > 0 || this.#ws.readyState !== WebSocket.OPEN) return;
    this.#socket.cork();
    process.nextTick(uncork, this.#socket);
  }

  close(code = 1000, reason = ''): Promise<void> {
    return this.closeGracefully(code, reason, 5000);
  }

  /** Sends a close frame and waits for the peer's; terminates after `timeoutMs`. */
  closeGracefully(code: number, reason: string, timeoutMs: number): Promise<void> {
    if (this.#ended) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#ws.terminate(), timeoutMs);
      this.whenEnded(() => {
        clearTimeout(timer);
        resolve();
      });
      if (this.#ws.readyState === WebSocket.OPEN || this.#ws.readyState === WebSocket.CONNECTING) {
        this.#ws.close(code, reason);
      }
    });
  }

  /** Calls `listener` once the socket has closed (at once if it already has). */
  whenEnded(listener: () => void): void {
    if (this.#ended) listener();
    else {
      this.#endListeners ??= [];
      this.#endListeners.push(listener);
    }
  }

  /**
   * One keepalive tick: drop the socket if nothing at all (no pong, no message) arrived since the
   * last ping, else ping again. Counting the socket's bytes needs no 'pong' listener per connection.
   */
  heartbeat(): void {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    const read = this.#socket.bytesRead;
    if (read === this.#readAtPing) {
      this.#server.logger.info({ identity: this.identity }, 'no pong: dropping dead connection');
      this.#ws.terminate();
      return;
    }
    this.#readAtPing = read;
    this.#ws.ping();
  }

  #deliver(text: string): void {
    if (this.#consumer) {
      this.#consumer.message(text);
    } else {
      this.#pending ??= [];
      this.#pending.push(text);
    }
  }

  #closed(code: number, reason: string): void {
    this.#ended = true;
    this.#releaseRequest();
    this.#server.logger.info({ identity: this.identity, code, reason }, 'station disconnected');
    if (this.#consumer) {
      this.#consumer.disconnected(code, reason);
      this.#consumer.ended();
    } else {
      this.#pending ??= [];
      this.#pending.push({ code, reason });
    }
    this.#server.onEnded?.(this);
    const listeners = this.#endListeners;
    this.#endListeners = undefined;
    if (listeners) for (const listener of listeners) listener();
  }

  static {
    // Shared by every connection; `this` is the socket (EventEmitter calls a listener on its emitter).
    socketListeners = {
      message(data) {
        connectionOf(this).#deliver(Array.isArray(data) ? Buffer.concat(data).toString() : data.toString());
      },
      error(error) {
        const connection = connectionOf(this);
        connection.#server.logger.info({ identity: connection.identity, err: error }, 'socket error');
      },
      close(code, reason) {
        connectionOf(this).#closed(code, reason.toString());
      },
    };
  }
}

/** Lets the request go once `onConnection` is done (for the server; not part of the public API). */
export function releaseUpgradeRequest(connection: ServerConnection): void {
  releaseRequest(connection);
}

/**
 * Runs once the current callback and the promise jobs it queued are done (Node runs process.nextTick
 * callbacks queued by a promise job after the promise queue is empty), so the frames written
 * meanwhile go out as one writev(2).
 */
function uncork(socket: Socket): void {
  socket.uncork();
}
