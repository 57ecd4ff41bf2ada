/**
 * The charging-station side of the socket: connects to a CSMS, and reconnects with the OCPP back-off
 * when the connection drops. Calls made while reconnecting wait in the session's queue.
 */
import { randomInt } from 'node:crypto';
import type { SecureContextOptions } from 'node:tls';
import { type Logger, pino } from 'pino';
import { WebSocket } from 'ws';
import { OcppError } from '../errors/errors.js';
import { isOcppProtocol, type OcppProtocol } from '../protocols.js';
import { DEFLATE_OPTIONS } from './server.js';
import { EventRelay, markCallsEventMethods, type Transport, type TransportEvents } from './transport.js';

export interface ReconnectOptions {
  /** RetryBackOffWaitMinimum, in ms (default 5 000). */
  readonly minWaitMs?: number;
  /** RetryBackOffRandomRange, in ms (default 10 000). */
  readonly randomRangeMs?: number;
  /** RetryBackOffRepeatTimes: how many times the wait doubles (default 4). */
  readonly repeatTimes?: number;
}

export interface ConnectOptions {
  /** The CSMS endpoint, e.g. `ws://localhost:9000/ocpp`; the identity is appended as a path segment. */
  readonly url: string;
  readonly identity: string;
  /** Subprotocols to offer, in order of preference. */
  readonly protocols: readonly OcppProtocol[];
  /** Basic Auth password (security profiles 1 and 2); the user name is the identity. */
  readonly password?: string;
  /** TLS material for wss (profile 3: `cert` and `key` of the station; `ca` to trust the CSMS). */
  readonly tls?: Pick<SecureContextOptions, 'ca' | 'cert' | 'key' | 'passphrase'> & {
    rejectUnauthorized?: boolean;
  };
  /** Reconnect after a drop (default on). `false` ends the transport at the first close. */
  readonly reconnect?: ReconnectOptions | false;
  readonly logger?: Logger;
  readonly perMessageDeflate?: boolean;
  /** Local address to connect from (spreads many stations over 127.0.0.0/8). */
  readonly localAddress?: string;
  readonly handshakeTimeoutMs?: number;
  readonly maxPayload?: number;
}

/** The CSMS refused the WebSocket upgrade (e.g. 401 wrong password, 404 unknown station). */
export class HandshakeError extends OcppError {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super('OCPP_ERR_CONNECTION_CLOSED', message);
    this.name = 'HandshakeError';
    this.status = status;
  }
}

const silentLogger = pino({ level: 'silent' });

export class ClientConnection implements Transport {
  readonly identity: string;
  #protocol: OcppProtocol | undefined;
  readonly #options: ConnectOptions;
  readonly #relay = new EventRelay();
  #log: Logger | undefined;
  #ws: WebSocket | undefined;
  #closedByUs = false;
  #ended = false;
  #attempt = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #endListeners: Array<() => void> = [];

  static {
    markCallsEventMethods(ClientConnection);
  }

  constructor(options: ConnectOptions) {
    this.#options = options;
    this.identity = options.identity;
  }

  /** The child logger, made on first use (a simulator runs thousands of these). */
  get #logger(): Logger {
    this.#log ??= (this.#options.logger ?? silentLogger).child({ identity: this.identity });
    return this.#log;
  }

  get protocol(): OcppProtocol {
    if (!this.#protocol) throw new OcppError('OCPP_ERR_CONNECTION_CLOSED', 'Not connected yet');
    return this.#protocol;
  }

  get connected(): boolean {
    return this.#ws?.readyState === WebSocket.OPEN;
  }

  attach(events: TransportEvents): void {
    this.#relay.attach(events);
  }

  send(text: string): boolean {
    if (this.#ws?.readyState !== WebSocket.OPEN) return false;
    this.#ws.send(text);
    return true;
  }

  /** Opens the first connection; rejects when it fails (no retries for the first attempt). */
  open(): Promise<void> {
    return new Promise((resolve, reject) => this.#open(resolve, reject));
  }

  /** Closes for good: no reconnects. Queued calls fail. */
  close(code = 1000, reason = ''): Promise<void> {
    this.#closedByUs = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    if (this.#ended) return Promise.resolve();
    return new Promise((resolve) => {
      this.#endListeners.push(resolve);
      const ws = this.#ws;
      if (ws && (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)) {
        const timer = setTimeout(() => ws.terminate(), 5000);
        ws.once('close', () => clearTimeout(timer));
        ws.close(code, reason);
      } else {
        this.#end();
      }
    });
  }

  /** Drops the socket without a close frame, as a network failure would (for tests and simulators). */
  simulateNetworkFailure(): void {
    this.#ws?.terminate();
  }

  #open(onFirstOpen?: () => void, onFirstFailure?: (error: Error) => void): void {
    const { url, identity, protocols, password, tls } = this.#options;
    const target = `${url.replace(/\/+$/, '')}/${encodeURIComponent(identity)}`;
    const headers: Record<string, string> = {};
    if (password !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`${identity}:${password}`).toString('base64')}`;
    }
    const ws = new WebSocket(target, [...protocols], {
      headers,
      perMessageDeflate: this.#options.perMessageDeflate === false ? false : DEFLATE_OPTIONS,
      handshakeTimeout: this.#options.handshakeTimeoutMs ?? 30_000,
      maxPayload: this.#options.maxPayload ?? 1024 * 1024,
      localAddress: this.#options.localAddress,
      ca: tls?.ca,
      cert: tls?.cert,
      key: tls?.key,
      passphrase: tls?.passphrase,
      rejectUnauthorized: tls?.rejectUnauthorized ?? true,
    });
    this.#ws = ws;
    let opened = false;
    let failure: Error | undefined;
    ws.on('unexpected-response', (_request, response) => {
      failure = new HandshakeError(
        `CSMS refused the connection: HTTP ${response.statusCode}`,
        response.statusCode,
      );
      response.resume();
      ws.terminate();
    });
    ws.on('error', (error) => {
      // ws rejects a handshake that returned none of the offered subprotocols before 'open'.
      failure ??= /subprotocol/i.test(error.message)
        ? new HandshakeError(`CSMS accepted none of the offered subprotocols ${protocols.join(', ')}`)
        : error;
      this.#logger.debug({ err: error }, 'socket error');
    });
    ws.on('open', () => {
      if (!isOcppProtocol(ws.protocol)) {
        failure = new HandshakeError(
          `CSMS accepted none of the offered subprotocols ${protocols.join(', ')}`,
        );
        ws.close(1002, 'No common subprotocol');
        return;
      }
      opened = true;
      this.#attempt = 0;
      this.#protocol = ws.protocol;
      this.#logger.info({ protocol: ws.protocol }, 'connected to CSMS');
      onFirstOpen?.();
      this.#relay.connected();
    });
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      this.#relay.message(Array.isArray(data) ? Buffer.concat(data).toString() : data.toString());
    });
    ws.on('close', (code: number, reason: Buffer) => {
      if (!opened) {
        if (onFirstFailure)
          return this.#end(() => onFirstFailure(failure ?? new HandshakeError('Connection failed')));
        return this.#scheduleReconnect();
      }
      this.#logger.info({ code, reason: reason.toString() }, 'disconnected from CSMS');
      this.#relay.disconnected(code, reason.toString());
      if (this.#closedByUs || this.#options.reconnect === false) return this.#end();
      this.#scheduleReconnect();
    });
  }

  /**
   * OCPP-J 2.0.1 Part 4 §5.3 "Reconnecting" (errata 2025-09 §4.12): wait RetryBackOffWaitMinimum plus
   * a random part up to RetryBackOffRandomRange; double the wait after every failed attempt, at most
   * RetryBackOffRepeatTimes times; reset after a successful connection.
   */
  #scheduleReconnect(): void {
    if (this.#closedByUs) return this.#end();
    const { minWaitMs = 5000, randomRangeMs = 10_000, repeatTimes = 4 } = this.#options.reconnect || {};
    const doubling = Math.min(this.#attempt, repeatTimes);
    const delay = minWaitMs * 2 ** doubling + (randomRangeMs > 0 ? randomInt(randomRangeMs + 1) : 0);
    this.#attempt += 1;
    this.#logger.info({ delayMs: delay, attempt: this.#attempt }, 'reconnecting');
    this.#retryTimer = setTimeout(() => this.#open(), delay);
  }

  #end(then?: () => void): void {
    if (this.#ended) return;
    this.#ended = true;
    then?.();
    this.#relay.ended();
    for (const listener of this.#endListeners.splice(0)) listener();
  }
}

/**
 * Connects to a CSMS as a charging station; resolves once the first connection is open.
 * @example
 * const transport = await connect({ url: 'ws://localhost:9000/ocpp', identity: 'CS001', protocols: ['ocpp1.6'] });
 * const cp = new ChargePoint(transport); // from 'ocppkit/v16'
 */
export async function connect(options: ConnectOptions): Promise<ClientConnection> {
  const connection = new ClientConnection(options);
  await connection.open();
  return connection;
}
