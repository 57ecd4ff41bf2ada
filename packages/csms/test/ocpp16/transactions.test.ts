/**
 * OCPP 1.6 StartTransaction / StopTransaction: stored before answered, idempotent under resends,
 * transactionId -1 and unknown ids, reservations (cf. OCTT 2.0.1 TC_E_03, TC_E_04, TC_E_15,
 * TC_E_16 for the CSMS, and the 1.6 errata on transactionId -1).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import { eventsDuring, nextTimestamp, Stations } from './stations.js';

for (const kind of databaseKinds()) {
  describe(`OCPP 1.6 transactions [${kind}]`, () => {
    let csms: TestCsms;
    const stations = new Stations(() => csms);
    before(async () => {
      csms = await startTestCsms(kind);
      await csms.stores.idTokens.create({ idToken: 'DRIVER' });
    });
    after(async () => {
      await stations.closeAll();
      await csms.stop();
    });

    test('a local start and stop store the transaction and its energy (TC_E_03, TC_E_15)', async () => {
      const { identity, station } = await stations.booted();
      const start = { connectorId: 2, idTag: 'DRIVER', meterStart: 1500, timestamp: nextTimestamp() };
      const events = await eventsDuring(csms, identity, async () => {
        const started = await station.call('StartTransaction', start);
        assert.equal(started.idTagInfo.status, 'Accepted');
        assert.ok(Number.isInteger(started.transactionId) && started.transactionId > 0);
        const stopTime = nextTimestamp();
        const stopped = await station.call('StopTransaction', {
          transactionId: started.transactionId,
          meterStop: 9250,
          timestamp: stopTime,
          idTag: 'DRIVER',
          reason: 'Local',
        });
        assert.equal(stopped.idTagInfo?.status, 'Accepted');
        const row = await csms.stores.transactions.get(started.transactionId);
        assert.ok(row);
        assert.equal(row.station_identity, identity);
        assert.equal(row.connector_id, 2);
        assert.equal(row.id_token, 'DRIVER');
        assert.equal(row.started_at.toISOString(), start.timestamp);
        assert.equal(row.stopped_at?.toISOString(), stopTime);
        assert.equal(row.status, 'Ended');
        assert.equal(Number(row.meter_start), 1500);
        assert.equal(Number(row.meter_stop), 9250);
        assert.equal(Number(row.energy_wh), 7750, 'energy = meterStop - meterStart');
        assert.equal(row.stop_reason, 'Local');
        assert.equal(row.stop_id_token, 'DRIVER');
      });
      const transactionEvents = events.filter((e) => e.type === 'transaction');
      assert.deepEqual(
        transactionEvents.map((e) => (e.type === 'transaction' ? e.active : undefined)),
        [true, false],
      );
    });

    test('a transaction is readable the moment its StartTransaction is answered', async () => {
      const { identity, station } = await stations.booted();
      // Several at once, each checked as soon as its own answer arrives.
      await Promise.all(
        [1, 2, 3].map(async (connectorId) => {
          const { transactionId } = await station.call('StartTransaction', {
            connectorId,
            idTag: 'DRIVER',
            meterStart: connectorId,
            timestamp: nextTimestamp(),
          });
          const row = await csms.stores.transactions.get(transactionId);
          assert.equal(row?.station_identity, identity);
          const stopTime = nextTimestamp();
          await station.call('StopTransaction', { transactionId, meterStop: 100, timestamp: stopTime });
          const ended = await csms.stores.transactions.get(transactionId);
          assert.equal(ended?.stopped_at?.toISOString(), stopTime);
        }),
      );
    });

    test('a repeated StartTransaction gets the same transactionId and stores one row', async () => {
      const { identity, station } = await stations.booted();
      const start = { connectorId: 1, idTag: 'DRIVER', meterStart: 42, timestamp: nextTimestamp() };
      const first = await station.call('StartTransaction', start);
      const events = await eventsDuring(csms, identity, async () => {
        const again = await station.call('StartTransaction', start);
        assert.deepEqual(again, first);
      });
      assert.deepEqual(events, [], 'a resend is no news');
      const page = await csms.stores.transactions.list({ stationIdentity: identity });
      assert.equal(page.total, 1);
    });

    test('a repeated StopTransaction leaves the first stop as stored', async () => {
      const { station } = await stations.booted();
      const { transactionId } = await station.call('StartTransaction', {
        connectorId: 1,
        idTag: 'DRIVER',
        meterStart: 0,
        timestamp: nextTimestamp(),
      });
      const stopTime = nextTimestamp();
      await station.call('StopTransaction', {
        transactionId,
        meterStop: 500,
        timestamp: stopTime,
        reason: 'EVDisconnected',
      });
      const again = await station.call('StopTransaction', {
        transactionId,
        meterStop: 999,
        timestamp: nextTimestamp(),
        reason: 'Other',
        idTag: 'DRIVER',
      });
      assert.equal(again.idTagInfo?.status, 'Accepted', 'answered normally');
      const row = await csms.stores.transactions.get(transactionId);
      assert.equal(Number(row?.meter_stop), 500);
      assert.equal(row?.stopped_at?.toISOString(), stopTime);
      assert.equal(row?.stop_reason, 'EVDisconnected');
    });

    test('the transactionData of a StopTransaction is stored with the transaction', async () => {
      const { station } = await stations.booted();
      const startTime = nextTimestamp();
      const { transactionId } = await station.call('StartTransaction', {
        connectorId: 1,
        idTag: 'DRIVER',
        meterStart: 1000,
        timestamp: startTime,
      });
      const stopTime = nextTimestamp();
      await station.call('StopTransaction', {
        transactionId,
        meterStop: 3000,
        timestamp: stopTime,
        reason: 'DeAuthorized',
        transactionData: [
          {
            timestamp: startTime,
            sampledValue: [{ value: '1000', context: 'Transaction.Begin', unit: 'Wh' }],
          },
          {
            timestamp: stopTime,
            sampledValue: [
              { value: '3000', context: 'Transaction.End', unit: 'Wh' },
              { value: '7.2', context: 'Transaction.End', measurand: 'Power.Active.Import', unit: 'kW' },
            ],
          },
        ],
      });
      const stored = await csms.stores.transactions.getWithMeterValues(transactionId);
      assert.equal(stored?.stop_reason, 'DeAuthorized');
      assert.deepEqual(
        stored?.meterValues.map((m) => [m.sampled_at.toISOString(), m.measurand, Number(m.value), m.context]),
        [
          [startTime, 'Energy.Active.Import.Register', 1000, 'Transaction.Begin'],
          [stopTime, 'Energy.Active.Import.Register', 3000, 'Transaction.End'],
          [stopTime, 'Power.Active.Import', 7.2, 'Transaction.End'],
        ],
      );
      assert.ok(stored?.meterValues.every((m) => m.connector_id === 1));
    });

    test('a StopTransaction with transactionId -1 is answered and kept as an ended transaction', async () => {
      const { identity, station } = await stations.booted();
      const beginTime = nextTimestamp();
      const stopTime = nextTimestamp();
      const stop = {
        transactionId: -1,
        meterStop: 12_500,
        timestamp: stopTime,
        idTag: 'DRIVER',
        reason: 'Local' as const,
        transactionData: [
          {
            timestamp: beginTime,
            sampledValue: [{ value: '10', context: 'Transaction.Begin' as const, unit: 'kWh' as const }],
          },
        ],
      };
      const answer = await station.call('StopTransaction', stop);
      assert.deepEqual(answer, { idTagInfo: { status: 'Accepted' } });
      const again = await station.call('StopTransaction', stop);
      assert.deepEqual(again, answer);
      const page = await csms.stores.transactions.list({ stationIdentity: identity });
      assert.equal(page.total, 1, 'a resent stop is stored once');
      const [row] = page.items;
      assert.ok(row);
      assert.equal(row.status, 'Ended');
      assert.equal(row.connector_id, null);
      assert.equal(row.started_at.toISOString(), beginTime, 'start taken from the Transaction.Begin reading');
      assert.equal(Number(row.meter_start), 10_000, '10 kWh');
      assert.equal(Number(row.energy_wh), 2500);
      assert.equal(row.stop_id_token, 'DRIVER');
      const samples = await csms.stores.meterValues.listForTransaction(row.id);
      assert.equal(samples.length, 1);
    });

    test('a StopTransaction for a never-assigned transactionId is answered and kept', async () => {
      const { identity, station } = await stations.booted();
      const stopTime = nextTimestamp();
      const answer = await station.call('StopTransaction', {
        transactionId: 987_654_321,
        meterStop: 77,
        timestamp: stopTime,
      });
      assert.deepEqual(answer, {});
      const [row] = (await csms.stores.transactions.list({ stationIdentity: identity })).items;
      assert.equal(row?.status, 'Ended');
      assert.equal(row?.started_at.toISOString(), stopTime, 'nothing tells the start: the stop time');
      assert.equal(row?.meter_start, null);
      assert.equal(row?.energy_wh, null);
      assert.equal(row?.stop_reason, 'Local', '§4.10: an omitted reason is Local');
    });

    test("another station's transactionId is unknown to this station", async () => {
      const owner = await stations.booted();
      const other = await stations.booted();
      const { transactionId } = await owner.station.call('StartTransaction', {
        connectorId: 1,
        idTag: 'DRIVER',
        meterStart: 0,
        timestamp: nextTimestamp(),
      });
      await other.station.call('StopTransaction', {
        transactionId,
        meterStop: 5,
        timestamp: nextTimestamp(),
      });
      assert.equal((await csms.stores.transactions.get(transactionId))?.status, 'Active');
    });

    test('a StartTransaction with a reservationId marks the reservation Used', async () => {
      const { identity, station } = await stations.booted();
      const reservation = await csms.stores.reservations.create({
        stationIdentity: identity,
        connectorId: 1,
        idToken: 'DRIVER',
        expiresAt: new Date(Date.now() + 3_600_000),
      });
      await csms.stores.reservations.setStatus(reservation.id, 'Accepted');
      const { transactionId } = await station.call('StartTransaction', {
        connectorId: 1,
        idTag: 'DRIVER',
        meterStart: 0,
        timestamp: nextTimestamp(),
        reservationId: reservation.id,
      });
      assert.equal((await csms.stores.reservations.get(reservation.id))?.status, 'Used');
      assert.equal((await csms.stores.transactions.get(transactionId))?.reservation_id, reservation.id);
    });

    test("a reservationId of another station's reservation is left alone and the start still answered", async () => {
      const owner = await stations.booted();
      const { station } = await stations.booted();
      const reservation = await csms.stores.reservations.create({
        stationIdentity: owner.identity,
        idToken: 'DRIVER',
        expiresAt: new Date(Date.now() + 3_600_000),
      });
      const answer = await station.call('StartTransaction', {
        connectorId: 1,
        idTag: 'DRIVER',
        meterStart: 0,
        timestamp: nextTimestamp(),
        reservationId: reservation.id,
      });
      assert.equal(answer.idTagInfo.status, 'Accepted');
      assert.equal((await csms.stores.reservations.get(reservation.id))?.status, 'Pending');
    });
  });
}
