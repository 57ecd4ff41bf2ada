import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
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

  test("three indexes per row: the sample key also serves a station's newest samples", async () => {
    // Migration 0008: (station_identity, sampled_at) went into the unique sample key.
    const indexes = await sql<{ indexname: string; indexdef: string }>`SELECT indexname, indexdef
      FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'meter_values'
      ORDER BY indexname`.execute(handle().db);
    assert.deepEqual(
      indexes.rows.map((row) => [row.indexname, row.indexdef.replace(/^.* USING btree /, '')]),
      [
        ['meter_values_pkey', '(id)'],
        [
          'meter_values_sample_key',
          "(station_identity, sampled_at, COALESCE(evse_id, '-1'::integer), COALESCE(connector_id, " +
            "'-1'::integer), measurand, COALESCE(phase, ''::text), COALESCE(location, ''::text), " +
            "COALESCE(context, ''::text), COALESCE(format, ''::text))",
        ],
        ['meter_values_transaction_idx', '(transaction_id, sampled_at)'],
      ],
    );
    // Newest first within a time window, across connectors and measurands.
    await stores().stations.markConnected('MV-IX', 'ocpp1.6');
    for (const [connectorId, minute] of [
      [2, 3],
      [1, 1],
      [1, 4],
      [2, 2],
    ] as const) {
      await stores().meterValues.insertMany(
        samplesFromOcpp16('MV-IX', connectorId, undefined, [
          { timestamp: `2024-01-01T00:0${minute}:00Z`, sampledValue: [{ value: String(minute) }] },
        ]),
      );
    }
    const page = await stores().meterValues.listForStation('MV-IX', {
      from: '2024-01-01T00:02:00Z',
      to: '2024-01-01T00:04:00Z',
    });
    assert.deepEqual(
      page.items.map((row) => [row.connector_id, row.value]),
      [
        [2, 3],
        [2, 2],
      ],
    );
    assert.equal(page.total, 2);
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

  test('a batch of 2,500 samples is stored whole (one unnest INSERT, no parameter limit)', async () => {
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
