/**
 * Real OCPP 2.0.1 stations for the CSMS tests: ocppkit's ChargePoint over a real socket, plus
 * builders for the messages the OCTT test cases (Part 6 §3) send, so a test reads like its script.
 */
import assert from 'node:assert/strict';
import { CallErrorResponse, connect } from 'ocppkit';
import * as v201 from 'ocppkit/v201';
import type { TestCsms } from '../support/csms.js';

/** Connects stations and closes them all at the end of a suite. */
export class StationPool {
  readonly #stations: v201.ChargePoint[] = [];
  readonly #csms: () => TestCsms;

  constructor(csms: () => TestCsms) {
    this.#csms = csms;
  }

  async connect(identity: string): Promise<v201.ChargePoint> {
    const transport = await connect({
      url: this.#csms().ocppUrl,
      identity,
      protocols: ['ocpp2.0.1'],
      reconnect: false,
    });
    const station = new v201.ChargePoint(transport, { callTimeoutMs: 10_000 });
    this.#stations.push(station);
    return station;
  }

  /** Connects and runs Reusable State "Booted" (Part 6 Table 698) up to an Accepted BootNotification. */
  async booted(identity: string): Promise<v201.ChargePoint> {
    const station = await this.connect(identity);
    const boot = await station.call('BootNotification', BOOT);
    assert.equal(boot.status, 'Accepted');
    return station;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.#stations.splice(0).map((station) => station.close()));
  }
}

export const BOOT: v201.BootNotificationRequest = {
  reason: 'PowerUp',
  chargingStation: { model: 'OCTT-Model', vendorName: 'OCTT-Vendor' },
};

let clock = Date.parse('2026-03-01T08:00:00Z');
/** Distinct, increasing timestamps, so every message is told apart in the database. */
export function nextTimestamp(): string {
  clock += 1000;
  return new Date(clock).toISOString();
}

export const VALID_TOKEN: v201.IdTokenType = { idToken: 'VALID-201', type: 'ISO14443' };

/**
 * The TransactionEvents of one transaction, with seqNo counted the way a station must
 * (E01.FR.07: from 0, one more per event).
 */
export class Transaction {
  readonly id: string;
  readonly #station: v201.ChargePoint;
  seqNo = 0;

  constructor(station: v201.ChargePoint, id: string) {
    this.#station = station;
    this.id = id;
  }

  /** Builds the next event (taking its seqNo) without sending it. */
  event(
    eventType: v201.TransactionEventEnumType,
    triggerReason: v201.TriggerReasonEnumType,
    fields: Partial<Omit<v201.TransactionEventRequest, 'transactionInfo'>> & {
      transactionInfo?: Partial<v201.TransactionType>;
    } = {},
  ): v201.TransactionEventRequest {
    const { transactionInfo, ...rest } = fields;
    return {
      eventType,
      triggerReason,
      seqNo: this.seqNo++,
      timestamp: nextTimestamp(),
      ...rest,
      transactionInfo: { transactionId: this.id, ...transactionInfo },
    };
  }

  send(
    eventType: v201.TransactionEventEnumType,
    triggerReason: v201.TriggerReasonEnumType,
    fields: Parameters<Transaction['event']>[2] = {},
  ): Promise<v201.TransactionEventResponse> {
    return this.#station.call('TransactionEvent', this.event(eventType, triggerReason, fields));
  }
}

/** StatusNotification plus the NotifyEvent OCTT sends with it (Connector.AvailabilityState). */
export async function notifyConnector(
  station: v201.ChargePoint,
  status: v201.ConnectorStatusEnumType,
  evseId = 1,
  connectorId = 1,
): Promise<void> {
  const timestamp = nextTimestamp();
  await station.call('StatusNotification', { timestamp, connectorStatus: status, evseId, connectorId });
  await station.call('NotifyEvent', {
    generatedAt: timestamp,
    seqNo: 0,
    eventData: [
      {
        eventId: 1,
        timestamp,
        trigger: 'Delta',
        actualValue: status,
        eventNotificationType: 'HardWiredNotification',
        component: { name: 'Connector', evse: { id: evseId, connectorId } },
        variable: { name: 'AvailabilityState' },
      },
    ],
  });
}

/** An energy register reading as a station sends it in a meterValue. */
export function energyReading(
  wh: number,
  context: v201.ReadingContextEnumType,
  signed = false,
): v201.MeterValueType {
  return {
    timestamp: nextTimestamp(),
    sampledValue: [
      {
        value: wh,
        context,
        measurand: 'Energy.Active.Import.Register',
        unitOfMeasure: { unit: 'Wh' },
        ...(signed && {
          signedMeterValue: {
            signedMeterData: Buffer.from(`reading ${wh}`).toString('base64'),
            signingMethod: 'ECDSA-secp256r1-SHA256',
            encodingMethod: 'OCMF',
            publicKey: Buffer.from('public key').toString('base64'),
          },
        }),
      },
    ],
  };
}

/** Resolves with the CALLERROR code the CSMS answered, failing if it answered with a result. */
export async function callErrorCode(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (error instanceof CallErrorResponse) return error.rawErrorCode;
    throw error;
  }
  assert.fail('expected a CALLERROR');
}

/** Polls until `check` returns a value (for writes done off the answer path, like the message log). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
