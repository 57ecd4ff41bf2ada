import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStores, samplesFromOcpp16, samplesFromOcpp201 } from '../../src/db/index.js';
import { forEachDatabase } from '../support/databases.js';

forEachDatabase('meter value store', (handle) => {
  const stores = () => createStores(handle().db);

  test('insertMany writes a batch once, however often it is repeated', async () => {
    await stores().stations.markConnected('MV-1', 'ocpp1.6');
    const samples = samplesFromOcpp16('MV-1', 1, undefined, [
      {
        timestamp: '2024-01-01T00:00:00Z',
        sampledValue: [
          { value: '1234.5', unit: 'Wh' },
          { value: '16', measurand: 'Current.Import', phase: 'L1', unit: 'A' },
          { value: '16.2', measurand: 'Current.Import', phase: 'L2', unit: 'A' },
          { value: 'abcdef', format: 'SignedData' },
        ],
      },
    ]);
    assert.deepEqual(await stores().meterValues.insertMany(samples), {
      inserted: 4,
      unknownTransactionIds: [],
    });
    assert.equal((await stores().meterValues.insertMany(samples)).inserted, 0);
    const page = await stores().meterValues.listForStation('MV-1');
    assert.equal(page.total, 4);
    const signed = page.items.find((row) => row.format === 'SignedData');
    assert.equal(signed?.value, null);
    assert.equal(signed?.signed_data, 'abcdef');
    const energy = page.items.find(
      (row) => row.measurand === 'Energy.Active.Import.Register' && row.format === null,
    );
    assert.equal(energy?.value, 1234.5, 'default measurand filled in, numeric parsed');
    assert.equal(
      (await stores().meterValues.listForStation('MV-1', { measurand: 'Current.Import' })).total,
      2,
    );
  });

  test('a transaction id the station does not own is stored as null', async () => {
    await stores().stations.markConnected('MV-2', 'ocpp1.6');
    const { transactionId } = await stores().transactions.startTransaction16('MV-2', {
      connectorId: 1,
      idTag: 'T',
      meterStart: 0,
      timestamp: '2024-01-01T00:00:00Z',
    });
    const rows = [
      ...samplesFromOcpp16('MV-2', 1, transactionId, [
        { timestamp: '2024-01-01T00:01:00Z', sampledValue: [{ value: '10' }] },
      ]),
      ...samplesFromOcpp16('MV-2', 1, 424242, [
        { timestamp: '2024-01-01T00:02:00Z', sampledValue: [{ value: '20' }] },
      ]),
    ];
    const outcome = await stores().meterValues.insertMany(rows);
    assert.deepEqual(outcome, { inserted: 2, unknownTransactionIds: [424242] });
    assert.equal((await stores().meterValues.listForTransaction(transactionId)).length, 1);
  });

  test('2.0.1 samples apply the unit multiplier exactly', () => {
    const [sample] = samplesFromOcpp201('S', { evseId: 1 }, [
      {
        timestamp: '2024-01-01T00:00:00Z',
        sampledValue: [{ value: 12.3, unitOfMeasure: { unit: 'Wh', multiplier: 3 } }],
      },
    ]);
    assert.equal(sample?.value, 12300);
    assert.equal(sample?.unit, 'Wh');
  });

  test('a large batch is split into several INSERTs', async () => {
    await stores().stations.markConnected('MV-3', 'ocpp1.6');
    const start = Date.parse('2024-01-01T00:00:00Z');
    const meterValues = Array.from({ length: 2500 }, (_, i) => ({
      timestamp: new Date(start + i * 1000).toISOString(),
      sampledValue: [{ value: String(i) }],
    }));
    const outcome = await stores().meterValues.insertMany(
      samplesFromOcpp16('MV-3', 1, undefined, meterValues),
    );
    assert.equal(outcome.inserted, 2500);
    const page = await stores().meterValues.listForStation('MV-3', {
      from: '2024-01-01T00:00:10Z',
      to: '2024-01-01T00:00:20Z',
    });
    assert.equal(page.total, 10);
  });
});
