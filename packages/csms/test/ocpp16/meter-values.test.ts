/**
 * OCPP 1.6 MeterValues: stored (group commit) before answered, with or without a transaction,
 * transactionId -1 and unknown ids, resends (cf. OCTT 2.0.1 TC_J clock-aligned and sampled meter
 * values for the CSMS).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import { eventsDuring, nextTimestamp, Stations } from './stations.js';

for (const kind of databaseKinds()) {
  describe(`OCPP 1.6 MeterValues [${kind}]`, () => {
    let csms: TestCsms;
    const stations = new Stations(() => csms);
    before(async () => {
      csms = await startTestCsms(kind);
    });
    after(async () => {
      await stations.closeAll();
      await csms.stop();
    });

    async function startTransaction(station: Awaited<ReturnType<Stations['booted']>>['station']) {
      const { transactionId } = await station.call('StartTransaction', {
        connectorId: 1,
        idTag: 'METER',
        meterStart: 0,
        timestamp: nextTimestamp(),
      });
      return transactionId;
    }

    test('sampled values of a transaction are stored with it before the answer', async () => {
      const { identity, station } = await stations.booted();
      const transactionId = await startTransaction(station);
      const timestamp = nextTimestamp();
      const events = await eventsDuring(csms, identity, () =>
        station.call('MeterValues', {
          connectorId: 1,
          transactionId,
          meterValue: [
            {
              timestamp,
              sampledValue: [
                { value: '1234.5', context: 'Sample.Periodic' },
                { value: '16.1', measurand: 'Current.Import', phase: 'L1', unit: 'A', location: 'Outlet' },
                { value: '7400', measurand: 'Power.Active.Import', unit: 'W' },
              ],
            },
          ],
        }),
      );
      assert.deepEqual(events, [{ type: 'meter', identity, transactionId }]);
      const rows = await csms.stores.meterValues.listForTransaction(transactionId);
      assert.equal(rows.length, 3);
      const byMeasurand = new Map(rows.map((r) => [r.measurand, r]));
      const energy = byMeasurand.get('Energy.Active.Import.Register');
      assert.equal(Number(energy?.value), 1234.5);
      assert.equal(energy?.context, 'Sample.Periodic');
      assert.equal(energy?.sampled_at.toISOString(), timestamp);
      const current = byMeasurand.get('Current.Import');
      assert.deepEqual([current?.phase, current?.unit, current?.location], ['L1', 'A', 'Outlet']);
      assert.ok(rows.every((r) => r.station_identity === identity && r.connector_id === 1));
    });

    test('clock-aligned values of connector 0 without a transaction are stored for the station', async () => {
      const { identity, station } = await stations.booted();
      const timestamp = nextTimestamp();
      const events = await eventsDuring(csms, identity, () =>
        station.call('MeterValues', {
          connectorId: 0,
          meterValue: [
            { timestamp, sampledValue: [{ value: '99000', context: 'Sample.Clock', unit: 'Wh' }] },
          ],
        }),
      );
      assert.deepEqual(events, [{ type: 'meter', identity, transactionId: null }]);
      const { items } = await csms.stores.meterValues.listForStation(identity);
      assert.equal(items.length, 1);
      assert.equal(items[0]?.connector_id, 0);
      assert.equal(items[0]?.transaction_id, null);
      assert.equal(Number(items[0]?.value), 99000);
    });

    test('values with transactionId -1 are answered and kept without a transaction', async () => {
      const { identity, station } = await stations.booted();
      const answer = await station.call('MeterValues', {
        connectorId: 2,
        transactionId: -1,
        meterValue: [{ timestamp: nextTimestamp(), sampledValue: [{ value: '500' }] }],
      });
      assert.deepEqual(answer, {});
      const { items } = await csms.stores.meterValues.listForStation(identity);
      assert.equal(items.length, 1);
      assert.equal(items[0]?.transaction_id, null);
      assert.equal(items[0]?.connector_id, 2);
    });

    test('values naming a transaction this station does not have are answered and kept', async () => {
      const owner = await stations.booted();
      const transactionId = await startTransaction(owner.station);
      const { identity, station } = await stations.booted();
      await station.call('MeterValues', {
        connectorId: 1,
        transactionId,
        meterValue: [{ timestamp: nextTimestamp(), sampledValue: [{ value: '1' }] }],
      });
      await station.call('MeterValues', {
        connectorId: 1,
        transactionId: 2_000_000_000,
        meterValue: [{ timestamp: nextTimestamp(), sampledValue: [{ value: '2' }] }],
      });
      const { items } = await csms.stores.meterValues.listForStation(identity);
      assert.deepEqual(
        items.map((r) => r.transaction_id),
        [null, null],
      );
      assert.equal((await csms.stores.meterValues.listForTransaction(transactionId)).length, 0);
    });

    test('a resent MeterValues is answered again and stored once', async () => {
      const { identity, station } = await stations.booted();
      const transactionId = await startTransaction(station);
      const request = {
        connectorId: 1,
        transactionId,
        meterValue: [
          { timestamp: nextTimestamp(), sampledValue: [{ value: '10' }] },
          { timestamp: nextTimestamp(), sampledValue: [{ value: '20' }] },
        ],
      };
      await station.call('MeterValues', request);
      await station.call('MeterValues', request);
      const { total } = await csms.stores.meterValues.listForStation(identity);
      assert.equal(total, 2);
    });

    test('a signed reading is kept as signed data without a number', async () => {
      const { identity, station } = await stations.booted();
      await station.call('MeterValues', {
        connectorId: 1,
        meterValue: [
          { timestamp: nextTimestamp(), sampledValue: [{ value: 'AB12CD34', format: 'SignedData' }] },
        ],
      });
      const [row] = (await csms.stores.meterValues.listForStation(identity)).items;
      assert.equal(row?.value, null);
      assert.equal(row?.format, 'SignedData');
      assert.equal(row?.signed_data, 'AB12CD34');
    });

    test('many stations sending at once are each answered after their own rows are written', async () => {
      const booted = await Promise.all([1, 2, 3, 4, 5].map(() => stations.booted()));
      await Promise.all(
        booted.map(async ({ identity, station }) => {
          const timestamp = nextTimestamp();
          await station.call('MeterValues', {
            connectorId: 1,
            meterValue: [{ timestamp, sampledValue: [{ value: '1' }, { value: '2', measurand: 'Voltage' }] }],
          });
          const { items } = await csms.stores.meterValues.listForStation(identity);
          assert.equal(items.length, 2, `${identity}'s samples are there when it is answered`);
        }),
      );
    });
  });
}
