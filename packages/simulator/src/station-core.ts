/**
 * What every simulated station does whatever its OCPP version: connect, boot until accepted (retrying
 * after the interval the CSMS gives), heartbeat, report connector statuses once per change, queue
 * transaction messages while offline, reboot on Reset, and close. The version files add the messages.
 */
import { performance } from 'node:perf_hooks';
import { CallErrorResponse, type ClientConnection, connect, OcppError, type Transport } from 'ocppkit';
import type * as v16 from 'ocppkit/v16';
import type * as v201 from 'ocppkit/v201';
import { ChargingProfiles } from './charging-profiles.js';
import type { Connector, ConnectorView, TransactionBase, TransactionView } from './connectors.js';
import { EventHub, type StationEvent, type StationEventListener } from './events.js';
import { LocalAuthList } from './local-auth-list.js';
import { TransactionQueue } from './offline-queue.js';
import { observeReconnects } from './reconnect-observer.js';
import type { Station, StationProtocol, StopReason } from './station-api.js';
import type { ResolvedOptions } from './station-options.js';

type AnyChargePoint = v16.ChargePoint | v201.ChargePoint;

export interface BootAnswer {
  readonly status: string;
  readonly interval: number;
}

export abstract class StationCore<CP extends AnyChargePoint, Tx extends TransactionBase> implements Station {
  readonly identity: string;
  readonly protocol: StationProtocol;
  readonly options: ResolvedOptions;
  readonly ports: Connector<Tx>[] = [];
  readonly profiles = new ChargingProfiles();
  readonly localList = new LocalAuthList();
  readonly queue: TransactionQueue;
  /** Station-wide availability (1.6 connector 0, 2.0.1 ChangeAvailability without EVSE). */
  stationOperative = true;
  heartbeatIntervalS = 300;
  protected cp: CP | undefined;
  readonly #hub = new EventHub();
  readonly #timers = new Set<NodeJS.Timeout>();
  #transport: ClientConnection | undefined;
  #registration: string | undefined;
  #offline = false;
  #closed = false;
  /** We broke the connection ourselves; CALLs it interrupts are not failures. */
  #dropping = false;
  #heartbeat: NodeJS.Timeout | undefined;
  #bootGeneration = 0;
  #accepted = deferred();
  #online = deferred();

  constructor(options: ResolvedOptions) {
    this.options = options;
    this.identity = options.identity;
    this.protocol = options.protocol;
    if (options.onEvent) this.#hub.on(options.onEvent);
    this.#online.resolve();
    this.queue = new TransactionQueue({
      send: (action, payload) => this.sendTransactionMessage(action, payload),
      canSend: () => this.canTalk() && this.connected,
      maxAttempts: () => this.transactionMessageAttempts(),
      retryIntervalMs: () => this.transactionMessageRetryS() * 1000,
      onGiveUp: (action, error) =>
        this.emit({ type: 'error', message: `${action} given up after its last attempt`, error }),
    });
  }

  // --- what each version supplies ---------------------------------------------------------------
  protected abstract createChargePoint(transport: Transport): CP;
  protected abstract registerHandlers(cp: CP): void;
  protected abstract sendBootNotification(reason: string): Promise<BootAnswer>;
  protected abstract sendHeartbeat(): Promise<unknown>;
  protected abstract sendStatus(connector: Connector<Tx>, status: string): Promise<unknown>;
  /** 1.6 reports connector 0 as well; 2.0.1 does not. */
  protected abstract sendStationStatus(): Promise<unknown> | undefined;
  protected abstract sendTransactionMessage(
    action: string,
    payload: Record<string, unknown>,
  ): Promise<unknown>;
  protected abstract statusOf(connector: Connector<Tx>): string;
  protected abstract transactionIdOf(tx: Tx): number | string | undefined;
  protected abstract storeHeartbeatInterval(seconds: number): void;
  protected abstract transactionMessageAttempts(): number;
  protected abstract transactionMessageRetryS(): number;
  abstract authorize(idToken: string): Promise<string>;
  abstract startCharging(connectorId: number, idToken: string): Promise<TransactionView>;
  abstract stopCharging(connectorId: number, reason?: StopReason): Promise<TransactionView>;

  // --- state --------------------------------------------------------------------------------------
  get connected(): boolean {
    return this.cp?.connected ?? false;
  }
  get online(): boolean {
    return !this.#offline;
  }
  get closed(): boolean {
    return this.#closed;
  }
  get registrationStatus(): string | undefined {
    return this.#registration;
  }
  get queuedMessages(): number {
    return this.queue.length;
  }
  get connectors(): ConnectorView[] {
    return this.ports.map((c) => ({
      connectorId: c.id,
      status: this.statusOf(c),
      plugged: c.plugged,
      operative: c.operative,
      meterWh: c.meter.read().energyWh,
      transaction: c.transaction && this.viewOf(c),
      reservationId: c.reservation?.id,
    }));
  }
  get transactions(): TransactionView[] {
    return this.ports.filter((c) => c.transaction).map((c) => this.viewOf(c)!);
  }
  energyWh(connectorId: number): number {
    return this.port(connectorId).meter.read().energyWh;
  }
  onEvent(listener: StationEventListener): () => void {
    return this.#hub.on(listener);
  }
  whenAccepted(): Promise<void> {
    return this.#accepted.promise;
  }
  drained(): Promise<void> {
    return this.queue.whenEmpty();
  }

  /** The connector with this id, or an Error naming the valid ones. */
  port(connectorId: number): Connector<Tx> {
    const found = this.ports[connectorId - 1];
    if (!found) throw new Error(`No connector ${connectorId}; this station has 1..${this.ports.length}`);
    return found;
  }

  protected viewOf(c: Connector<Tx>, tx = c.transaction): TransactionView | undefined {
    if (!tx) return undefined;
    const energy = c.meter.read().energyWh;
    return {
      connectorId: c.id,
      transactionId: this.transactionIdOf(tx),
      idToken: tx.idToken,
      startedAt: tx.startedAt,
      meterStartWh: tx.meterStartWh,
      energyWh: energy - tx.meterStartWh,
    };
  }

  emit(event: StationEvent): void {
    this.#hub.emit(event);
  }

  /** Connected, accepted and not offline: the station may send requests of its own. */
  canTalk(): boolean {
    return !this.#offline && !this.#closed && this.cp !== undefined && this.#registration === 'Accepted';
  }

  // --- life cycle ---------------------------------------------------------------------------------
  /** Connects and boots; resolves per `waitForBoot`. */
  async start(): Promise<void> {
    await this.#connect();
    void this.#bootLoop('PowerUp');
    if (this.options.waitForBoot ?? true) await this.whenAccepted();
  }

  async #connect(): Promise<void> {
    const transport = await connect({
      url: this.options.url,
      identity: this.identity,
      protocols: [this.protocol],
      password: this.options.password,
      tls: this.options.tls,
      localAddress: this.options.localAddress,
      logger: this.options.logger,
      reconnect: this.options.reconnect ?? { minWaitMs: 1000, randomRangeMs: 2000, repeatTimes: 3 },
    });
    if (this.#closed) {
      await transport.close();
      return;
    }
    this.#transport = transport;
    const cp = this.createChargePoint(observeReconnects(transport, () => this.#reconnected()));
    this.cp = cp;
    this.registerHandlers(cp);
    cp.onFrame((e) => this.emit({ type: 'frame', direction: e.direction, text: e.text, action: e.action }));
    cp.onDisconnect((info) => {
      this.#stopHeartbeat();
      this.emit({ type: 'disconnected', code: info.code, reason: info.reason });
    });
    this.emit({ type: 'connected', reconnect: false });
  }

  #reconnected(): void {
    this.#dropping = false;
    this.emit({ type: 'connected', reconnect: true });
    if (this.#registration === 'Accepted') this.#resumeAccepted();
  }

  async #bootLoop(reason: string): Promise<void> {
    const generation = ++this.#bootGeneration;
    const current = () => !this.#closed && generation === this.#bootGeneration;
    while (current()) {
      await this.#online.promise;
      if (!current()) return;
      let answer: BootAnswer;
      try {
        answer = await this.sendBootNotification(reason);
      } catch (error) {
        if (!this.#dropping)
          this.emit({ type: 'error', message: `BootNotification failed: ${describe(error)}`, error });
        await this.sleep(this.options.bootRetryS * 1000);
        continue;
      }
      if (!current()) return;
      if (this.#booted(answer)) return;
      // 1.6 §4.2 / 2.0.1 B02.FR.01, B03.FR.03: Pending or Rejected — try again after `interval`.
      await this.sleep(Math.max(1, answer.interval || this.options.bootRetryS) * 1000);
    }
  }

  /** Takes a boot's answer; true when it was Accepted (the station is registered from now on). */
  #booted(answer: BootAnswer): boolean {
    this.#registration = answer.status;
    this.emit({ type: 'boot', status: answer.status, interval: answer.interval });
    if (answer.status !== 'Accepted') return false;
    // 1.6 §4.2 / 2.0.1 B01.FR.04: the interval of an Accepted boot is the heartbeat interval.
    if (answer.interval > 0) this.storeHeartbeatInterval(answer.interval);
    this.#accepted.resolve();
    this.#resumeAccepted();
    return true;
  }

  /**
   * The BootNotification a TriggerMessage asked for. Its answer counts like one of the boot loop's:
   * Accepted ends the loop's wait for its next try, which is how a CSMS accepts a Pending station
   * without making it wait out the interval (1.6 §4.2: a station boots before the interval only when
   * triggered; 2.0.1 B02.FR.04). Once accepted, only a new heartbeat interval is taken from it.
   */
  async bootOnTrigger(): Promise<void> {
    const answer = await this.sendBootNotification('Triggered');
    if (this.#closed) return;
    if (this.#registration === 'Accepted') {
      if (answer.status === 'Accepted' && answer.interval > 0) {
        this.storeHeartbeatInterval(answer.interval);
        this.applyHeartbeatInterval(answer.interval);
      }
      return;
    }
    // Accepted: the loop, asleep until its next try, stops there. Otherwise it tries again as before.
    if (answer.status === 'Accepted') this.#bootGeneration++;
    this.#booted(answer);
  }

  /** Accepted and connected (again): heartbeats, every status, then the queued transaction messages. */
  #resumeAccepted(): void {
    this.applyHeartbeatInterval(this.heartbeatIntervalS);
    this.reportAllStatuses(true);
    this.queue.resume();
  }

  applyHeartbeatInterval(seconds: number): void {
    this.heartbeatIntervalS = seconds;
    this.#stopHeartbeat();
    if (seconds <= 0 || !this.canTalk()) return;
    this.#heartbeat = setInterval(() => {
      if (this.canTalk() && this.connected) this.sendHeartbeat().catch(() => {});
    }, seconds * 1000);
  }

  #stopHeartbeat(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  async goOffline(): Promise<void> {
    if (this.#offline || this.#closed) return;
    this.#offline = true;
    this.#online = deferred();
    await this.#disconnect();
  }

  async comeBack(): Promise<void> {
    if (!this.#offline || this.#closed) return;
    await this.#connect();
    this.#offline = false;
    this.#dropping = false;
    this.#online.resolve();
    if (this.#registration === 'Accepted') this.#resumeAccepted();
  }

  dropConnection(): void {
    if (!this.#transport || this.#offline) return;
    this.#dropping = true;
    this.#transport.simulateNetworkFailure();
  }

  /** Reset: the version file stopped the transactions; reconnect and boot again with `reason`. */
  async reboot(reason: string): Promise<void> {
    await Promise.race([this.queue.whenEmpty(), this.sleep(5000)]);
    this.#registration = undefined;
    this.#accepted = deferred();
    await this.#disconnect(true);
    this.#dropping = true;
    await this.sleep(Math.min(1000, this.options.stepDelayMs));
    while (!this.#closed) {
      try {
        await this.#connect();
        break;
      } catch (error) {
        this.emit({ type: 'error', message: `reconnect after reset failed: ${describe(error)}`, error });
        await this.sleep(this.options.bootRetryS * 1000);
      }
    }
    this.#dropping = false;
    void this.#bootLoop(reason);
  }

  /** Ends the connection: a rebooting station closes it; one going offline just loses it. */
  async #disconnect(graceful = false): Promise<void> {
    this.#dropping = true;
    this.#stopHeartbeat();
    const transport = this.#transport;
    this.#transport = undefined;
    this.cp = undefined;
    // Without a close frame the CSMS sees what a lost network looks like.
    if (!graceful) transport?.simulateNetworkFailure();
    await transport?.close(1001, graceful ? 'Rebooting' : '');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#dropping = true;
    this.#bootGeneration++;
    this.#stopHeartbeat();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const c of this.ports) {
      if (c.transaction?.meterTimer) clearInterval(c.transaction.meterTimer);
      if (c.reservation) clearTimeout(c.reservation.timer);
    }
    this.queue.close();
    this.#online.resolve();
    await this.#transport?.close();
  }

  // --- the EV driver ------------------------------------------------------------------------------
  async plugIn(connectorId: number): Promise<void> {
    const c = this.port(connectorId);
    if (c.plugged) return;
    c.plugged = true;
    c.finishing = false;
    this.reportStatus(c);
  }

  /** Unplugging ends a running transaction (StopTransactionOnEVSideDisconnect / StopTxOnEVSideDisconnect). */
  async unplug(connectorId: number): Promise<void> {
    const c = this.port(connectorId);
    if (c.transaction) await this.stopCharging(connectorId, 'EVDisconnected');
    c.plugged = false;
    c.finishing = false;
    this.settleAvailability(c);
    this.reportStatus(c);
  }

  /** An availability change that waited for the transaction to end takes effect now. */
  settleAvailability(c: Connector<Tx>): void {
    if (c.inoperativeWhenIdle && !c.transaction) {
      c.operative = false;
      c.inoperativeWhenIdle = false;
    }
  }

  /** Holds a connector for an id token until `expiresAt` (1.6 §5.13, 2.0.1 H01). */
  reserve(c: Connector<Tx>, id: number, idToken: string, expiresAt: Date): void {
    if (c.reservation) clearTimeout(c.reservation.timer);
    const timer = this.later(Math.max(0, expiresAt.getTime() - Date.now()), () => {
      if (c.reservation?.id !== id) return;
      c.reservation = undefined;
      this.reportStatus(c);
      this.reservationEnded(id, 'Expired');
    });
    c.reservation = { id, idToken, expiresAt, timer };
    this.reportStatus(c);
  }

  /** Removes a reservation (cancelled by the CSMS, or used by a transaction); false when none holds it. */
  cancelReservation(id: number): boolean {
    const c = this.ports.find((p) => p.reservation?.id === id);
    if (!c?.reservation) return false;
    clearTimeout(c.reservation.timer);
    c.reservation = undefined;
    this.reportStatus(c);
    return true;
  }

  /** 2.0.1 reports an expired reservation (H01.FR.16 ReservationStatusUpdate); 1.6 says nothing. */
  protected reservationEnded(_id: number, _status: 'Expired'): void {}

  // --- helpers for the version files ---------------------------------------------------------------
  /** Reports a connector's status if it changed (or always, when `force`). */
  reportStatus(c: Connector<Tx>, force = false): void {
    const status = this.statusOf(c);
    if (status === c.reported && !force) return;
    c.reported = status;
    this.emit({ type: 'status', connectorId: c.id, status });
    if (this.canTalk()) this.sendStatus(c, status).catch(() => {});
  }

  reportAllStatuses(force = false): void {
    if (force && this.canTalk()) this.sendStationStatus()?.catch(() => {});
    for (const c of this.ports) this.reportStatus(c, force);
  }

  /** Measures a CALL and reports its outcome as a `call` event. */
  async track<T>(action: string, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const answer = await run();
      this.emit({ type: 'call', action, ms: performance.now() - started });
      return answer;
    } catch (error) {
      const code =
        error instanceof CallErrorResponse ? error.rawErrorCode : ((error as OcppError).code ?? 'Error');
      const interrupted =
        code === 'OCPP_ERR_CONNECTION_CLOSED' && (this.#dropping || this.#offline || this.#closed);
      this.emit({ type: 'call', action, ms: performance.now() - started, error: code, interrupted });
      throw error;
    }
  }

  /** The live ChargePoint, or the error a CALL gets while the station is offline. */
  chargePoint(): CP {
    if (!this.cp) throw new OcppError('OCPP_ERR_CONNECTION_CLOSED', `${this.identity} is offline`);
    return this.cp;
  }

  /** A timer that close() cancels. */
  later(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#closed) run();
    }, ms);
    this.#timers.add(timer);
    return timer;
  }

  /** Runs `step` for each item, stepDelayMs apart, from `startInMs` on (firmware, diagnostics, log progress). */
  inSteps<T>(items: readonly T[], startInMs: number, step: (item: T) => void): void {
    for (const [i, item] of items.entries()) {
      this.later(startInMs + i * this.options.stepDelayMs, () => step(item));
    }
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.later(ms, resolve));
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
