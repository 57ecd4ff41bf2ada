/**
 * An OCPP 1.6 charge point: BootNotification, StatusNotification per connector and for connector 0,
 * Authorize + StartTransaction, MeterValues every MeterValueSampleInterval, StopTransaction. The CSMS
 * assigns the transactionId; messages queued before it is known pick it up when they are sent
 * (1.6 §4.7; -1 when the StartTransaction was never delivered, see OCPP-NOTES).
 */
import type { Transport } from 'ocppkit';
import * as v16 from 'ocppkit/v16';
import { registerCommands16 } from './commands-16.js';
import { ConfigKeys16 } from './config-keys-16.js';
import { Connector, status16, type TransactionBase, type TransactionView } from './connectors.js';
import { type Context16, energyValue, REASONS_16, sampled, toStoredProfile } from './messages-16.js';
import { measurandList } from './meter.js';
import type { StopReason } from './station-api.js';
import { type BootAnswer, StationCore } from './station-core.js';
import type { ResolvedOptions } from './station-options.js';

export interface Transaction16 extends TransactionBase {
  /** Assigned by the CSMS in StartTransaction.conf. */
  transactionId: number | undefined;
}

export class Station16 extends StationCore<v16.ChargePoint, Transaction16> {
  readonly config: ConfigKeys16;
  firmwareStatus: v16.FirmwareStatusNotificationRequestStatus = 'Idle';
  diagnosticsStatus: v16.DiagnosticsStatusNotificationRequestStatus = 'Idle';
  firmwareVersion: string;
  #aligned: NodeJS.Timeout | undefined;

  constructor(options: ResolvedOptions) {
    super(options);
    this.firmwareVersion = options.firmwareVersion ?? '1.0.0';
    this.config = new ConfigKeys16({
      connectors: options.connectors,
      heartbeatIntervalS: this.heartbeatIntervalS,
      meterIntervalS: options.meterIntervalS,
    });
    this.config.onChange((key, value) => {
      if (key === 'HeartbeatInterval') this.applyHeartbeatInterval(Number(value));
      if (key === 'MeterValueSampleInterval') this.#restartMeterTimers();
      if (key === 'ClockAlignedDataInterval') this.#restartAlignedTimer();
    });
    for (let id = 1; id <= options.connectors; id++) {
      const connector: Connector<Transaction16> = new Connector(id, {
        powerKw: options.powerKw,
        speed: options.speed,
        startWh: options.meterStartWh,
        limitW: () => this.profiles.limitW(id, Date.now(), connector.transaction?.startedAt.getTime()),
      });
      this.ports.push(connector);
    }
  }

  /** A typed CALL to the CSMS, measured. */
  readonly call: v16.ChargePoint['call'] = (action, payload, options) =>
    this.track(action, () => this.chargePoint().call(action, payload, options));

  protected createChargePoint(transport: Transport): v16.ChargePoint {
    return new v16.ChargePoint(transport, {
      logger: this.options.logger,
      callTimeoutMs: this.options.callTimeoutMs,
    });
  }

  protected registerHandlers(cp: v16.ChargePoint): void {
    registerCommands16(cp, this);
  }

  async sendBootNotification(_reason: string): Promise<BootAnswer> {
    const answer = await this.call('BootNotification', {
      chargePointVendor: this.options.vendor.slice(0, 20),
      chargePointModel: this.options.model.slice(0, 20),
      ...(this.options.serialNumber
        ? { chargePointSerialNumber: this.options.serialNumber.slice(0, 25) }
        : {}),
      firmwareVersion: this.firmwareVersion.slice(0, 50),
    });
    return { status: answer.status, interval: answer.interval };
  }

  sendHeartbeat(): Promise<unknown> {
    return this.call('Heartbeat', {});
  }

  sendStatus(c: Connector<Transaction16>, status: string): Promise<unknown> {
    return this.call('StatusNotification', {
      connectorId: c.id,
      errorCode: 'NoError',
      status: status as v16.StatusNotificationRequestStatus,
      timestamp: new Date().toISOString(),
    });
  }

  /** 1.6 §4.9: connector 0 stands for the charge point as a whole. */
  sendStationStatus(): Promise<unknown> {
    return this.call('StatusNotification', {
      connectorId: 0,
      errorCode: 'NoError',
      status: this.stationOperative ? 'Available' : 'Unavailable',
      timestamp: new Date().toISOString(),
    });
  }

  protected sendTransactionMessage(action: string, payload: Record<string, unknown>): Promise<unknown> {
    const cp = this.chargePoint() as unknown as { call(a: string, p: object): Promise<unknown> };
    return this.track(action, () => cp.call(action, payload));
  }

  protected statusOf(c: Connector<Transaction16>): string {
    return status16(c, this.stationOperative);
  }

  protected transactionIdOf(tx: Transaction16): number | undefined {
    return tx.transactionId;
  }

  protected storeHeartbeatInterval(seconds: number): void {
    this.config.change('HeartbeatInterval', String(seconds));
  }

  protected transactionMessageAttempts(): number {
    return Math.max(1, this.config.int('TransactionMessageAttempts', 3));
  }

  protected transactionMessageRetryS(): number {
    return this.config.int('TransactionMessageRetryInterval', 10);
  }

  async authorize(idTag: string): Promise<string> {
    if (this.canTalk()) {
      try {
        return (await this.call('Authorize', { idTag })).idTagInfo.status;
      } catch (error) {
        if (this.canTalk()) throw error;
      }
    }
    // Offline: the Local Authorization List, else AllowOfflineTxForUnknownId (1.6 §3.4, §9.1.1).
    const listed = this.localList.statusOf(idTag);
    if (listed) return listed;
    return this.config.bool('AllowOfflineTxForUnknownId') ? 'Accepted' : 'Invalid';
  }

  async startCharging(
    connectorId: number,
    idTag: string,
    options: { authorize?: boolean; chargingProfile?: v16.RemoteStartTransactionRequestChargingProfile } = {},
  ): Promise<TransactionView> {
    const c = this.port(connectorId);
    if (c.transaction) throw new Error(`Connector ${connectorId} already has a transaction`);
    if (!c.operative || !this.stationOperative) throw new Error(`Connector ${connectorId} is unavailable`);
    if (c.reservation && c.reservation.idToken !== idTag) {
      throw new Error(`Connector ${connectorId} is reserved for another id tag`);
    }
    await this.plugIn(connectorId);
    if (options.authorize ?? true) {
      const status = await this.authorize(idTag);
      if (status !== 'Accepted') {
        this.emit({
          type: 'transaction',
          event: 'rejected',
          connectorId,
          transactionId: undefined,
          energyWh: 0,
        });
        throw new Error(`Id tag ${idTag} not authorized: ${status}`);
      }
    }
    const reservationId = c.reservation?.id;
    if (reservationId !== undefined) this.cancelReservation(reservationId);
    const meterStart = c.meter.read().energyWh;
    const tx: Transaction16 = {
      idToken: idTag,
      startedAt: new Date(),
      meterStartWh: meterStart,
      transactionId: undefined,
      meterTimer: undefined,
    };
    c.transaction = tx;
    c.meter.start();
    this.emit({ type: 'transaction', event: 'started', connectorId, transactionId: undefined, energyWh: 0 });
    const delivered = this.queue.push(
      'StartTransaction',
      () => ({
        connectorId,
        idTag,
        meterStart,
        timestamp: tx.startedAt.toISOString(),
        ...(reservationId === undefined ? {} : { reservationId }),
      }),
      (answer) => this.#startAnswered(c, tx, answer as v16.StartTransactionResponse, options.chargingProfile),
    );
    this.#startMeterTimer(c, tx);
    if (this.canTalk()) await delivered.catch(() => {});
    this.reportStatus(c);
    return this.viewOf(c, tx)!;
  }

  #startAnswered(
    c: Connector<Transaction16>,
    tx: Transaction16,
    answer: v16.StartTransactionResponse,
    profile: v16.RemoteStartTransactionRequestChargingProfile | undefined,
  ): void {
    tx.transactionId = answer.transactionId;
    this.emit({
      type: 'transaction',
      event: 'id-assigned',
      connectorId: c.id,
      transactionId: answer.transactionId,
      energyWh: c.meter.read().energyWh - tx.meterStartWh,
    });
    if (profile && c.transaction === tx) {
      this.profiles.install(toStoredProfile(c.id, { ...profile, transactionId: answer.transactionId }));
    }
    // 1.6 §9.1.24 StopTransactionOnInvalidId: a start the CSMS did not accept ends at once.
    if (answer.idTagInfo.status !== 'Accepted' && this.config.bool('StopTransactionOnInvalidId')) {
      if (c.transaction === tx) this.endTransaction(c, 'DeAuthorized');
    }
  }

  async stopCharging(connectorId: number, reason: StopReason = 'Local'): Promise<TransactionView> {
    const c = this.port(connectorId);
    const { view, delivered } = this.endTransaction(c, reason);
    if (this.canTalk()) await delivered.catch(() => {});
    return view;
  }

  /** Ends the connector's transaction and queues its StopTransaction without waiting for delivery. */
  endTransaction(
    c: Connector<Transaction16>,
    reason: StopReason,
  ): { view: TransactionView; delivered: Promise<unknown> } {
    const tx = c.transaction;
    if (!tx) throw new Error(`No transaction on connector ${c.id}`);
    if (tx.meterTimer) clearInterval(tx.meterTimer);
    c.meter.stop();
    const end = c.meter.read();
    c.transaction = undefined;
    c.finishing = c.plugged;
    this.profiles.clearTransaction(c.id);
    this.settleAvailability(c);
    const stopData = measurandList(this.config.value('StopTxnSampledData'));
    const transactionData = [
      {
        timestamp: tx.startedAt.toISOString(),
        sampledValue: [energyValue(tx.meterStartWh, 'Transaction.Begin')],
      },
      { timestamp: end.timestamp.toISOString(), sampledValue: sampled(end, stopData, 'Transaction.End') },
    ];
    const delivered = this.queue.push('StopTransaction', () => ({
      transactionId: tx.transactionId ?? -1,
      meterStop: end.energyWh,
      timestamp: end.timestamp.toISOString(),
      idTag: tx.idToken,
      reason: REASONS_16[reason],
      transactionData,
    }));
    const view = this.viewOf(c, tx)!;
    this.emit({
      type: 'transaction',
      event: 'ended',
      connectorId: c.id,
      transactionId: tx.transactionId,
      energyWh: view.energyWh,
    });
    this.reportStatus(c);
    return { view, delivered };
  }

  #startMeterTimer(c: Connector<Transaction16>, tx: Transaction16): void {
    const intervalS = this.config.int('MeterValueSampleInterval', this.options.meterIntervalS);
    if (intervalS <= 0) return;
    tx.meterTimer = setInterval(() => this.sendMeterValues(c, 'Sample.Periodic'), intervalS * 1000);
  }

  #restartMeterTimers(): void {
    for (const c of this.ports) {
      if (!c.transaction) continue;
      if (c.transaction.meterTimer) clearInterval(c.transaction.meterTimer);
      this.#startMeterTimer(c, c.transaction);
    }
  }

  /** MeterValues of a connector; queued with the transaction's messages while one runs. */
  sendMeterValues(c: Connector<Transaction16>, context: Context16): void {
    const measurands = context === 'Sample.Clock' ? 'MeterValuesAlignedData' : 'MeterValuesSampledData';
    const reading = c.meter.read();
    this.emit({ type: 'meter', connectorId: c.id, energyWh: reading.energyWh, powerW: reading.powerW });
    const meterValue = [
      {
        timestamp: reading.timestamp.toISOString(),
        sampledValue: sampled(reading, measurandList(this.config.value(measurands)), context),
      },
    ];
    const tx = c.transaction;
    if (tx) {
      this.queue.push('MeterValues', () => ({
        connectorId: c.id,
        transactionId: tx.transactionId ?? -1,
        meterValue,
      }));
    } else if (this.canTalk()) {
      this.call('MeterValues', { connectorId: c.id, meterValue }).catch(() => {});
    }
  }

  /** Clock-aligned data every ClockAlignedDataInterval seconds (§3.16.2; from start-up, not the clock's boundaries). */
  #restartAlignedTimer(): void {
    if (this.#aligned) clearInterval(this.#aligned);
    this.#aligned = undefined;
    const intervalS = this.config.int('ClockAlignedDataInterval', 0);
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
