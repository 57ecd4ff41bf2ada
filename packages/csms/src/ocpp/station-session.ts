/**
 * What the CSMS keeps about one connected station while it is connected: its registration status
 * (loaded from the database, so a reconnect without reboot is served), the services handlers use,
 * and the CALLs still being answered (so shutdown can wait for them).
 */
import type { PeerCertificate } from 'node:tls';
import { CallErrorReply, type OcppProtocol } from 'ocppkit';
import * as v16 from 'ocppkit/v16';
import * as v201 from 'ocppkit/v201';
import type { Logger } from 'pino';
import type { CsmsConfig } from '../config.js';
import type { Stores } from '../db/index.js';
import type { RegistrationStatus } from '../db/schema.js';
import type { CsmsEvents } from '../events.js';
import type { CsmsMetrics } from '../metrics.js';
import type { Authorizer } from './authorization.js';
import type { LogEntry } from './message-recorder.js';
import type { MeterValueWriter } from './meter-value-writer.js';
import { refuseUnstorable } from './storable-text.js';
import { TriggeredMessages } from './triggered-messages.js';
import { ReportParts } from './v201/reports.js';

/**
 * The ChargePoint of a connected station, with its CSMS session in a field: the handlers of the
 * shared route tables find it in `context.chargePoint`, with no lookup and no table entry per station.
 */
export class StationChargePoint16 extends v16.ChargePoint {
  session: StationSession | undefined;
}

export class StationChargePoint201 extends v201.ChargePoint {
  session: StationSession | undefined;
}

export type StationChargePoint = StationChargePoint16 | StationChargePoint201;

/** The session of the station whose ChargePoint received a CALL (`context.chargePoint`). */
export function sessionOf(chargePoint: object): StationSession {
  const session = (chargePoint as Partial<StationChargePoint>).session;
  if (!session) throw new Error('no CSMS session for this ChargePoint');
  return session;
}

const STATUSES: Readonly<Record<RegistrationStatus, RegistrationStatus>> = {
  Accepted: 'Accepted',
  Pending: 'Pending',
  Rejected: 'Rejected',
};

/**
 * The guard of every station (the `guard` option of its ChargePoint: one function, no closure per
 * station). 2.0.1 B02.FR.09 / B03.FR.07 (OCTT TC_B_30_CSMS): before the station is Accepted, any
 * CALL but BootNotification is answered with SecurityError. OCPP 1.6 errata §3.8 recommends the
 * same. B02.FR.02 (1.6 §4.2 likewise) exempts, while Pending, what the CSMS asked for: NotifyReport
 * only ever answers its GetBaseReport/GetReport, and a message a TriggerMessage asked for (OCTT
 * TC_B_31_CSMS) passes once. First of all, a payload the database could not store (storable-text.ts)
 * is refused.
 */
export function guardStation(action: string, payload: unknown, chargePoint: object): void {
  refuseUnstorable(action, payload);
  if (action === 'BootNotification') return;
  const session = sessionOf(chargePoint);
  const status = session.registrationStatus;
  if (status === 'Accepted') return;
  if (status === 'Pending' && (action === 'NotifyReport' || session.triggeredMessages.take(action))) return;
  throw new CallErrorReply('SecurityError', `${action} refused: the station is not accepted (boot first)`);
}

/** Everything a handler may use, wired once at start-up. */
export interface StationServices {
  readonly config: CsmsConfig;
  readonly stores: Stores;
  readonly events: CsmsEvents;
  readonly metrics: CsmsMetrics;
  readonly logger: Logger;
  readonly meterValues: MeterValueWriter;
  readonly authorizer: Authorizer;
}

export interface StationSessionInit {
  readonly chargePoint: StationChargePoint;
  readonly registrationStatus: RegistrationStatus | null;
  readonly services: StationServices;
  /** The client certificate the station presented over TLS, when it verified against our CA (profile 3). */
  readonly clientCertificate?: PeerCertificate;
  /** When the connection was recorded (ms since the epoch), for its disconnect record. */
  readonly connectedAt: number;
}

interface OpenCall {
  readonly messageId: string;
  readonly action: string;
  /** performance.now() when it arrived. */
  readonly at: number;
}

/** What few sessions ever need, made when one does: an idle station keeps one field for all of it. */
interface RareState {
  /** The verified client certificate (security profile 3), for the serial number check of B01.FR.11. */
  clientCertificate: PeerCertificate | undefined;
  triggeredMessages: TriggeredMessages | undefined;
  /** CALLs received while another was open (see `#open`). */
  more: Map<string, OpenCall> | undefined;
  /** settled() callers waiting for the open CALLs to be answered. */
  idle: Array<() => void> | undefined;
  reportParts: ReportParts | undefined;
}

export class StationSession {
  readonly chargePoint: StationChargePoint;
  readonly services: StationServices;
  /** Kept per station in the database; cached here for the guard. */
  #status: RegistrationStatus | null = null;
  readonly connectedAt: number;
  /**
   * The CALL received and not yet answered. One at a time, normally (OCPP-J §4.1.1); a station that
   * sends more before the answers come has the others in `more`. Not a map for one: a map made and
   * emptied per CALL was measurable on the Heartbeat path.
   */
  #open: OpenCall | undefined;
  #rare: RareState | undefined;
  /** Rows of this connection in the message log since it was last trimmed (message-recorder.ts). */
  logRowsSinceTrim = 0;
  /** CALLs held for their answers, to be logged in one row with them (message-recorder.ts). */
  logCallIn: LogEntry | undefined = undefined;
  logCallOut: LogEntry | undefined = undefined;

  constructor(init: StationSessionInit) {
    init.chargePoint.session = this;
    this.chargePoint = init.chargePoint;
    this.services = init.services;
    this.registrationStatus = init.registrationStatus;
    if (init.clientCertificate) this.#rareState().clientCertificate = init.clientCertificate;
    this.connectedAt = init.connectedAt;
  }

  /** The client certificate the station presented over TLS, when it verified against our CA (profile 3). */
  get clientCertificate(): PeerCertificate | undefined {
    return this.#rare?.clientCertificate;
  }

  get registrationStatus(): RegistrationStatus | null {
    return this.#status;
  }

  /** Kept as one of the three constants: the database gives every row a string of its own (24 B each). */
  set registrationStatus(status: RegistrationStatus | null) {
    this.#status = status === null ? null : STATUSES[status];
  }

  get identity(): string {
    return this.chargePoint.identity;
  }

  get protocol(): OcppProtocol {
    return this.chargePoint.protocol;
  }

  /** The station's logger (the ChargePoint's child logger, made when first used). */
  get logger(): Logger {
    return this.chargePoint.logger;
  }

  /** What the CSMS asked for with TriggerMessage; the gateway records, the guard lets it through. */
  get triggeredMessages(): TriggeredMessages {
    const rare = this.#rareState();
    rare.triggeredMessages ??= new TriggeredMessages();
    return rare.triggeredMessages;
  }

  /** The connection has closed (the gateway calls this). */
  ended(): void {
    // Calls that can no longer be answered still finish their writes; only the reply is lost.
    if (this.#open) {
      setTimeout(() => {
        this.#open = undefined;
        if (this.#rare) this.#rare.more = undefined;
        this.#wake();
      }, 10_000).unref();
    }
  }

  /** The parts of multi-part 2.0.1 reports seen so far (made on the first report). */
  get reportParts(): ReportParts {
    const rare = this.#rareState();
    rare.reportParts ??= new ReportParts();
    return rare.reportParts;
  }

  /** The gateway saw a CALL from the station (frame-observer.ts). */
  callReceived(messageId: string, action: string): void {
    const call: OpenCall = { messageId, action, at: performance.now() };
    if (!this.#open) this.#open = call;
    else {
      const rare = this.#rareState();
      rare.more ??= new Map();
      rare.more.set(messageId, call);
    }
  }

  /** The gateway saw the answer to a CALL; returns the CALL and how long it took (seconds). */
  callAnswered(messageId: string): { call: OpenCall; seconds: number } | undefined {
    let call = this.#open;
    const rare = this.#rare;
    if (call?.messageId === messageId) {
      // The oldest of the others, if any, becomes the open one.
      this.#open = undefined;
      const more = rare?.more;
      if (more) {
        const [next] = more.values();
        this.#open = next;
        if (next) more.delete(next.messageId);
        if (more.size === 0) this.#dropMore();
      }
    } else {
      const more = rare?.more;
      call = more?.get(messageId);
      if (!call || !more) return undefined;
      more.delete(messageId);
      if (more.size === 0) this.#dropMore();
    }
    if (!this.#open) this.#wake();
    return { call, seconds: (performance.now() - call.at) / 1000 };
  }

  /** Resolves when every CALL received so far has been answered. */
  settled(): Promise<void> {
    if (!this.#open) return Promise.resolve();
    return new Promise((resolve) => {
      const rare = this.#rareState();
      rare.idle ??= [];
      rare.idle.push(resolve);
    });
  }

  /** Made with every field, so that all sessions' rare states share one shape. */
  #rareState(): RareState {
    this.#rare ??= {
      clientCertificate: undefined,
      triggeredMessages: undefined,
      more: undefined,
      idle: undefined,
      reportParts: undefined,
    };
    return this.#rare;
  }

  /** No more CALLs wait behind the open one: the rare state goes too when it holds nothing else. */
  #dropMore(): void {
    const rare = this.#rare;
    if (!rare) return;
    rare.more = undefined;
    if (!rare.clientCertificate && !rare.triggeredMessages && !rare.idle && !rare.reportParts) {
      this.#rare = undefined;
    }
  }

  #wake(): void {
    const idle = this.#rare?.idle;
    if (!idle) return;
    this.#rare!.idle = undefined;
    for (const resolve of idle) resolve();
  }
}
