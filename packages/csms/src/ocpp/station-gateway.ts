/**
 * The OCPP side of the CSMS: accepts stations, gives each connection a versioned ChargePoint with
 * the CSMS handlers, records every frame, and lets the API send commands to connected stations.
 */
import { readFileSync } from 'node:fs';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import {
  CallErrorResponse,
  type ChargePoint,
  type CloseInfo,
  createServer,
  type FrameEvent,
  type OcppError,
  type OcppProtocol,
  type OcppServer,
  type ServerConnection,
} from 'ocppkit';
import type * as v16 from 'ocppkit/v16';
import type * as v201 from 'ocppkit/v201';
import type { Logger } from 'pino';
import type { CsmsConfig } from '../config.js';
import type { RegistrationStatus, Stores } from '../db/index.js';
import type { CsmsEvents } from '../events.js';
import type { CsmsMetrics } from '../metrics.js';
import { FrameObserver } from './frame-observer.js';
import { groupCommits } from './group-commits.js';
import { createStationAuthenticator } from './station-auth.js';
import {
  guardStation,
  StationChargePoint16,
  StationChargePoint201,
  type StationServices,
  StationSession,
  sessionOf,
} from './station-session.js';
import { TRIGGER_ACTIONS } from './triggered-messages.js';
import { V16_ROUTES } from './v16/register.js';
import { V201_ROUTES } from './v201/register.js';

export const SUPPORTED_PROTOCOLS: readonly OcppProtocol[] = ['ocpp2.0.1', 'ocpp1.6'];

/** Why a command could not reach a station; the API maps each to an HTTP status. */
export class CommandError extends Error {
  readonly code:
    | 'STATION_NOT_FOUND'
    | 'NOT_CONNECTED'
    | 'UNKNOWN_ACTION'
    | 'INVALID_REQUEST'
    | 'TIMEOUT'
    | 'CALL_ERROR';
  readonly details: unknown;
  constructor(code: CommandError['code'], message: string, details?: unknown) {
    super(message);
    this.name = 'CommandError';
    this.code = code;
    this.details = details;
  }
}

export interface GatewayDeps {
  readonly config: CsmsConfig;
  readonly stores: Stores;
  readonly events: CsmsEvents;
  readonly metrics: CsmsMetrics;
  readonly logger: Logger;
  readonly services: StationServices;
}

export class StationGateway {
  readonly #deps: GatewayDeps;
  readonly #sessions = new Map<string, StationSession>();
  readonly #frames: FrameObserver;
  /** The options of every station's ChargePoint: functions shared by all, nothing per station. */
  readonly #v16Options: v16.ChargePointOptions;
  readonly #v201Options: v201.ChargePointOptions;
  readonly #servers: OcppServer[] = [];
  /** Closed connections whose disconnect is still being recorded; stop() waits for them. */
  readonly #recordingDisconnects = new Set<Promise<void>>();

  constructor(deps: GatewayDeps) {
    this.#deps = deps;
    this.#frames = new FrameObserver({
      stores: deps.stores,
      events: deps.events,
      metrics: deps.metrics,
      logger: deps.logger,
      messageLog: deps.config.messageLog,
      messageLogSize: deps.config.messageLogSize,
    });
    const common = {
      logger: deps.logger,
      callTimeoutMs: 30_000,
      guard: guardStation,
      onFrame: (event: FrameEvent, chargePoint: object) =>
        this.#frames.observe(sessionOf(chargePoint), event),
      onClosed: (_info: CloseInfo, chargePoint: object) => this.#closed(sessionOf(chargePoint)),
    };
    this.#v16Options = { ...common, routes: V16_ROUTES };
    this.#v201Options = { ...common, routes: V201_ROUTES };
  }

  /** Starts the ws listener, and the wss listener when a certificate is configured. */
  async start(): Promise<{ ocppPort: number; tlsPort: number | undefined }> {
    const { config, logger } = this.#deps;
    const authenticate = createStationAuthenticator({
      stores: this.#deps.stores,
      unknownStations: config.unknownStations,
      logger,
    });
    const common = {
      protocols: SUPPORTED_PROTOCOLS,
      authenticate,
      logger,
      onConnection: (connection: ServerConnection) => this.#onConnection(connection),
    };
    const plain = createServer(common);
    this.#servers.push(plain);
    const ocppPort = (await plain.listen(config.ocppPort, config.host)).port;
    let tlsPort: number | undefined;
    if (config.tlsCert && config.tlsKey) {
      const secure = createServer({
        ...common,
        tls: {
          cert: readFileSync(config.tlsCert),
          key: readFileSync(config.tlsKey),
          ca: config.tlsCa ? readFileSync(config.tlsCa) : undefined,
          requestCert: Boolean(config.tlsCa),
          rejectUnauthorized: false,
          minVersion: 'TLSv1.2',
        },
      });
      this.#servers.push(secure);
      tlsPort = (await secure.listen(config.tlsPort, config.host)).port;
    }
    return { ocppPort, tlsPort };
  }

  /** Closes every station connection with close frames, then flushes what is still being written. */
  async stop(): Promise<void> {
    await Promise.all(this.#servers.map((s) => s.close()));
    await Promise.all([...this.#sessions.values()].map((s) => s.settled()));
    // The connections' closed promises have settled; their handlers add the disconnect recordings.
    await new Promise((resolve) => setImmediate(resolve));
    // Else the database may close under them ("driver has already been destroyed").
    await Promise.all(this.#recordingDisconnects);
    await this.#frames.flush();
  }

  isConnected(identity: string): boolean {
    return this.#sessions.get(identity)?.chargePoint.connected ?? false;
  }

  /** Protocol of each connected station. */
  connectedStations(): Map<string, OcppProtocol> {
    return new Map([...this.#sessions].map(([id, s]) => [id, s.protocol]));
  }

  protocolOf(identity: string): OcppProtocol | undefined {
    return this.#sessions.get(identity)?.protocol;
  }

  /**
   * Sends a CALL to a connected station and returns its CALLRESULT payload.
   * Throws `CommandError` (NOT_CONNECTED, UNKNOWN_ACTION, INVALID_REQUEST, TIMEOUT, CALL_ERROR).
   */
  async call(identity: string, action: string, payload: object, timeoutMs = 30_000): Promise<unknown> {
    const session = this.#sessions.get(identity);
    if (!session?.chargePoint.connected) {
      throw new CommandError('NOT_CONNECTED', `Station ${identity} is not connected`);
    }
    const chargePoint = session.chargePoint as unknown as ChargePoint<
      Record<string, { request: object; response: object }>
    >;
    this.#deps.metrics.messagesOut.inc({ action });
    // A triggered message may be sent while the station is Pending (2.0.1 B02.FR.02). It is expected
    // from the moment the trigger leaves: the station sends it right after its answer (F06.FR.04),
    // possibly in the same read as the answer, before this call's continuation runs. It is
    // forgotten again unless the station answers Accepted.
    const forget = TRIGGER_ACTIONS.has(action) ? session.triggeredMessages.expect(payload) : undefined;
    try {
      const response = await chargePoint.call(action, payload, { timeoutMs });
      if ((response as { status?: unknown }).status !== 'Accepted') forget?.();
      return response;
    } catch (error) {
      forget?.();
      throw toCommandError(error, identity, action);
    }
  }

  /**
   * Applies a registration status to the live session, so its guard serves (or refuses) the
   * station's next CALL at once, without waiting for a reboot. The database is the caller's to
   * update. False when the station is not connected.
   */
  setRegistrationStatus(identity: string, status: RegistrationStatus): boolean {
    const session = this.#sessions.get(identity);
    if (!session) return false;
    const was = session.registrationStatus;
    session.registrationStatus = status;
    session.logger.info({ status }, 'registration status changed by an operator');
    // A Pending station sends nothing but BootNotification, and that only once the interval of its
    // last boot has passed, unless it is asked to (1.6 §4.2; 2.0.1 B02.FR.02, B02.FR.04): so it is
    // asked, and is Accepted now rather than minutes later. A Rejected one is not: the CSMS shall not
    // initiate any message to it (2.0.1 B03.FR.03; 1.6 §4.2 "should not").
    if (status === 'Accepted' && was === 'Pending') this.#askToBoot(session);
    return true;
  }

  #askToBoot(session: StationSession): void {
    this.call(session.identity, 'TriggerMessage', { requestedMessage: 'BootNotification' }).then(
      (response) =>
        session.logger.info(
          { status: (response as { status?: unknown }).status },
          'asked the accepted station to boot again (TriggerMessage BootNotification)',
        ),
      (error: unknown) =>
        session.logger.warn(
          { err: error },
          'could not ask the accepted station to boot again; it will be Accepted at its next boot',
        ),
    );
  }

  /** Closes the station's connection normally (1000) and waits for the close; false when not connected. */
  async disconnect(identity: string): Promise<boolean> {
    const session = this.#sessions.get(identity);
    if (!session?.chargePoint.connected) return false;
    await session.chargePoint.close(1000, 'Disconnected by the CSMS');
    return true;
  }

  /**
   * Returns at once, so that the server lets go of the upgrade request (its headers, URL and parser
   * state) now rather than once the connect row is stored, tens of ms later in a boot storm. (The
   * idle memory per station did not measurably change: 5.6–5.8 KB either way, in single runs.)
   * Frames the station sends meanwhile wait in the connection until the ChargePoint attaches.
   */
  #onConnection(connection: ServerConnection): void {
    const clientCertificate = verifiedClientCertificate(connection);
    this.#accept(connection, clientCertificate).catch((error: unknown) => {
      this.#deps.logger.error(
        { err: error, identity: connection.identity },
        'could not record the connection: closing it',
      );
      void connection.close(1011, 'Internal error');
    });
  }

  async #accept(connection: ServerConnection, clientCertificate: PeerCertificate | undefined): Promise<void> {
    const { stores, metrics, events } = this.#deps;
    const { identity, protocol } = connection;
    // Batched with the other stations connecting meanwhile (group-commits.ts): a boot storm.
    const commits = groupCommits(stores);
    const { connectedAt, registrationStatus } = await commits.connect.call({
      identity,
      protocol,
      at: new Date(),
    });
    const chargePoint =
      protocol === 'ocpp1.6'
        ? new StationChargePoint16(connection, this.#v16Options)
        : new StationChargePoint201(connection, this.#v201Options);
    const session = new StationSession({
      chargePoint,
      registrationStatus,
      services: this.#deps.services,
      clientCertificate,
      connectedAt: connectedAt.getTime(),
    });
    const previous = this.#sessions.get(identity);
    this.#sessions.set(identity, session);
    if (!previous) metrics.connectedStations.inc({ protocol });
    else if (previous.protocol !== protocol) {
      metrics.connectedStations.dec({ protocol: previous.protocol });
      metrics.connectedStations.inc({ protocol });
    }
    events.emit({ type: 'station', identity, connected: true, protocol });
  }

  /** A station's connection closed: unless a newer one replaced it, records the disconnect. */
  #closed(session: StationSession): void {
    session.ended();
    this.#frames.stationLeft(session);
    const { identity, protocol } = session;
    if (this.#sessions.get(identity) !== session) return;
    this.#sessions.delete(identity);
    this.#deps.metrics.connectedStations.dec({ protocol });
    const recording: Promise<void> = this.#recordDisconnect(session).finally(() =>
      this.#recordingDisconnects.delete(recording),
    );
    this.#recordingDisconnects.add(recording);
  }

  async #recordDisconnect(session: StationSession): Promise<void> {
    const { identity } = session;
    try {
      await session.settled();
      const at = new Date();
      await groupCommits(this.#deps.stores).disconnect.call({
        identity,
        connectedAt: new Date(session.connectedAt),
        at,
      });
    } catch (error) {
      this.#deps.logger.error({ err: error, identity }, 'could not record the disconnect');
    }
    this.#deps.events.emit({ type: 'station', identity, connected: false });
  }
}

/**
 * The client certificate of a TLS connection when it verified against the CSMS's CA: security profile
 * 3 in use. One that did not verify proves nothing (the socket is opened with rejectUnauthorized
 * false, so that station-auth.ts can answer such a station with 401).
 */
function verifiedClientCertificate(connection: ServerConnection) {
  const socket = connection.request.socket as Partial<TLSSocket>;
  return connection.certificate && socket.authorized === true ? connection.certificate : undefined;
}

function toCommandError(error: unknown, identity: string, action: string): CommandError {
  if (error instanceof CallErrorResponse) {
    return new CommandError('CALL_ERROR', `${identity} answered ${action} with ${error.rawErrorCode}`, {
      errorCode: error.rawErrorCode,
      description: error.description,
      details: error.details,
    });
  }
  const code = (error as OcppError).code;
  switch (code) {
    case 'OCPP_ERR_TIMEOUT':
      return new CommandError('TIMEOUT', `${identity} did not answer ${action} in time`);
    case 'OCPP_ERR_UNKNOWN_ACTION':
      return new CommandError('UNKNOWN_ACTION', (error as Error).message);
    case 'OCPP_ERR_REQUEST_INVALID':
      return new CommandError('INVALID_REQUEST', (error as Error).message);
    case 'OCPP_ERR_CONNECTION_CLOSED':
      return new CommandError('NOT_CONNECTED', `${identity} disconnected before answering ${action}`);
    default:
      return new CommandError('CALL_ERROR', (error as Error).message);
  }
}
