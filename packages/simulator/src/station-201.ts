/**
 * An OCPP 2.0.1 charging station: each EVSE has one connector. Transactions are TransactionEvent
 * Started / Updated / Ended with seqNo counting from 0 (Part 2 §E "Sequence Number Generation"),
 * meter values every SampledDataCtrlr.TxUpdatedInterval inside Updated events, clock-aligned
 * MeterValues every AlignedDataCtrlr.Interval, and `offline: true` on events that happened while
 * offline (E08.FR.07).
 */
import { randomUUID } from 'node:crypto';
import type { Transport } from 'ocppkit';
import * as v201 from 'ocppkit/v201';
import { registerCommands201 } from './commands-201.js';
import { Connector, status201, type TransactionBase, type TransactionView } from './connectors.js';
import { DeviceModel201 } from './device-model-201.js';
import {
  idTokenOf,
  type Reading,
  STOP_REASONS,
  STOP_TRIGGERS,
  sampled,
  type Trigger,
  toStoredProfile201,
} from './messages-201.js';
import { type MeterReading, measurandList } from './meter.js';
import type { StopReason } from './station-api.js';
import { type BootAnswer, StationCore } from './station-core.js';
import type { ResolvedOptions } from './station-options.js';

export interface Transaction201 extends TransactionBase {
  readonly transactionId: string;
  seqNo: number;
  readonly remoteStartId: number | undefined;
}

export class Station201 extends StationCore<v201.ChargePoint, Transaction201> {
  readonly deviceModel: DeviceModel201;
  firmwareStatus: v201.FirmwareStatusEnumType = 'Idle';
  firmwareRequestId: number | undefined;
  logStatus: v201.UploadLogStatusEnumType = 'Idle';
  logRequestId: number | undefined;
  firmwareVersion: string;
  /** A Reset OnIdle waits for the last transaction to end (B12.FR.01). */
  resetWhenIdle = false;
  #aligned: NodeJS.Timeout | undefined;

  constructor(options: ResolvedOptions) {
    super(options);
    this.firmwareVersion = options.firmwareVersion ?? '1.0.0';
    this.deviceModel = new DeviceModel201({
      identity: options.identity,
      vendor: options.vendor,
      model: options.model,
      evses: options.connectors,
      powerKw: options.powerKw,
      heartbeatIntervalS: this.heartbeatIntervalS,
      meterIntervalS: options.meterIntervalS,
      availability: (evseId) => this.#availability(evseId),
      localListEntries: () => this.localList.size,
    });
    this.deviceModel.onChange((component, variable, value) => {
      if (component === 'OCPPCommCtrlr' && variable === 'HeartbeatInterval')
        this.applyHeartbeatInterval(Number(value));
      if (component === 'SampledDataCtrlr' && variable === 'TxUpdatedInterval') this.#restartMeterTimers();
      if (component === 'AlignedDataCtrlr' && variable === 'Interval') this.#restartAlignedTimer();
    });
    for (let id = 1; id <= options.connectors; id++) {
      const evse: Connector<Transaction201> = new Connector(id, {
        powerKw: options.powerKw,
        speed: options.speed,
        startWh: options.meterStartWh,
        limitW: () => this.profiles.limitW(id, Date.now(), evse.transaction?.startedAt.getTime()),
      });
      this.ports.push(evse);
    }
  }

  /** A typed CALL to the CSMS, measured. */
  readonly call: v201.ChargePoint['call'] = (action, payload, options) =>
    this.track(action, () => this.chargePoint().call(action, payload, options));

  protected createChargePoint(transport: Transport): v201.ChargePoint {
    return new v201.ChargePoint(transport, {
      logger: this.options.logger,
      callTimeoutMs: this.options.callTimeoutMs,
    });
  }

  protected registerHandlers(cp: v201.ChargePoint): void {
    registerCommands201(cp, this);
  }

  async sendBootNotification(reason: string): Promise<BootAnswer> {
    const answer = await this.call('BootNotification', {
      chargingStation: {
        vendorName: this.options.vendor.slice(0, 50),
        model: this.options.model.slice(0, 20),
        firmwareVersion: this.firmwareVersion.slice(0, 50),
        ...(this.options.serialNumber ? { serialNumber: this.options.serialNumber.slice(0, 25) } : {}),
      },
      reason: reason as v201.BootReasonEnumType,
    });
    this.#restartAlignedTimer();
    return { status: answer.status, interval: answer.interval };
  }

  sendHeartbeat(): Promise<unknown> {
    return this.call('Heartbeat', {});
  }

  sendStatus(c: Connector<Transaction201>, status: string): Promise<unknown> {
    return this.call('StatusNotification', {
      timestamp: new Date().toISOString(),
      connectorStatus: status as v201.ConnectorStatusEnumType,
      evseId: c.id,
      connectorId: 1,
    });
  }

  sendStationStatus(): undefined {
    return undefined;
  }

  protected sendTransactionMessage(action: string, payload: Record<string, unknown>): Promise<unknown> {
    const cp = this.chargePoint() as unknown as { call(a: string, p: object): Promise<unknown> };
    return this.track(action, () => cp.call(action, payload));
  }

  protected statusOf(c: Connector<Transaction201>): string {
    return status201(c, this.stationOperative);
  }

  protected transactionIdOf(tx: Transaction201): string {
    return tx.transactionId;
  }

  protected storeHeartbeatInterval(seconds: number): void {
    this.deviceModel.set({
      component: { name: 'OCPPCommCtrlr' },
      variable: { name: 'HeartbeatInterval' },
      attributeValue: String(seconds),
    });
  }

  protected transactionMessageAttempts(): number {
    return Math.max(1, this.deviceModel.int('OCPPCommCtrlr', 'MessageAttempts', 3, 'TransactionEvent'));
  }

  protected transactionMessageRetryS(): number {
    return this.deviceModel.int('OCPPCommCtrlr', 'MessageAttemptInterval', 10, 'TransactionEvent');
  }

  protected override reservationEnded(id: number, status: 'Expired'): void {
    if (this.canTalk()) {
      this.call('ReservationStatusUpdate', { reservationId: id, reservationUpdateStatus: status }).catch(
        () => {},
      );
    }
  }

  #availability(evseId?: number): string {
    const c = evseId === undefined ? undefined : this.ports[evseId - 1];
    if (!c) return this.stationOperative ? 'Available' : 'Unavailable';
    return this.statusOf(c);
  }

  async authorize(idToken: string): Promise<string> {
    if (this.canTalk()) {
      try {
        return (await this.call('Authorize', { idToken: idTokenOf(idToken) })).idTokenInfo.status;
      } catch (error) {
        if (this.canTalk()) throw error;
      }
    }
    // Offline: the local list, else OfflineTxForUnknownIdEnabled (C15).
    const listed = this.localList.statusOf(idToken);
    if (listed) return listed;
    return this.deviceModel.value('AuthCtrlr', 'OfflineTxForUnknownIdEnabled') === 'true'
      ? 'Accepted'
      : 'Invalid';
  }

  async startCharging(
    evseId: number,
    idToken: string,
    options: { authorize?: boolean; remoteStartId?: number; chargingProfile?: v201.ChargingProfileType } = {},
  ): Promise<TransactionView> {
    const c = this.port(evseId);
    if (c.transaction) throw new Error(`EVSE ${evseId} already has a transaction`);
    if (!c.operative || !this.stationOperative) throw new Error(`EVSE ${evseId} is unavailable`);
    if (c.reservation && c.reservation.idToken !== idToken)
      throw new Error(`EVSE ${evseId} is reserved for another id token`);
    await this.plugIn(evseId);
    if (options.authorize ?? true) {
      const status = await this.authorize(idToken);
      if (status !== 'Accepted') {
        this.emit({
          type: 'transaction',
          event: 'rejected',
          connectorId: evseId,
          transactionId: undefined,
          energyWh: 0,
        });
        throw new Error(`Id token ${idToken} not authorized: ${status}`);
      }
    }
    const reservationId = c.reservation?.id;
    if (reservationId !== undefined) this.cancelReservation(reservationId);
    const begin = c.meter.read();
    const tx: Transaction201 = {
      transactionId: randomUUID(),
      seqNo: 0,
      idToken,
      startedAt: begin.timestamp,
      meterStartWh: begin.energyWh,
      remoteStartId: options.remoteStartId,
      meterTimer: undefined,
    };
    c.transaction = tx;
    c.meter.start();
    if (options.chargingProfile) this.profiles.install(toStoredProfile201(evseId, options.chargingProfile));
    const delivered = this.#event(
      c,
      tx,
      'Started',
      options.remoteStartId === undefined ? 'Authorized' : 'RemoteStart',
      {
        idToken: idTokenOf(idToken),
        meterValue: this.#meterValue(begin, 'TxStartedMeasurands', 'Transaction.Begin'),
        ...(reservationId === undefined ? {} : { reservationId }),
      },
    );
    this.emit({
      type: 'transaction',
      event: 'started',
      connectorId: evseId,
      transactionId: tx.transactionId,
      energyWh: 0,
    });
    this.#startMeterTimer(c, tx);
    if (this.canTalk()) await delivered.catch(() => {});
    this.reportStatus(c);
    return this.viewOf(c, tx)!;
  }

  async stopCharging(evseId: number, reason: StopReason = 'Local'): Promise<TransactionView> {
    const { view, delivered } = this.endTransaction(this.port(evseId), reason);
    if (this.canTalk()) await delivered.catch(() => {});
    return view;
  }

  /** Ends the EVSE's transaction with TransactionEvent Ended, without waiting for delivery. */
  endTransaction(
    c: Connector<Transaction201>,
    reason: StopReason,
  ): { view: TransactionView; delivered: Promise<unknown> } {
    const tx = c.transaction;
    if (!tx) throw new Error(`No transaction on EVSE ${c.id}`);
    if (tx.meterTimer) clearInterval(tx.meterTimer);
    c.meter.stop();
    const end = c.meter.read();
    c.transaction = undefined;
    this.profiles.clearTransaction(c.id);
    this.settleAvailability(c);
    const delivered = this.#event(c, tx, 'Ended', STOP_TRIGGERS[reason], {
      meterValue: this.#meterValue(end, 'TxEndedMeasurands', 'Transaction.End'),
      transactionInfo: {
        transactionId: tx.transactionId,
        chargingState: c.plugged ? 'EVConnected' : 'Idle',
        stoppedReason: STOP_REASONS[reason],
        timeSpentCharging: Math.round((end.timestamp.getTime() - tx.startedAt.getTime()) / 1000),
        ...(tx.remoteStartId === undefined ? {} : { remoteStartId: tx.remoteStartId }),
      },
    });
    const view = this.viewOf(c, tx)!;
    this.emit({
      type: 'transaction',
      event: 'ended',
      connectorId: c.id,
      transactionId: tx.transactionId,
      energyWh: view.energyWh,
    });
    this.reportStatus(c);
    if (this.resetWhenIdle && this.ports.every((p) => !p.transaction)) {
      this.resetWhenIdle = false;
      this.later(0, () => void this.reboot('RemoteReset'));
    }
    return { view, delivered };
  }

  /** TransactionEvent Updated with the current meter values (periodic, or triggered). */
  sendTransactionUpdate(c: Connector<Transaction201>, trigger: 'MeterValuePeriodic' | 'Trigger'): void {
    const tx = c.transaction;
    if (!tx) return;
    const reading = c.meter.read();
    this.emit({ type: 'meter', connectorId: c.id, energyWh: reading.energyWh, powerW: reading.powerW });
    const context = trigger === 'Trigger' ? 'Trigger' : 'Sample.Periodic';
    void this.#event(c, tx, 'Updated', trigger, {
      meterValue: this.#meterValue(reading, 'TxUpdatedMeasurands', context),
    }).catch(() => {});
  }

  /** MeterValues outside a transaction message: clock-aligned or triggered (J01). */
  sendMeterValues(c: Connector<Transaction201>, context: 'Sample.Clock' | 'Trigger'): void {
    if (!this.canTalk()) return;
    const variable = context === 'Sample.Clock' ? 'Measurands' : 'TxUpdatedMeasurands';
    const controller = context === 'Sample.Clock' ? 'AlignedDataCtrlr' : 'SampledDataCtrlr';
    const list = measurandList(this.deviceModel.value(controller, variable));
    const reading = c.meter.read();
    const meterValue = [
      { timestamp: reading.timestamp.toISOString(), sampledValue: sampled(reading, list, context) },
    ];
    this.call('MeterValues', { evseId: c.id, meterValue }).catch(() => {});
  }

  #event(
    c: Connector<Transaction201>,
    tx: Transaction201,
    eventType: v201.TransactionEventEnumType,
    triggerReason: Trigger,
    extra: Partial<v201.TransactionEventRequest>,
  ): Promise<unknown> {
    // Built now, not when sent: seqNo, timestamp and the offline flag describe the moment it happened.
    const request: v201.TransactionEventRequest = {
      eventType,
      timestamp: new Date().toISOString(),
      triggerReason,
      seqNo: tx.seqNo++,
      ...(this.canTalk() && this.connected ? {} : { offline: true }),
      transactionInfo: {
        transactionId: tx.transactionId,
        chargingState: 'Charging',
        ...(tx.remoteStartId === undefined ? {} : { remoteStartId: tx.remoteStartId }),
      },
      evse: { id: c.id, connectorId: 1 },
      ...extra,
    };
    const payload = request as unknown as Record<string, unknown>;
    return this.queue.push(
      'TransactionEvent',
      () => payload,
      (answer) => {
        const status = (answer as v201.TransactionEventResponse).idTokenInfo?.status;
        // E05 / TxCtrlr.StopTxOnInvalidId: a transaction whose id token the CSMS refuses is stopped.
        const stop = this.deviceModel.value('TxCtrlr', 'StopTxOnInvalidId') === 'true';
        if (status && status !== 'Accepted' && stop && c.transaction === tx)
          this.endTransaction(c, 'DeAuthorized');
      },
    );
  }

  #meterValue(reading: MeterReading, variable: string, context: Reading): v201.MeterValueType[] {
    const list = measurandList(this.deviceModel.value('SampledDataCtrlr', variable));
    return [{ timestamp: reading.timestamp.toISOString(), sampledValue: sampled(reading, list, context) }];
  }

  #startMeterTimer(c: Connector<Transaction201>, tx: Transaction201): void {
    const intervalS = this.deviceModel.int(
      'SampledDataCtrlr',
      'TxUpdatedInterval',
      this.options.meterIntervalS,
    );
    if (intervalS <= 0) return;
    tx.meterTimer = setInterval(() => this.sendTransactionUpdate(c, 'MeterValuePeriodic'), intervalS * 1000);
  }

  #restartMeterTimers(): void {
    for (const c of this.ports) {
      if (!c.transaction) continue;
      if (c.transaction.meterTimer) clearInterval(c.transaction.meterTimer);
      this.#startMeterTimer(c, c.transaction);
    }
  }

  #restartAlignedTimer(): void {
    if (this.#aligned) clearInterval(this.#aligned);
    this.#aligned = undefined;
    const intervalS = this.deviceModel.int('AlignedDataCtrlr', 'Interval', 0);
    if (intervalS <= 0 || this.closed) return;
    this.#aligned = setInterval(() => {
      for (const c of this.ports) this.sendMeterValues(c, 'Sample.Clock');
    }, intervalS * 1000);
  }

  override async close(): Promise<void> {
    if (this.#aligned) clearInterval(this.#aligned);
    await super.close();
  }
}
