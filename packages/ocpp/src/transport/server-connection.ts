/** One accepted station socket, as a `Transport` for a `ChargePoint`. */
import type { IncomingMessage } from 'node:http';
import type { PeerCertificate } from 'node:tls';
import type { Logger } from 'pino';
import { WebSocket } from 'ws';
import type { OcppProtocol } from '../protocols.js';
import { EventRelay, type Transport, type TransportEvents } from './transport.js';

export interface ServerConnectionInit {
  readonly ws: WebSocket;
  readonly identity: string;
  readonly protocol: OcppProtocol;
  readonly request: IncomingMessage;
  readonly certificate: PeerCertificate | undefined;
  readonly data: unknown;
  readonly logger: Logger;
}

export class ServerConnection implements Transport {
  readonly identity: string;
  readonly protocol: OcppProtocol;
  readonly remoteAddress: string | undefined;
  /** The upgrade request (headers, URL). */
  readonly request: IncomingMessage;
  readonly certificate: PeerCertificate | undefined;
  /** Whatever `authenticate()` returned as `data`. */
  readonly data: unknown;
  readonly #ws: WebSocket;
  readonly #relay = new EventRelay();
  readonly #log: Logger;
  #alive = true;
  #ended = false;
  #endListeners: Array<() => void> = [];

  constructor(init: ServerConnectionInit) {
    this.#ws = init.ws;
    this.identity = init.identity;
    this.protocol = init.protocol;
    this.request = init.request;
    this.certificate = init.certificate;
    this.data = init.data;
    this.remoteAddress = init.request.socket.remoteAddress;
    this.#log = init.logger;
    const ws = init.ws;
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      this.#alive = true;
      this.#relay.message(Array.isArray(data) ? Buffer.concat(data).toString() : data.toString());
    });
    ws.on('pong', () => {
      this.#alive = true;
    });
    ws.on('error', (error) => this.#log.info({ identity: this.identity, err: error }, 'socket error'));
    ws.once('close', (code: number, reason: Buffer) => {
      this.#ended = true;
      this.#log.info({ identity: this.identity, code, reason: reason.toString() }, 'station disconnected');
      this.#relay.disconnected(code, reason.toString());
      this.#relay.ended();
      for (const listener of this.#endListeners.splice(0)) listener();
    });
  }

  get connected(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  attach(events: TransportEvents): void {
    this.#relay.attach(events);
  }

  send(text: string): boolean {
    if (this.#ws.readyState !== WebSocket.OPEN) return false;
    this.#ws.send(text);
    return true;
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
    else this.#endListeners.push(listener);
  }

  /** One keepalive tick: drop the socket if the last ping went unanswered, else ping again. */
  heartbeat(): void {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    if (!this.#alive) {
      this.#log.info({ identity: this.identity }, 'no pong: dropping dead connection');
      this.#ws.terminate();
      return;
    }
    this.#alive = false;
    this.#ws.ping();
  }
}
