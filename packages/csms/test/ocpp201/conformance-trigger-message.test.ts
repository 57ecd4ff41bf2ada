/**
 * OCTT CSMS test cases of Part 6 §3.7 "F Remote Control" for TriggerMessage (F06): the operator
 * asks for a message at POST /trigger-message, the station answers and sends it (F06.FR.04), and
 * what the CSMS stored from it is checked.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type * as v201 from 'ocppkit/v201';
import { databaseKinds } from '../support/csms.js';
import {
  answer,
  booted,
  conformanceSuite,
  connectorStatuses,
  Session,
  triggeredReading,
} from './conformance-support.js';
import { notifyConnector } from './stations.js';

for (const kind of databaseKinds()) {
  describe(`OCTT F Remote Control, TriggerMessage [${kind}]`, () => {
    const { csms, stations, operator } = conformanceSuite(kind);

    /** The operator's trigger, answered `status`; returns the TriggerMessageRequest the station got. */
    async function trigger(
      station: v201.ChargePoint,
      body: { message: string; evseId?: number; connectorId?: number },
      status: v201.TriggerMessageStatusEnumType = 'Accepted',
    ): Promise<v201.TriggerMessageRequest> {
      const received = answer(station, 'TriggerMessage', { status });
      const result = await operator.command(station.identity, 'trigger-message', body);
      assert.equal(result.response.status, status);
      assert.equal(received.length, 1);
      return received[0] as v201.TriggerMessageRequest;
    }

    /** The triggered readings the CSMS stored for the station. */
    async function triggeredSamples(identity: string) {
      const samples = await csms().stores.meterValues.listForStation(identity);
      return samples.items.filter((sample) => sample.context === 'Trigger');
    }

    test('TC_F_11_CSMS: Trigger message - MeterValues - Specific EVSE', async () => {
      const station = await booted(stations, 'F11-STATION', 2);
      const request = await trigger(station, { message: 'MeterValues', evseId: 2 });
      assert.deepEqual(request, { requestedMessage: 'MeterValues', evse: { id: 2 } });
      assert.deepEqual(
        await station.call('MeterValues', { evseId: 2, meterValue: [triggeredReading(1100)] }),
        {},
      );
      const samples = await triggeredSamples('F11-STATION');
      assert.deepEqual(
        samples.map((sample) => [sample.evse_id, Number(sample.value)]),
        [[2, 1100]],
      );
    });

    test('TC_F_12_CSMS: Trigger message - MeterValues - All EVSE', async () => {
      const station = await booted(stations, 'F12-STATION', 2);
      const request = await trigger(station, { message: 'MeterValues' });
      assert.deepEqual(request, { requestedMessage: 'MeterValues' });
      // Step 3, once per EVSE. (The script prints "evseId omitted", but MeterValuesRequest requires
      // evseId; each EVSE sends its own.)
      for (const evseId of [1, 2]) {
        await station.call('MeterValues', { evseId, meterValue: [triggeredReading(1200 + evseId)] });
      }
      const samples = await triggeredSamples('F12-STATION');
      assert.deepEqual(samples.map((sample) => sample.evse_id).sort(), [1, 2]);
    });

    /** Step 3 of F13/F14: the triggered TransactionEvent of a charging session. */
    async function triggeredEvent(session: Session, withEvse: boolean): Promise<void> {
      const response = await session.tx.send('Updated', 'Trigger', {
        ...(withEvse && { evse: { id: session.evse.id } }),
        transactionInfo: { chargingState: 'Charging' },
        meterValue: [triggeredReading(2000 + session.evse.id)],
      });
      assert.deepEqual(response, {});
      const stored = await session.stored(csms());
      const events = await csms().stores.transactions.listEvents(stored.id);
      assert.equal(events.at(-1)?.trigger_reason, 'Trigger');
      const samples = await csms().stores.meterValues.listForTransaction(stored.id);
      assert.ok(samples.some((sample) => sample.context === 'Trigger'));
    }

    test('TC_F_13_CSMS: Trigger message - TransactionEvent - Specific EVSE', async () => {
      const session = await new Session(
        await booted(stations, 'F13-STATION'),
        'F13-TX',
      ).energyTransferStarted();
      const request = await trigger(session.station, { message: 'TransactionEvent', evseId: 1 });
      assert.deepEqual(request, { requestedMessage: 'TransactionEvent', evse: { id: 1 } });
      await triggeredEvent(session, true);
    });

    test('TC_F_14_CSMS: Trigger message - TransactionEvent - All EVSE', async () => {
      const station = await booted(stations, 'F14-STATION', 2);
      const sessions = [new Session(station, 'F14-TX-1', 1), new Session(station, 'F14-TX-2', 2)];
      for (const session of sessions) await session.energyTransferStarted();
      const request = await trigger(station, { message: 'TransactionEvent' });
      assert.deepEqual(request, { requestedMessage: 'TransactionEvent' });
      for (const session of sessions) await triggeredEvent(session, false);
    });

    test('TC_F_15_CSMS: Trigger message - LogStatusNotification - Idle', async () => {
      const station = await booted(stations, 'F15-STATION');
      const request = await trigger(station, { message: 'LogStatusNotification' });
      assert.deepEqual(request, { requestedMessage: 'LogStatusNotification' });
      assert.deepEqual(await station.call('LogStatusNotification', { status: 'Idle' }), {});
      assert.equal((await csms().stores.statusEvents.latest('F15-STATION', 'log'))?.status, 'Idle');
    });

    test('TC_F_18_CSMS: Trigger message - FirmwareStatusNotification - Idle', async () => {
      const station = await booted(stations, 'F18-STATION');
      const request = await trigger(station, { message: 'FirmwareStatusNotification' });
      assert.deepEqual(request, { requestedMessage: 'FirmwareStatusNotification' });
      assert.deepEqual(await station.call('FirmwareStatusNotification', { status: 'Idle' }), {});
      assert.equal((await csms().stores.statusEvents.latest('F18-STATION', 'firmware'))?.status, 'Idle');
    });

    test('TC_F_20_CSMS: Trigger message - Heartbeat', async () => {
      const station = await booted(stations, 'F20-STATION');
      const request = await trigger(station, { message: 'Heartbeat' });
      assert.deepEqual(request, { requestedMessage: 'Heartbeat' });
      const heartbeat = await station.call('Heartbeat', {});
      assert.ok(Math.abs(Date.parse(heartbeat.currentTime) - Date.now()) < 10_000);
    });

    test('TC_F_23_CSMS: Trigger message - StatusNotification - Specific EVSE - Available', async () => {
      const station = await booted(stations, 'F23-STATION', 2);
      const request = await trigger(station, { message: 'StatusNotification', evseId: 2, connectorId: 1 });
      assert.deepEqual(request, { requestedMessage: 'StatusNotification', evse: { id: 2, connectorId: 1 } });
      await notifyConnector(station, 'Available', 2);
      assert.equal((await connectorStatuses(csms(), 'F23-STATION'))['2/1'], 'Available');
    });

    test('TC_F_24_CSMS: Trigger message - StatusNotification - Specific EVSE - Occupied', async () => {
      const station = await booted(stations, 'F24-STATION');
      await notifyConnector(station, 'Occupied');
      const request = await trigger(station, { message: 'StatusNotification', evseId: 1, connectorId: 1 });
      assert.deepEqual(request, { requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 1 } });
      await notifyConnector(station, 'Occupied');
      assert.equal((await connectorStatuses(csms(), 'F24-STATION'))['1/1'], 'Occupied');
    });

    test('TC_F_27_CSMS: Trigger message - NotImplemented', async () => {
      const station = await booted(stations, 'F27-STATION');
      // The station does not implement the requested message; the operator sees its answer.
      await trigger(station, { message: 'SignV2GCertificate' }, 'NotImplemented');
      assert.ok((await station.call('Heartbeat', {})).currentTime, 'the session carries on');
    });
  });
}
