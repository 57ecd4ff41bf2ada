/**
 * The CSMS side of the socket: accepts stations on its own port or on an existing http/https server,
 * negotiates the subprotocol, authenticates before the upgrade, keeps connections alive with
 * ping/pong and closes them all gracefully.
 */
import {
  createServer as createHttpServer,
  type Server as HttpServer,
  type IncomingMessage,
  STATUS_CODES,
} from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as HttpsOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { type Logger, pino } from 'pino';
import { WebSocketServer } from 'ws';
import { OcppError } from '../errors/errors.js';
import { OCPP_PROTOCOLS, type OcppProtocol } from '../protocols.js';
import { DEFLATE_OPTIONS } from './deflate.js';
import { readBasicAuth, readIdentity, selectProtocol } from './handshake.js';
import { type ConnectionServerSide, releaseUpgradeRequest, ServerConnection } from './server-connection.js';

export interface AuthenticateInput {
  readonly identity: string;
  readonly protocol: OcppProtocol;
  /** The Basic Auth password, when the station sent credentials whose user name is its identity. */
  readonly password: string | undefined;
  /** The Basic Auth user name as sent (it should equal the identity). */
  readonly username: string | undefined;
  /** The TLS client certificate (security profile 3), when the socket is TLS and one was presented. */
  readonly certificate: PeerCertificate | undefined;
  /** True when the client certificate verified against the server's trusted CAs. */
  readonly certificateAuthorized: boolean;
  readonly request: IncomingMessage;
}

/**
 * `true` or `{ accept: true, data }` accepts (data is handed to `onConnection`);
 * `false` answers 401; `{ accept: false, status }` answers with that HTTP status (404 for unknown stations).
 */
export type AuthenticateResult =
  | boolean
  | { readonly accept: true; readonly data?: unknown }
  | { readonly accept: false; readonly status?: 400 | 401 | 403 | 404 | 503; readonly reason?: string };

export interface OcppServerOptions {
  /** Subprotocols we speak, in our order of preference (the station's order decides). Default: all. */
  readonly protocols?: readonly OcppProtocol[];
  readonly onConnection: (connection: ServerConnection) => void | Promise<void>;
  /** Decides on each station before the upgrade. Default: accept everyone. */
  readonly authenticate?: (input: AuthenticateInput) => AuthenticateResult | Promise<AuthenticateResult>;
  /** Attach to this server instead of creating one; call `listen()` on it yourself. */
  readonly server?: HttpServer;
  /** TLS options for security profiles 2 and 3 (set `requestCert: true` and `ca` for mutual TLS). */
  readonly tls?: HttpsOptions;
  readonly logger?: Logger;
  /** Largest accepted message in bytes (default 1 MiB); larger ones close the connection with 1009. */
  readonly maxPayload?: number;
  /** permessage-deflate, required of a 2.x CSMS (OCPP-J 2.0.1 Part 4 §5.4); default on. */
  readonly perMessageDeflate?: boolean;
  /** WebSocket ping interval in ms; a connection that missed the previous pong is dropped. 0 disables. */
  readonly pingIntervalMs?: number;
  /** What to do when a station connects while it is already connected. Default: close the old one. */
  readonly duplicateIdentity?: 'replace' | 'reject';
  /** Close gracefully and exit on SIGINT/SIGTERM. Default false. */
  readonly handleSignals?: boolean;
  /**
   * Length of the queue of connections the kernel has accepted and the server not yet taken, passed
   * to `listen()` (default 511, Node's). A boot storm of thousands of stations overflows 511 and
   * stations see refused or stalled connections. Linux caps it at `net.core.somaxconn` (4096 on
   * recent kernels). Not allowed with `server`: listen on that one yourself.
   */
  readonly backlog?: number;
}

export { DEFLATE_OPTIONS };

const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
const DEFAULT_PING_INTERVAL_MS = 30_000;
/** Node's own default for `listen()`. */
const DEFAULT_BACKLOG = 511;
/** RFC 6455 §7.4.1: 1001 "going away", e.g. a server going down. */
const CLOSE_GOING_AWAY = 1001;
/** RFC 6455 §7.4.1: 1002 protocol error, used when no subprotocol matches. */
const CLOSE_PROTOCOL_ERROR = 1002;

export class OcppServer {
  readonly #options: OcppServerOptions;
  readonly #protocols: readonly OcppProtocol[];
  readonly #log: Logger;
  /** Given to every connection: one object for all of them. */
  readonly #connectionSide: ConnectionServerSide;
  readonly #http: HttpServer;
  readonly #ownsHttp: boolean;
  readonly #wss: WebSocketServer;
  readonly #connections = new Map<string, ServerConnection>();
  /** Connections replaced by a newer one of the same station, until they have closed. */
  readonly #replaced = new Set<ServerConnection>();
  #pingTimer: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;
  #signalHandler: (() => void) | undefined;

  constructor(options: OcppServerOptions) {
    this.#options = options;
    this.#protocols = options.protocols ?? OCPP_PROTOCOLS;
    if (this.#protocols.length === 0)
      throw new OcppError('OCPP_ERR_BAD_OPTIONS', 'protocols must not be empty');
    this.#log = options.logger ?? pino({ level: 'silent' });
    this.#connectionSide = { logger: this.#log, onEnded: this.#forget };
    const { backlog } = options;
    if (backlog !== undefined && (options.server || !Number.isInteger(backlog) || backlog < 1)) {
      throw new OcppError(
        'OCPP_ERR_BAD_OPTIONS',
        options.server
          ? 'backlog applies to the server we listen on; pass it to your own server.listen()'
          : 'backlog must be a positive integer',
      );
    }
    this.#ownsHttp = !options.server;
    this.#http = options.server ?? (options.tls ? createHttpsServer(options.tls) : createHttpServer());
    if (this.#ownsHttp) {
      this.#http.on('request', (_req, res) => {
        res.writeHead(426, { 'content-type': 'text/plain' }).end('OCPP endpoint: upgrade to WebSocket\n');
      });
    }
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxPayload ?? DEFAULT_MAX_PAYLOAD,
      perMessageDeflate: options.perMessageDeflate === false ? false : DEFLATE_OPTIONS,
      // The subprotocol was chosen before the upgrade; ws echoes it (or none) in the handshake.
      handleProtocols: (_offered, request) => (request as UpgradeRequest).ocppProtocol ?? false,
      clientTracking: false,
    });
    this.#http.on('upgrade', this.#onUpgrade);
    const interval = options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
    if (interval > 0) {
      this.#pingTimer = setInterval(() => this.#pingAll(), interval);
      this.#pingTimer.unref();
    }
    if (options.handleSignals) {
      this.#signalHandler = () => {
        this.#log.info('signal received: closing every connection');
        void this.close().finally(() => process.exit(0));
      };
      process.once('SIGINT', this.#signalHandler);
      process.once('SIGTERM', this.#signalHandler);
    }
  }

  /** Connected stations by identity. */
  get connections(): ReadonlyMap<string, ServerConnection> {
    return this.#connections;
  }

  /** The underlying http(s) server. */
  get httpServer(): HttpServer {
    return this.#http;
  }

  /** Starts listening (only when the server owns its http server). Port 0 picks a free port. */
  listen(port: number, host = '0.0.0.0'): Promise<AddressInfo> {
    if (!this.#ownsHttp)
      throw new OcppError('OCPP_ERR_BAD_OPTIONS', 'listen() the http server you passed in');
    return new Promise((resolve, reject) => {
      this.#http.once('error', reject);
      this.#http.listen(port, host, this.#options.backlog ?? DEFAULT_BACKLOG, () => {
        this.#http.off('error', reject);
        resolve(this.#http.address() as AddressInfo);
      });
    });
  }

  /**
   * Closes every connection with a close frame (1001 by default), waits up to `timeoutMs` for the
   * close handshakes, then stops listening.
   */
  close(options: { code?: number; reason?: string; timeoutMs?: number } = {}): Promise<void> {
    this.#closing ??= this.#close(options);
    return this.#closing;
  }

  async #close({
    code = CLOSE_GOING_AWAY,
    reason = 'Server shutting down',
    timeoutMs = 5000,
  }): Promise<void> {
    if (this.#pingTimer) clearInterval(this.#pingTimer);
    if (this.#signalHandler) {
      process.off('SIGINT', this.#signalHandler);
      process.off('SIGTERM', this.#signalHandler);
    }
    this.#http.off('upgrade', this.#onUpgrade);
    const closing = [...this.#connections.values(), ...this.#replaced].map((c) =>
      c.closeGracefully(code, reason, timeoutMs),
    );
    await Promise.all(closing);
    this.#wss.close();
    if (this.#ownsHttp && this.#http.listening) {
      await new Promise<void>((resolve) => this.#http.close(() => resolve()));
    }
    this.#log.info({ closed: closing.length }, 'OCPP server closed');
  }

  #onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', this.#onUpgradeError);
    this.#upgrade(request as UpgradeRequest, socket, head).catch((error: unknown) => {
      this.#log.error({ err: error }, 'upgrade failed');
      rejectUpgrade(socket, 500, 'Internal Server Error');
    });
  };

  /** One listener for every socket being upgraded; ws puts its own on the socket once upgraded. */
  readonly #onUpgradeError = (error: Error): void => {
    this.#log.debug({ err: error }, 'socket error during upgrade');
  };

  async #upgrade(request: UpgradeRequest, socket: Duplex, head: Buffer): Promise<void> {
    if (this.#closing) return rejectUpgrade(socket, 503, 'Server shutting down');
    const protocol = selectProtocol(request.headers['sec-websocket-protocol'], this.#protocols);
    const identityResult = readIdentity(request.url, protocol);
    if ('error' in identityResult) {
      this.#log.info({ url: request.url, reason: identityResult.error }, 'connection refused: bad identity');
      return rejectUpgrade(socket, 400, identityResult.error);
    }
    const identity = identityResult.identity;
    if (!protocol) {
      // OCPP-J 2.0.1 Part 4 §3.1.2: no common subprotocol → finish the handshake without the header, then close.
      this.#log.info(
        { identity, offered: request.headers['sec-websocket-protocol'] },
        'no common subprotocol',
      );
      this.#wss.handleUpgrade(request, socket, head, (ws) => {
        ws.close(CLOSE_PROTOCOL_ERROR, 'No common subprotocol');
        // A peer that never answers the close frame is not kept waiting for ws's 30 s close timeout.
        setTimeout(() => ws.terminate(), 2000).unref();
      });
      return;
    }
    const credentials = readBasicAuth(request);
    const tlsSocket = request.socket as Partial<TLSSocket>;
    const rawCertificate = tlsSocket.encrypted ? tlsSocket.getPeerCertificate?.(true) : undefined;
    const certificate = rawCertificate && Object.keys(rawCertificate).length > 0 ? rawCertificate : undefined;
    let verdict: AuthenticateResult = true;
    if (this.#options.authenticate) {
      verdict = await this.#options.authenticate({
        identity,
        protocol,
        username: credentials?.username,
        password: credentials?.username === identity ? credentials.password : undefined,
        certificate,
        certificateAuthorized: Boolean(tlsSocket.authorized),
        request,
      });
    }
    if (verdict === false || (typeof verdict === 'object' && !verdict.accept)) {
      const status = typeof verdict === 'object' && !verdict.accept ? (verdict.status ?? 401) : 401;
      this.#log.info({ identity, status }, 'connection refused by authenticate()');
      const reason = typeof verdict === 'object' && !verdict.accept ? verdict.reason : undefined;
      return rejectUpgrade(socket, status, reason ?? STATUS_CODES[status] ?? 'Refused', status === 401);
    }
    if (socket.destroyed) return;
    // close() began while authenticate() ran: it no longer waits for new connections.
    if (this.#closing) return rejectUpgrade(socket, 503, 'Server shutting down');
    const existing = this.#connections.get(identity);
    if (existing && this.#options.duplicateIdentity === 'reject') {
      this.#log.info({ identity }, 'connection refused: identity already connected');
      return rejectUpgrade(socket, 409, 'Conflict');
    }
    request.ocppProtocol = protocol;
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      socket.off('error', this.#onUpgradeError);
      const connection = new ServerConnection({
        ws,
        identity,
        protocol,
        request,
        certificate,
        data: typeof verdict === 'object' && verdict.accept ? verdict.data : undefined,
        server: this.#connectionSide,
      });
      const previous = this.#connections.get(identity);
      this.#connections.set(identity, connection);
      if (previous) {
        this.#log.info({ identity }, 'station reconnected: closing its previous connection');
        this.#replaced.add(previous);
        void previous.close(1000, 'Replaced by a new connection');
      }
      if (this.#log.isLevelEnabled('info')) {
        this.#log.info({ identity, protocol, remoteAddress: connection.remoteAddress }, 'station connected');
      }
      this.#handOver(connection);
    });
  }

  /** Runs onConnection; the upgrade request is let go once it has returned or its promise settled. */
  #handOver(connection: ServerConnection): void {
    let result: void | Promise<void>;
    try {
      result = this.#options.onConnection(connection);
    } catch (error) {
      releaseUpgradeRequest(connection);
      return this.#connectionFailed(connection, error);
    }
    if (result === undefined) return releaseUpgradeRequest(connection);
    Promise.resolve(result).then(
      () => releaseUpgradeRequest(connection),
      (error: unknown) => {
        releaseUpgradeRequest(connection);
        this.#connectionFailed(connection, error);
      },
    );
  }

  #connectionFailed(connection: ServerConnection, error: unknown): void {
    this.#log.error(
      { err: error, identity: connection.identity },
      'onConnection failed: closing the connection',
    );
    void connection.close(1011, 'Internal error');
  }

  /** One function for every connection, called when its socket has closed. */
  readonly #forget = (connection: ServerConnection): void => {
    if (this.#connections.get(connection.identity) === connection)
      this.#connections.delete(connection.identity);
    else this.#replaced.delete(connection);
  };

  #pingAll(): void {
    for (const connection of this.#connections.values()) connection.heartbeat();
    for (const connection of this.#replaced) connection.heartbeat();
  }
}

interface UpgradeRequest extends IncomingMessage {
  ocppProtocol?: OcppProtocol;
}

/** Answers the upgrade request with a plain HTTP error: the reason phrase is the status's standard one. */
function rejectUpgrade(socket: Duplex, status: number, body: string, askForCredentials = false): void {
  if (socket.destroyed) return;
  const text = `${body.replace(/[\r\n]+/g, ' ')}\n`;
  const headers = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(text)}`,
  ];
  if (askForCredentials) headers.push('WWW-Authenticate: Basic realm="OCPP"');
  socket.end(`${headers.join('\r\n')}\r\n\r\n${text}`);
}

/**
 * Creates an OCPP server.
 * @example
 * const server = createServer({ protocols: ['ocpp2.0.1', 'ocpp1.6'], onConnection: (c) => new MyCsms(c) });
 * await server.listen(9000);
 */
export function createServer(options: OcppServerOptions): OcppServer {
  return new OcppServer(options);
}
