/**
 * OCPP 2.0.1 connector status (G01, G05) and meter values (J01, J02) with the OCTT CSMS test cases of
 * Part 6 §3.8 and §3.11, and custom data (TC_P_03_CSMS), against every database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type * as v201 from 'ocppkit/v201';
import type { CsmsEvent } from '../../src/events.js';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import {
  energyReading,
  nextTimestamp,
  notifyConnector,
  StationPool,
  Transaction,
  VALID_TOKEN,
} from './stations.js';

const EVSE = { id: 1, connectorId: 1 };

/** A clock-aligned reading of the register, and of the power sent in kilowatts as W × 10^3. */
function clockAligned(wh: number, watts: number): v201.MeterValueType {
  return {
    timestamp: nextTimestamp(),
    sampledValue: [
      { value: wh, context: 'Sample.Clock', unitOfMeasure: { unit: 'Wh' } },
      {
        value: watts / 1000,
        context: 'Sample.Clock',
        measurand: 'Power.Active.Import',
        unitOfMeasure: { unit: 'W', multiplier: 3 },
      },
    ],
  };
}

for (const kind of databaseKinds()) {
  describe(`OCPP 2.0.1 status and meter values [${kind}]`, () => {
    let csms: TestCsms;
    const stations = new StationPool(() => csms);
    before(async () => {
      csms = await startTestCsms(kind);
      await csms.stores.idTokens.create(VALID_TOKEN);
    });
    after(async () => {
      await stations.closeAll();
      await csms.stop();
    });

    /** Reusable State EnergyTransferStarted, authorization first. */
    async function charging(identity: string) {
      const station = await stations.booted(identity);
      const tx = new Transaction(station, `${identity}-TX`);
      await tx.send('Started', 'Authorized', { idToken: VALID_TOKEN });
      await notifyConnector(station, 'Occupied');
      await tx.send('Updated', 'CablePluggedIn', {
        evse: EVSE,
        transactionInfo: { chargingState: 'EVConnected' },
      });
      await tx.send('Updated', 'ChargingStateChanged', { transactionInfo: { chargingState: 'Charging' } });
      const row = await csms.stores.transactions.findByStationTransactionId(identity, tx.id);
      return { station, tx, transactionId: row!.id };
    }
    /** Reusable States StopAuthorized, EVConnectedPostSession, EVDisconnected with the Ended meter values. */
    async function disconnect(station: v201.ChargePoint, tx: Transaction, meterValue: v201.MeterValueType[]) {
      await tx.send('Updated', 'StopAuthorized', { idToken: VALID_TOKEN });
      await tx.send('Updated', 'ChargingStateChanged', { transactionInfo: { chargingState: 'EVConnected' } });
      await notifyConnector(station, 'Available');
      await tx.send('Ended', 'EVCommunicationLost', {
        meterValue,
        transactionInfo: { chargingState: 'Idle', stoppedReason: 'EVDisconnected' },
      });
    }
    const samplesOf = (transactionId: number) => csms.stores.meterValues.listForTransaction(transactionId);

    test('StatusNotification is stored with its history; a late report does not override a newer one', async () => {
      const station = await stations.booted('G01-STATION');
      const seen: CsmsEvent[] = [];
      const unsubscribe = csms.events.subscribe((event) => seen.push(event));
      const [early, late] = [nextTimestamp(), nextTimestamp()];
      const report = (timestamp: string, connectorStatus: v201.ConnectorStatusEnumType) =>
        station.call('StatusNotification', { timestamp, connectorStatus, evseId: 2, connectorId: 1 });
      assert.deepEqual(await report(late, 'Occupied'), {});
      await report(early, 'Available');
      await report(late, 'Occupied');
      unsubscribe();
      const [current] = await csms.stores.connectorStatus.listCurrent('G01-STATION');
      assert.equal(current?.status, 'Occupied');
      assert.equal(current?.evse_id, 2);
      const history = await csms.stores.connectorStatus.listHistory('G01-STATION');
      assert.deepEqual(
        history.items.map((h) => h.status),
        ['Occupied', 'Available'],
        'the resent report is stored once',
      );
      const connectorEvents = seen.filter((e) => e.type === 'connector' && e.identity === 'G01-STATION');
      assert.deepEqual(connectorEvents, [
        { type: 'connector', identity: 'G01-STATION', evseId: 2, connectorId: 1, status: 'Occupied' },
      ]);
    });

    test('a NotifyEvent on Connector.AvailabilityState is the connector status too', async () => {
      const station = await stations.booted('G-EVENT-STATION');
      const timestamp = nextTimestamp();
      await station.call('NotifyEvent', {
        generatedAt: timestamp,
        seqNo: 0,
        eventData: [
          {
            eventId: 9,
            timestamp,
            trigger: 'Delta',
            actualValue: 'Faulted',
            eventNotificationType: 'HardWiredNotification',
            component: { name: 'Connector', evse: { id: 1, connectorId: 2 } },
            variable: { name: 'AvailabilityState' },
          },
        ],
      });
      const [current] = await csms.stores.connectorStatus.listCurrent('G-EVENT-STATION');
      assert.deepEqual([current?.evse_id, current?.connector_id, current?.status], [1, 2, 'Faulted']);
    });

    test('TC_G_20_CSMS: Connector status Notification - Lock Failure', async () => {
      const station = await stations.booted('G20-STATION');
      const timestamp = nextTimestamp();
      const response = await station.call('NotifyEvent', {
        generatedAt: timestamp,
        seqNo: 0,
        eventData: [
          {
            eventId: 20,
            timestamp,
            trigger: 'Delta',
            actualValue: 'true',
            eventNotificationType: 'HardWiredNotification',
            component: { name: 'ConnectorPlugRetentionLock', evse: { id: 1, connectorId: 1 } },
            variable: { name: 'Problem' },
          },
        ],
      });
      assert.deepEqual(response, {});
      const [variable] = await csms.stores.deviceModel.list('G20-STATION', {
        componentName: 'ConnectorPlugRetentionLock',
      });
      assert.deepEqual([variable?.variable_name, variable?.value, variable?.evse_id], ['Problem', 'true', 1]);
    });

    test('TC_J_01_CSMS: Clock-aligned Meter Values - No transaction ongoing', async () => {
      const station = await stations.booted('J01-STATION');
      for (let round = 0; round < 3; round++) {
        for (const evseId of [0, 1]) {
          const meterValue = [clockAligned(10_000 + round * 100, 7400)];
          assert.deepEqual(await station.call('MeterValues', { evseId, meterValue }), {});
        }
      }
      const page = await csms.stores.meterValues.listForStation('J01-STATION', { limit: 100 });
      assert.equal(page.total, 12);
      assert.ok(page.items.every((s) => s.transaction_id === null && s.context === 'Sample.Clock'));
      const power = page.items.find((s) => s.measurand === 'Power.Active.Import');
      assert.deepEqual([power?.value, power?.unit], [7400, 'W'], '7.4 × 10^3 W: the multiplier is applied');
      assert.deepEqual([...new Set(page.items.map((s) => s.evse_id))].sort(), [0, 1]);
    });

    test('TC_J_02_CSMS: Clock-aligned Meter Values - Transaction ongoing', async () => {
      const { station, tx, transactionId } = await charging('J02-STATION');
      await station.call('MeterValues', { evseId: 0, meterValue: [clockAligned(50_000, 11_000)] });
      for (let round = 0; round < 2; round++) {
        await tx.send('Updated', 'MeterValueClock', { meterValue: [clockAligned(1000 + round * 500, 7400)] });
      }
      const samples = await samplesOf(transactionId);
      assert.equal(samples.length, 4);
      assert.ok(samples.every((s) => s.context === 'Sample.Clock' && s.evse_id === 1));
      const mainMeter = await csms.stores.meterValues.listForStation('J02-STATION', {
        measurand: 'Energy.Active.Import.Register',
      });
      assert.ok(mainMeter.items.some((s) => s.evse_id === 0 && s.transaction_id === null));
    });

    for (const [id, title, context, signed] of [
      ['TC_J_03_CSMS', 'Clock-aligned Meter Values - EventType Ended', 'Sample.Clock', false],
      ['TC_J_04_CSMS', 'Clock-aligned Meter Values - Signed', 'Sample.Clock', true],
      ['TC_J_10_CSMS', 'Sampled Meter Values - EventType Ended', 'Sample.Periodic', false],
      ['TC_J_11_CSMS', 'Sampled Meter Values - Signed', 'Sample.Periodic', true],
    ] as const) {
      test(`${id}: ${title}`, async () => {
        const { station, tx, transactionId } = await charging(`${id}-STATION`);
        const meterValue = [
          energyReading(1000, context, signed),
          energyReading(2000, context, signed),
          energyReading(3000, 'Transaction.End', signed),
        ];
        await disconnect(station, tx, meterValue);
        const samples = await samplesOf(transactionId);
        assert.deepEqual(
          samples.map((s) => [s.value, s.context]),
          [
            [1000, context],
            [2000, context],
            [3000, 'Transaction.End'],
          ],
        );
        assert.ok(samples.every((s) => (s.signed_data !== null) === signed));
        const row = await csms.stores.transactions.get(transactionId);
        assert.equal(row?.energy_wh, 2000);
        assert.equal(row?.meter_stop, 3000);
      });
    }

    test('TC_J_07_CSMS: Sampled Meter Values - EventType Started - EVSE known', async () => {
      const station = await stations.booted('J07-STATION');
      await notifyConnector(station, 'Occupied');
      const tx = new Transaction(station, 'J07-TX');
      await tx.send('Started', 'CablePluggedIn', {
        evse: EVSE,
        meterValue: [energyReading(4242, 'Transaction.Begin')],
        transactionInfo: { chargingState: 'EVConnected' },
      });
      const row = await csms.stores.transactions.findByStationTransactionId('J07-STATION', tx.id);
      const [sample] = await samplesOf(row!.id);
      assert.deepEqual([sample?.value, sample?.context, sample?.evse_id], [4242, 'Transaction.Begin', 1]);
      assert.equal(row?.meter_start, 4242);
    });

    test('TC_J_08_CSMS: Sampled Meter Values - Context Transaction.Begin - EVSE not known', async () => {
      const station = await stations.booted('J08-STATION');
      const tx = new Transaction(station, 'J08-TX');
      await tx.send('Started', 'Authorized', { idToken: VALID_TOKEN });
      await notifyConnector(station, 'Occupied');
      // E01.FR.17: the Started values come with the event that makes the EVSE known.
      await tx.send('Updated', 'CablePluggedIn', {
        evse: EVSE,
        meterValue: [energyReading(777, 'Transaction.Begin')],
        transactionInfo: { chargingState: 'EVConnected' },
      });
      await tx.send('Updated', 'ChargingStateChanged', { transactionInfo: { chargingState: 'Charging' } });
      const row = await csms.stores.transactions.findByStationTransactionId('J08-STATION', tx.id);
      const [sample] = await samplesOf(row!.id);
      assert.deepEqual([sample?.value, sample?.context, sample?.evse_id], [777, 'Transaction.Begin', 1]);
    });

    test('TC_J_09_CSMS: Sampled Meter Values - EventType Updated', async () => {
      const { tx, transactionId } = await charging('J09-STATION');
      for (const wh of [100, 200, 300]) {
        await tx.send('Updated', 'MeterValuePeriodic', {
          meterValue: [energyReading(wh, 'Sample.Periodic')],
        });
      }
      const samples = await samplesOf(transactionId);
      assert.deepEqual(
        samples.map((s) => s.value),
        [100, 200, 300],
      );
      assert.equal((await csms.stores.transactions.get(transactionId))?.energy_wh, 200);
    });

    test('MeterValues are answered after they are committed and announced', async () => {
      const station = await stations.booted('J-EVENTS');
      const seen: CsmsEvent[] = [];
      const unsubscribe = csms.events.subscribe((event) => seen.push(event));
      await station.call('MeterValues', { evseId: 1, meterValue: [energyReading(1, 'Sample.Clock')] });
      unsubscribe();
      // Read right after the answer: the sample must already be there.
      assert.equal((await csms.stores.meterValues.listForStation('J-EVENTS')).total, 1);
      assert.ok(
        seen.some((e) => e.type === 'meter' && e.identity === 'J-EVENTS' && e.transactionId === null),
      );
    });

    test('TC_P_03_CSMS: CustomData - Receive custom data', async () => {
      const station = await stations.booted('P03-STATION');
      const customData = { vendorId: 'com.example.octt', colour: 'green' };
      const status = await station.call('StatusNotification', {
        customData,
        timestamp: nextTimestamp(),
        connectorStatus: 'Available',
        evseId: 1,
        connectorId: 1,
      });
      assert.deepEqual(status, {});
      const tx = new Transaction(station, 'P03-TX');
      const started = tx.event('Started', 'CablePluggedIn', {
        customData,
        evse: EVSE,
        transactionInfo: { customData, chargingState: 'EVConnected' },
      });
      assert.deepEqual(await station.call('TransactionEvent', started), {});
      const row = await csms.stores.transactions.findByStationTransactionId('P03-STATION', tx.id);
      const [event] = await csms.stores.transactions.listEvents(row!.id);
      assert.deepEqual(event?.payload, started, 'stored as received, custom data included');
    });
  });
}
