/**
 * What the CSMS keeps about one connected station while it is connected: its registration status
 * (loaded from the database, so a reconnect without reboot is served), the services handlers use,
 * and the CALLs still being answered (so shutdown can wait for them).
 */
import type { PeerCertificate } from 'node:tls';
import { CallErrorReply, type OcppProtocol } from 'ocppkit';
import type * as v16 from 'ocppkit/v16';
import type * as v201 from 'ocppkit/v201';
import type { Logger } from 'pino';
import type { CsmsConfig } from '../config.js';
import type { Stores } from '../db/index.js';
import type { RegistrationStatus } from '../db/schema.js';
import type { CsmsEvents } from '../events.js';
import type { CsmsMetrics } from '../metrics.js';
import type { Authorizer } from './authorization.js';
import type { MeterValueWriter } from './meter-value-writer.js';
import { TriggeredMessages } from './triggered-messages.js';

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
  readonly identity: string;
  readonly protocol: OcppProtocol;
  readonly chargePoint: v16.ChargePoint | v201.ChargePoint;
  readonly registrationStatus: RegistrationStatus | null;
  readonly services: StationServices;
  /** The client certificate the station presented over TLS, when it verified against our CA (profile 3). */
  readonly clientCertificate?: PeerCertificate;
}

export class StationSession {
  readonly identity: string;
  readonly protocol: OcppProtocol;
  readonly chargePoint: v16.ChargePoint | v201.ChargePoint;
  readonly services: StationServices;
  readonly logger: Logger;
  /** Kept per station in the database; cached here for the guard. */
  registrationStatus: RegistrationStatus | null;
  /** The verified client certificate (security profile 3), for the serial number check of B01.FR.11. */
  readonly clientCertificate: PeerCertificate | undefined;
  /** What the CSMS asked for with TriggerMessage; the gateway records, the guard lets it through. */
  readonly triggeredMessages = new TriggeredMessages();
  readonly #started = new Map<string, { action: string; at: bigint }>();
  #idle: Array<() => void> = [];

  constructor(init: StationSessionInit) {
    this.identity = init.identity;
    this.protocol = init.protocol;
    this.chargePoint = init.chargePoint;
    this.services = init.services;
    this.registrationStatus = init.registrationStatus;
    this.clientCertificate = init.clientCertificate;
    this.logger = init.chargePoint.logger;
    // 2.0.1 B02.FR.09 / B03.FR.07 (OCTT TC_B_30_CSMS): before the station is Accepted, any CALL but
    // BootNotification is answered with SecurityError. OCPP 1.6 errata §3.8 recommends the same.
    // B02.FR.02 (1.6 §4.2 likewise) exempts, while Pending, what the CSMS asked for: NotifyReport only
    // ever answers its GetBaseReport/GetReport, and a message a TriggerMessage asked for (OCTT
    // TC_B_31_CSMS) passes once.
    init.chargePoint.guard((action) => {
      if (action === 'BootNotification' || this.registrationStatus === 'Accepted') return;
      const pending = this.registrationStatus === 'Pending';
      if (pending && (action === 'NotifyReport' || this.triggeredMessages.take(action))) return;
      throw new CallErrorReply(
        'SecurityError',
        `${action} refused: the station is not accepted (boot first)`,
      );
    });
    init.chargePoint.onFrame((event) => {
      const frame = event.frame;
      if (!frame) return;
      if (event.direction === 'in' && frame[0] === 2) {
        this.#started.set(frame[1], { action: frame[2], at: process.hrtime.bigint() });
      } else if (event.direction === 'out' && (frame[0] === 3 || frame[0] === 4)) {
        const started = this.#started.get(frame[1]);
        if (!started) return;
        this.#started.delete(frame[1]);
        const seconds = Number(process.hrtime.bigint() - started.at) / 1e9;
        this.services.metrics.handlerSeconds.observe({ action: started.action }, seconds);
        if (this.#started.size === 0) for (const resolve of this.#idle.splice(0)) resolve();
      }
    });
    void init.chargePoint.closed.then(() => {
      // Calls that can no longer be answered still finish their writes; only the reply is lost.
      setTimeout(() => {
        this.#started.clear();
        for (const resolve of this.#idle.splice(0)) resolve();
      }, 10_000).unref();
    });
  }

  /** Resolves when every CALL received so far has been answered. */
  settled(): Promise<void> {
    if (this.#started.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }
}
