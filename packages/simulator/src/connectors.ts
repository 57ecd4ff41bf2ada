/**
 * The state of one connector (1.6) or EVSE with its single connector (2.0.1), and the status it
 * shows: derived from the cable, the transaction, availability and reservation, so that every
 * change is reported exactly once.
 */
import { Meter, type MeterOptions } from './meter.js';

export interface Reservation {
  readonly id: number;
  readonly idToken: string;
  readonly expiresAt: Date;
  readonly timer: NodeJS.Timeout;
}

/** What both versions keep about a running transaction. */
export interface TransactionBase {
  readonly idToken: string;
  readonly startedAt: Date;
  readonly meterStartWh: number;
  meterTimer: NodeJS.Timeout | undefined;
}

export class Connector<T extends TransactionBase> {
  /** 1.6 connectorId; 2.0.1 evseId (its connector is connectorId 1). */
  readonly id: number;
  readonly meter: Meter;
  plugged = false;
  /** ChangeAvailability: Operative or Inoperative. */
  operative = true;
  /** ChangeAvailability arrived during a transaction: takes effect when it ends (answer Scheduled). */
  inoperativeWhenIdle = false;
  /** 1.6: the transaction ended and the cable is still in. */
  finishing = false;
  reservation: Reservation | undefined;
  transaction: T | undefined;
  /** The status last reported to the CSMS. */
  reported: string | undefined;

  constructor(id: number, meter: MeterOptions) {
    this.id = id;
    this.meter = new Meter(meter);
  }
}

/** OCPP 1.6 §7.7 ChargePointStatus of a connector. */
export function status16(c: Connector<TransactionBase>, stationOperative: boolean): string {
  if (c.transaction) return c.meter.powerW > 0 ? 'Charging' : 'SuspendedEVSE';
  if (!c.operative || !stationOperative) return 'Unavailable';
  if (c.plugged) return c.finishing ? 'Finishing' : 'Preparing';
  if (c.reservation) return 'Reserved';
  return 'Available';
}

/** OCPP 2.0.1 ConnectorStatusEnumType. */
export function status201(c: Connector<TransactionBase>, stationOperative: boolean): string {
  if (c.transaction || c.plugged) return 'Occupied';
  if (!c.operative || !stationOperative) return 'Unavailable';
  if (c.reservation) return 'Reserved';
  return 'Available';
}

export interface TransactionView {
  readonly connectorId: number;
  /** 1.6: the CSMS's integer id (undefined until StartTransaction was answered); 2.0.1: the station's id. */
  readonly transactionId: number | string | undefined;
  readonly idToken: string;
  readonly startedAt: Date;
  readonly meterStartWh: number;
  /** Energy delivered so far in this transaction, Wh. */
  readonly energyWh: number;
}

export interface ConnectorView {
  readonly connectorId: number;
  readonly status: string;
  readonly plugged: boolean;
  readonly operative: boolean;
  /** Energy.Active.Import.Register, Wh. */
  readonly meterWh: number;
  readonly transaction: TransactionView | undefined;
  readonly reservationId: number | undefined;
}
