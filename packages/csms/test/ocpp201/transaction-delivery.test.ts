/**
 * How OCPP 2.0.1 transaction messages are delivered in the field: resent (the same seqNo again), late
 * (offline: true) and out of order. Each event is recorded once, keyed on (station, transactionId,
 * seqNo), the transaction comes out the same whatever the order, and the answer follows the commit.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CsmsEvent } from '../../src/events.js';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import { energyReading, StationPool, Transaction, VALID_TOKEN } from './stations.js';

const EVSE = { id: 1, connectorId: 1 };

for (const kind of databaseKinds()) {
  describe(`OCPP 2.0.1 transaction delivery [${kind}]`, () => {
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

    const stored = (identity: string, tx: Transaction) =>
      csms.stores.transactions.findByStationTransactionId(identity, tx.id);

    test('Ended computes the energy from the register readings', async () => {
      const station = await stations.booted('E-ENERGY');
      const tx = new Transaction(station, 'E-ENERGY-TX');
      const seen: CsmsEvent[] = [];
      const unsubscribe = csms.events.subscribe((event) => seen.push(event));
      await tx.send('Started', 'Authorized', {
        idToken: VALID_TOKEN,
        evse: EVSE,
        meterValue: [energyReading(1200, 'Transaction.Begin')],
      });
      await tx.send('Updated', 'MeterValuePeriodic', {
        meterValue: [energyReading(4000, 'Sample.Periodic')],
      });
      const ended = tx.event('Ended', 'StopAuthorized', {
        idToken: VALID_TOKEN,
        meterValue: [energyReading(9700, 'Transaction.End')],
      });
      await station.call('TransactionEvent', ended);
      unsubscribe();
      const row = await stored('E-ENERGY', tx);
      assert.equal(row?.meter_start, 1200);
      assert.equal(row?.meter_stop, 9700);
      assert.equal(row?.energy_wh, 8500);
      assert.equal(row?.stop_reason, 'Local', 'stoppedReason omitted means Local (E06.FR.09)');
      assert.equal(row?.last_seq_no, 2);
      const transactionEvents = seen.filter((e) => e.type === 'transaction' && e.identity === 'E-ENERGY');
      assert.equal(transactionEvents.length, 3);
      assert.deepEqual(transactionEvents.at(-1), {
        type: 'transaction',
        identity: 'E-ENERGY',
        transactionId: row?.id,
        active: false,
      });
      assert.equal(seen.filter((e) => e.type === 'meter' && e.transactionId === row?.id).length, 3);
    });

    test('a repeated seqNo is answered the same and changes nothing', async () => {
      const station = await stations.booted('E-DUPLICATE');
      const tx = new Transaction(station, 'E-DUP-TX');
      const started = tx.event('Started', 'Authorized', {
        idToken: VALID_TOKEN,
        evse: EVSE,
        meterValue: [energyReading(100, 'Transaction.Begin')],
      });
      const first = await station.call('TransactionEvent', started);
      const before = await stored('E-DUPLICATE', tx);
      const again = await station.call('TransactionEvent', started);
      // The same seqNo with different contents is still the same event: the first one stands.
      const altered = await station.call('TransactionEvent', { ...started, triggerReason: 'CablePluggedIn' });
      assert.deepEqual(again, first);
      assert.deepEqual(altered, first);
      const after = await stored('E-DUPLICATE', tx);
      assert.deepEqual(after, before);
      assert.equal((await csms.stores.transactions.listEvents(after!.id)).length, 1);
      assert.equal((await csms.stores.meterValues.listForTransaction(after!.id)).length, 1);
    });

    test('offline events arriving late and out of order make the same transaction', async () => {
      const station = await stations.booted('E-OFFLINE');
      const tx = new Transaction(station, 'E-OFFLINE-TX');
      const events = [
        tx.event('Started', 'Authorized', {
          idToken: VALID_TOKEN,
          evse: EVSE,
          offline: true,
          meterValue: [energyReading(500, 'Transaction.Begin')],
          transactionInfo: { chargingState: 'Charging' },
        }),
        tx.event('Updated', 'ChargingStateChanged', {
          offline: true,
          transactionInfo: { chargingState: 'SuspendedEV' },
        }),
        tx.event('Ended', 'EVCommunicationLost', {
          offline: true,
          meterValue: [energyReading(2500, 'Transaction.End')],
          transactionInfo: { chargingState: 'Idle', stoppedReason: 'EVDisconnected' },
        }),
      ];
      for (const event of [events[2], events[0], events[1]]) {
        await station.call('TransactionEvent', event!);
      }
      const row = await stored('E-OFFLINE', tx);
      assert.equal(row?.status, 'Ended');
      assert.equal(row?.started_at.toISOString(), events[0]?.timestamp);
      assert.equal(row?.stopped_at?.toISOString(), events[2]?.timestamp);
      assert.equal(row?.charging_state, 'Idle', 'from the highest seqNo, not the last to arrive');
      assert.equal(row?.energy_wh, 2000);
      assert.equal(row?.id_token, VALID_TOKEN.idToken);
      const stored201 = await csms.stores.transactions.listEvents(row!.id);
      assert.deepEqual(
        stored201.map((e) => [e.seq_no, e.offline]),
        [
          [0, true],
          [1, true],
          [2, true],
        ],
      );
    });

    test('the event that carries reservationId uses the reservation (H01.FR.15)', async () => {
      const station = await stations.booted('E-RESERVED');
      const reservation = await csms.stores.reservations.create({
        stationIdentity: 'E-RESERVED',
        evseId: 1,
        idToken: VALID_TOKEN.idToken,
        expiresAt: new Date(Date.now() + 3_600_000),
      });
      await csms.stores.reservations.setStatus(reservation.id, 'Accepted');
      const tx = new Transaction(station, 'E-RESERVED-TX');
      await tx.send('Started', 'Authorized', {
        idToken: VALID_TOKEN,
        evse: EVSE,
        reservationId: reservation.id,
      });
      assert.equal((await csms.stores.reservations.get(reservation.id))?.status, 'Used');
      assert.equal((await stored('E-RESERVED', tx))?.reservation_id, reservation.id);
    });
  });
}
