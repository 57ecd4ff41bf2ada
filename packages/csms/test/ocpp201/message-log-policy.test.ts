/**
 * The default message log policy (no-periodic) on OCPP 2.0.1: a TransactionEvent sent for its meter
 * values (Updated, MeterValuePeriodic or MeterValueClock; J02.FR.11) is dropped with its CALLRESULT,
 * as a 1.6 MeterValues is; every other event of the transaction is kept.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type * as v201 from 'ocppkit/v201';
import { startTestCsms, type TestCsms } from '../support/csms.js';
import { eventually } from '../support/eventually.js';
import { energyReading, StationPool, Transaction, VALID_TOKEN } from './stations.js';

describe('message log policy (default: no-periodic), OCPP 2.0.1', () => {
  let csms: TestCsms;
  const stations = new StationPool(() => csms);
  before(async () => {
    csms = await startTestCsms('pglite');
    await csms.stores.idTokens.create(VALID_TOKEN);
  });
  after(async () => {
    await stations.closeAll();
    await csms.stop();
  });

  test('the periodic and clock-aligned TransactionEvents are dropped, the others kept', async () => {
    const identity = `LOG201-${process.pid}`;
    const station = await stations.booted(identity);
    const tx = new Transaction(station, `${identity}-TX`);
    const sent = [
      ['Started', 'Authorized', { idToken: VALID_TOKEN, evse: { id: 1, connectorId: 1 } }],
      ['Updated', 'MeterValuePeriodic', { meterValue: [energyReading(1000, 'Sample.Periodic')] }],
      ['Updated', 'ChargingStateChanged', { transactionInfo: { chargingState: 'SuspendedEV' } }],
      ['Updated', 'MeterValueClock', { meterValue: [energyReading(2000, 'Sample.Clock')] }],
      [
        'Ended',
        'StopAuthorized',
        { idToken: VALID_TOKEN, meterValue: [energyReading(3000, 'Transaction.End')] },
      ],
    ] satisfies [
      v201.TransactionEventEnumType,
      v201.TriggerReasonEnumType,
      Parameters<Transaction['event']>[2],
    ][];
    for (const [eventType, triggerReason, fields] of sent) await tx.send(eventType, triggerReason, fields);
    const expected = [
      'BootNotification',
      'TransactionEvent Started Authorized',
      'TransactionEvent Updated ChargingStateChanged',
      'TransactionEvent Ended StopAuthorized',
    ];
    const calls = await eventually(async () => {
      const frames = await csms.stores.messageLog.listRecent(identity, { limit: 50 });
      // The Ended event's answer is the last frame kept; what was kept before it is written by then.
      const ended = frames.find(
        (f) => f.message_type === 'CALL' && (f.payload as { eventType?: string }).eventType === 'Ended',
      );
      const answered = frames.some(
        (f) => f.message_type === 'CALLRESULT' && f.message_id === ended?.message_id,
      );
      return answered ? frames : undefined;
    }, 'the log to be written');
    const described = calls
      .filter((f) => f.message_type === 'CALL')
      .reverse()
      .map((f) => {
        const event = f.payload as { eventType?: string; triggerReason?: string };
        return [f.action, event.eventType, event.triggerReason].filter(Boolean).join(' ');
      });
    assert.deepEqual(described, expected);
    assert.equal(calls.length, 2 * expected.length, 'each kept CALL with its answer');
    // What the dropped events said is stored: all five events of the transaction, meter values too.
    const stored = await csms.stores.transactions.list({ stationIdentity: identity });
    assert.equal(stored.items[0]?.last_seq_no, 4);
    assert.equal(stored.items[0]?.meter_stop, 3000);
  });
});
