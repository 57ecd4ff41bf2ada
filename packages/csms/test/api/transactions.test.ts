/**
 * /api/v1/transactions over HTTP against a real CSMS: filters, pagination, a transaction with its
 * meter values and energy, the CSV export. Transactions are recorded through the stores, as the
 * OCPP handlers record them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { meterValuesCsv } from '../../src/api/routes/transactions.js';
import { samplesFromOcpp16 } from '../../src/db/index.js';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

for (const kind of databaseKinds()) {
  describe(`transactions API [${kind}]`, () => {
    let csms: TestCsms;
    let ended16: number;
    let active16: number;
    let active201: number;

    before(async () => {
      csms = await startTestCsms(kind);
      const { stores } = csms;
      await stores.stations.create({ identity: 'TX-A' });
      await stores.stations.create({ identity: 'TX-B' });
      ended16 = (
        await stores.transactions.startTransaction16('TX-A', {
          connectorId: 1,
          idTag: 'TAG-1',
          meterStart: 1000,
          timestamp: at(0),
        })
      ).transactionId;
      await stores.meterValues.insertMany(
        samplesFromOcpp16('TX-A', 1, ended16, [
          {
            timestamp: at(1),
            sampledValue: [
              { value: '2000', unit: 'Wh' },
              { value: '7.2', measurand: 'Power.Active.Import', unit: 'kW' },
            ],
          },
          { timestamp: at(2), sampledValue: [{ value: '3500', unit: 'Wh' }] },
        ]),
      );
      await stores.transactions.stopTransaction16('TX-A', {
        transactionId: ended16,
        meterStop: 5000,
        timestamp: at(3),
        reason: 'Local',
      });
      active16 = (
        await stores.transactions.startTransaction16('TX-A', {
          connectorId: 2,
          idTag: 'TAG-2',
          meterStart: 0,
          timestamp: at(10),
        })
      ).transactionId;
      const started = await stores.transactions.recordTransactionEvent('TX-B', {
        eventType: 'Started',
        timestamp: at(20),
        triggerReason: 'Authorized',
        seqNo: 0,
        transactionInfo: { transactionId: 'b-tx-1', chargingState: 'Charging' },
        idToken: { idToken: 'TAG-1', type: 'ISO14443' },
        evse: { id: 1, connectorId: 1 },
        meterValue: [{ timestamp: at(20), sampledValue: [{ value: 100 }] }],
      });
      active201 = started.transaction.id;
      await stores.transactions.recordTransactionEvent('TX-B', {
        eventType: 'Updated',
        timestamp: at(25),
        triggerReason: 'MeterValuePeriodic',
        seqNo: 1,
        transactionInfo: { transactionId: 'b-tx-1' },
        meterValue: [{ timestamp: at(25), sampledValue: [{ value: 1.6, unitOfMeasure: { unit: 'kWh' } }] }],
      });
    });
    after(async () => {
      await csms?.stop();
    });

    const ids = (body: { items: Array<{ id: number }> }) => body.items.map((t) => t.id);

    test('GET lists newest first with station, token, active and time filters', async () => {
      const all = await csms.api('/api/v1/transactions');
      assert.equal(all.status, 200);
      assert.deepEqual(ids(all.body), [active201, active16, ended16]);
      assert.equal(all.body.total, 3);
      assert.deepEqual(ids((await csms.api('/api/v1/transactions?station=TX-A')).body), [active16, ended16]);
      assert.deepEqual(ids((await csms.api('/api/v1/transactions?token=TAG-1')).body), [active201, ended16]);
      assert.deepEqual(ids((await csms.api('/api/v1/transactions?active=true')).body), [active201, active16]);
      assert.deepEqual(ids((await csms.api('/api/v1/transactions?active=false')).body), [ended16]);
      const window = await csms.api(
        `/api/v1/transactions?from=${encodeURIComponent(at(5))}&to=${encodeURIComponent(at(15))}`,
      );
      assert.deepEqual(ids(window.body), [active16]);
      const paged = await csms.api('/api/v1/transactions?limit=1&offset=1');
      assert.deepEqual(ids(paged.body), [active16]);
      assert.equal(paged.body.total, 3);
      const item = all.body.items.find((t: { id: number }) => t.id === active201);
      assert.equal(item.stationTransactionId, 'b-tx-1');
      assert.equal(item.status, 'Active');
      for (const query of ['active=sometimes', 'from=yesterday', 'limit=0', 'page=2']) {
        assert.equal((await csms.api(`/api/v1/transactions?${query}`)).status, 400, query);
      }
    });

    test('GET /transactions/{id} has meter values and energy', async () => {
      const ended = await csms.api(`/api/v1/transactions/${ended16}`);
      assert.equal(ended.status, 200);
      assert.equal(ended.body.transaction.status, 'Ended');
      assert.equal(ended.body.transaction.meterStart, 1000);
      assert.equal(ended.body.transaction.meterStop, 5000);
      assert.equal(ended.body.energyWh, 4000);
      assert.equal(ended.body.meterValues.length, 3);
      assert.deepEqual(
        ended.body.meterValues.map((m: { value: number; measurand: string }) => [m.measurand, m.value]),
        [
          ['Energy.Active.Import.Register', 2000],
          ['Power.Active.Import', 7.2],
          ['Energy.Active.Import.Register', 3500],
        ],
      );
      assert.deepEqual(ended.body.events, []);

      const running = await csms.api(`/api/v1/transactions/${active201}`);
      assert.equal(running.body.transaction.chargingState, 'Charging');
      assert.equal(running.body.energyWh, 1500, '1.6 kWh − 100 Wh');
      assert.deepEqual(
        running.body.events.map((e: { seqNo: number; eventType: string }) => [e.seqNo, e.eventType]),
        [
          [0, 'Started'],
          [1, 'Updated'],
        ],
      );
      const missing = await csms.api('/api/v1/transactions/999999');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.code, 'TRANSACTION_NOT_FOUND');
      assert.equal((await csms.api('/api/v1/transactions/abc')).status, 400);
    });

    test('GET /transactions/{id}/meter-values.csv exports the samples', async () => {
      const response = await fetch(`${csms.apiUrl}/api/v1/transactions/${ended16}/meter-values.csv`, {
        headers: { authorization: `Bearer ${csms.apiToken}` },
      });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
      assert.match(
        response.headers.get('content-disposition') ?? '',
        /attachment; filename="transaction-\d+-meter-values\.csv"/,
      );
      const lines = (await response.text()).trimEnd().split('\r\n');
      assert.equal(lines[0], 'sampled_at,measurand,phase,location,context,unit,value,evse_id,connector_id');
      assert.equal(lines.length, 4);
      assert.equal(lines[1], `${at(1)},Energy.Active.Import.Register,,,,Wh,2000,1,1`);
      assert.equal((await csms.api('/api/v1/transactions/999999/meter-values.csv')).status, 404);
      const unauthorized = await fetch(`${csms.apiUrl}/api/v1/transactions/${ended16}/meter-values.csv`);
      assert.equal(unauthorized.status, 401);
    });
  });
}

test('meterValuesCsv quotes fields that hold commas, quotes or line breaks (RFC 4180)', () => {
  const csv = meterValuesCsv([
    {
      id: 1,
      station_identity: 'S',
      transaction_id: 1,
      evse_id: null,
      connector_id: null,
      sampled_at: new Date(T0),
      value: 1.5,
      measurand: 'Energy, "odd"',
      phase: null,
      unit: 'line\nbreak',
      context: null,
      location: null,
      format: null,
      signed_data: null,
      received_at: new Date(T0),
    },
  ]);
  assert.equal(
    csv.split('\r\n')[1],
    `${new Date(T0).toISOString()},"Energy, ""odd""",,,,"line\nbreak",1.5,,`,
  );
});
