import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStores, type Stores, type TransactionEventRequest } from '../../src/db/index.js';
import { forEachDatabase } from '../support/databases.js';

const T0 = '2024-05-01T10:00:00.000Z';
const T1 = '2024-05-01T10:15:00.000Z';
const T2 = '2024-05-01T11:00:00.000Z';

function energy(value: number, timestamp: string, context: string) {
  return { timestamp, sampledValue: [{ value, context, unitOfMeasure: { unit: 'kWh', multiplier: 0 } }] };
}

function event(
  seqNo: number,
  eventType: TransactionEventRequest['eventType'],
  rest: Partial<TransactionEventRequest> = {},
) {
  return {
    eventType,
    seqNo,
    timestamp: [T0, T1, T2][Math.min(seqNo, 2)]!,
    triggerReason: eventType === 'Ended' ? 'StopAuthorized' : 'Authorized',
    transactionInfo: { transactionId: 'TX-A', chargingState: 'Charging' },
    ...rest,
  } satisfies TransactionEventRequest;
}

forEachDatabase('transaction store', (handle) => {
  let stores: Stores;
  const station = async (identity: string, protocol: 'ocpp1.6' | 'ocpp2.0.1') => {
    stores = createStores(handle().db);
    await stores.stations.markConnected(identity, protocol);
  };

  test('1.6: a repeated StartTransaction returns the same id and stores one row', async () => {
    await station('TX16-1', 'ocpp1.6');
    const request = { connectorId: 1, idTag: 'TAG1', meterStart: 1000, timestamp: T0 };
    const first = await stores.transactions.startTransaction16('TX16-1', request);
    const again = await stores.transactions.startTransaction16('TX16-1', {
      ...request,
      timestamp: new Date(T0),
    });
    assert.equal(first.duplicate, false);
    assert.deepEqual(again, { transactionId: first.transactionId, duplicate: true });
    const other = await stores.transactions.startTransaction16('TX16-1', { ...request, meterStart: 1001 });
    assert.notEqual(other.transactionId, first.transactionId);
    const page = await stores.transactions.list({ stationIdentity: 'TX16-1' });
    assert.equal(page.total, 2);
    const row = await stores.transactions.get(first.transactionId);
    assert.equal(row?.evse_id, 1);
    assert.equal(row?.connector_id, 1);
    assert.equal(row?.status, 'Active');
  });

  test('1.6: concurrent identical StartTransactions insert once', async () => {
    await station('TX16-2', 'ocpp1.6');
    const request = { connectorId: 2, idTag: 'TAG2', meterStart: 5, timestamp: T0 };
    const results = await Promise.all(
      Array.from({ length: 8 }, () => stores.transactions.startTransaction16('TX16-2', request)),
    );
    assert.equal(new Set(results.map((r) => r.transactionId)).size, 1);
    assert.equal(results.filter((r) => !r.duplicate).length, 1);
    assert.equal((await stores.transactions.list({ stationIdentity: 'TX16-2' })).total, 1);
  });

  test('1.6: StopTransaction ends once; a repeat keeps the first stop', async () => {
    await station('TX16-3', 'ocpp1.6');
    const { transactionId } = await stores.transactions.startTransaction16('TX16-3', {
      connectorId: 1,
      idTag: 'TAG3',
      meterStart: 1000,
      timestamp: T0,
    });
    assert.equal((await stores.transactions.findActive('TX16-3', { connectorId: 1 }))?.id, transactionId);
    const transactionData = [
      { timestamp: T2, sampledValue: [{ value: '4500', context: 'Transaction.End', unit: 'Wh' }] },
    ];
    const stop = { transactionId, meterStop: 4500, timestamp: T2, reason: 'EVDisconnected', transactionData };
    const first = await stores.transactions.stopTransaction16('TX16-3', stop);
    assert.equal(first.duplicate, false);
    assert.equal(first.transaction?.status, 'Ended');
    assert.equal(first.transaction?.energy_wh, 3500);
    const again = await stores.transactions.stopTransaction16('TX16-3', {
      ...stop,
      meterStop: 9999,
      timestamp: T1,
    });
    assert.equal(again.duplicate, true);
    assert.equal(again.transaction?.meter_stop, 4500);
    assert.deepEqual(again.transaction?.stopped_at, new Date(T2));
    const withValues = await stores.transactions.getWithMeterValues(transactionId);
    assert.equal(withValues?.meterValues.length, 1);
    assert.equal(withValues?.meterValues[0]?.value, 4500);
    assert.equal(await stores.transactions.findActive('TX16-3', { connectorId: 1 }), undefined);
  });

  test("1.6: stopping an unknown or another station's transaction finds nothing", async () => {
    await station('TX16-4', 'ocpp1.6');
    const unknown = await stores.transactions.stopTransaction16('TX16-4', {
      transactionId: 987654,
      meterStop: 1,
      timestamp: T1,
    });
    assert.deepEqual(unknown, { transaction: undefined, duplicate: false });
    await station('TX16-5', 'ocpp1.6');
    const { transactionId } = await stores.transactions.startTransaction16('TX16-5', {
      connectorId: 1,
      idTag: 'T',
      meterStart: 0,
      timestamp: T0,
    });
    const foreign = await stores.transactions.stopTransaction16('TX16-4', {
      transactionId,
      meterStop: 1,
      timestamp: T1,
    });
    assert.equal(foreign.transaction, undefined);
  });

  test('1.6: a stop for a transaction never started is kept once as its own Ended row', async () => {
    await station('TX16-6', 'ocpp1.6');
    const stop = {
      transactionId: -1,
      meterStop: 2500,
      timestamp: T2,
      startedAt: T0,
      meterStart: 1000,
      transactionData: [{ timestamp: T0, sampledValue: [{ value: '1000', context: 'Transaction.Begin' }] }],
    };
    const first = await stores.transactions.recordUnknownStop16('TX16-6', stop);
    assert.equal(first.duplicate, false);
    assert.equal(first.transaction?.status, 'Ended');
    assert.equal(first.transaction?.energy_wh, 1500);
    const again = await stores.transactions.recordUnknownStop16('TX16-6', stop);
    assert.deepEqual(again, { transaction: first.transaction, duplicate: true });
    assert.equal((await stores.transactions.list({ stationIdentity: 'TX16-6' })).total, 1);
    assert.equal((await stores.meterValues.listForTransaction(first.transaction!.id)).length, 1);
  });

  test('2.0.1: Started, Updated, Ended build one transaction with energy', async () => {
    await station('TX201-1', 'ocpp2.0.1');
    const started = await stores.transactions.recordTransactionEvent(
      'TX201-1',
      event(0, 'Started', {
        evse: { id: 1, connectorId: 1 },
        idToken: { idToken: 'RFID-1', type: 'ISO14443' },
        transactionInfo: { transactionId: 'TX-A', chargingState: 'EVConnected', remoteStartId: 7 },
        meterValue: [energy(10, T0, 'Transaction.Begin')],
      }),
    );
    assert.equal(started.duplicate, false);
    assert.equal(started.transaction.status, 'Active');
    assert.equal(started.transaction.meter_start, 10000);
    await stores.transactions.recordTransactionEvent(
      'TX201-1',
      event(1, 'Updated', { meterValue: [energy(12.5, T1, 'Sample.Periodic')] }),
    );
    const ended = await stores.transactions.recordTransactionEvent(
      'TX201-1',
      event(2, 'Ended', {
        idToken: { idToken: 'RFID-2', type: 'ISO14443' },
        transactionInfo: { transactionId: 'TX-A', chargingState: 'Idle', stoppedReason: 'Local' },
        meterValue: [energy(15, T2, 'Transaction.End')],
      }),
    );
    const tx = ended.transaction;
    assert.equal(tx.status, 'Ended');
    assert.equal(tx.id_token, 'RFID-1');
    assert.equal(tx.stop_id_token, 'RFID-2');
    assert.equal(tx.remote_start_id, 7);
    assert.equal(tx.charging_state, 'Idle');
    assert.deepEqual([tx.meter_start, tx.meter_stop, tx.energy_wh], [10000, 15000, 5000]);
    assert.deepEqual([tx.started_at, tx.stopped_at], [new Date(T0), new Date(T2)]);
    assert.deepEqual(
      (await stores.transactions.listEvents(tx.id)).map((e) => e.seq_no),
      [0, 1, 2],
    );
  });

  test('2.0.1: a repeated seqNo is a duplicate and stores one event', async () => {
    await station('TX201-2', 'ocpp2.0.1');
    const started = event(0, 'Started', {
      evse: { id: 2 },
      meterValue: [energy(1, T0, 'Transaction.Begin')],
    });
    await stores.transactions.recordTransactionEvent('TX201-2', started);
    const again = await stores.transactions.recordTransactionEvent('TX201-2', started);
    assert.equal(again.duplicate, true);
    assert.equal((await stores.transactions.listEvents(again.transaction.id)).length, 1);
    assert.equal((await stores.meterValues.listForTransaction(again.transaction.id)).length, 1);
  });

  test('2.0.1: Ended before Started still ends up correct', async () => {
    await station('TX201-3', 'ocpp2.0.1');
    const ended = await stores.transactions.recordTransactionEvent(
      'TX201-3',
      event(2, 'Ended', {
        transactionInfo: { transactionId: 'TX-A', chargingState: 'Idle', stoppedReason: 'EVDisconnected' },
        triggerReason: 'EVCommunicationLost',
        meterValue: [energy(15, T2, 'Transaction.End')],
      }),
    );
    assert.equal(ended.transaction.status, 'Ended');
    assert.equal(ended.transaction.id_token, null);
    await stores.transactions.recordTransactionEvent(
      'TX201-3',
      event(0, 'Started', {
        evse: { id: 1, connectorId: 1 },
        idToken: { idToken: 'RFID-3', type: 'ISO14443' },
        transactionInfo: { transactionId: 'TX-A', chargingState: 'Charging' },
        meterValue: [energy(10, T0, 'Transaction.Begin')],
      }),
    );
    const { transaction: tx } = await stores.transactions.recordTransactionEvent(
      'TX201-3',
      event(1, 'Updated', { transactionInfo: { transactionId: 'TX-A', chargingState: 'SuspendedEV' } }),
    );
    assert.equal(tx.status, 'Ended');
    assert.equal(tx.id_token, 'RFID-3');
    assert.equal(tx.id_token_type, 'ISO14443');
    assert.equal(tx.evse_id, 1);
    assert.equal(tx.stop_reason, 'EVDisconnected');
    assert.equal(tx.charging_state, 'Idle', 'the late Updated (seqNo 1) does not override seqNo 2');
    assert.equal(tx.last_seq_no, 2);
    assert.deepEqual([tx.started_at, tx.stopped_at], [new Date(T0), new Date(T2)]);
    assert.deepEqual([tx.meter_start, tx.meter_stop, tx.energy_wh], [10000, 15000, 5000]);
    assert.equal((await stores.transactions.list({ stationIdentity: 'TX201-3' })).total, 1);
  });

  test('2.0.1: concurrent events of one transaction are all applied, duplicates once', async () => {
    await station('TX201-4', 'ocpp2.0.1');
    const events = [
      event(0, 'Started', { evse: { id: 1 }, meterValue: [energy(1, T0, 'Transaction.Begin')] }),
      event(1, 'Updated', { meterValue: [energy(2, T1, 'Sample.Periodic')] }),
      event(2, 'Ended', { meterValue: [energy(4, T2, 'Transaction.End')] }),
    ];
    const outcomes = await Promise.all(
      [...events, ...events].map((e) => stores.transactions.recordTransactionEvent('TX201-4', e)),
    );
    assert.equal(outcomes.filter((o) => o.duplicate).length, 3);
    const tx = await stores.transactions.findByStationTransactionId('TX201-4', 'TX-A');
    assert.ok(tx);
    assert.equal(tx.status, 'Ended');
    assert.equal(tx.energy_wh, 3000);
    assert.equal((await stores.transactions.listEvents(tx.id)).length, 3);
  });

  test('list filters by station, token, state and start time, and pages', async () => {
    await station('TX-LIST', 'ocpp1.6');
    const starts = ['2024-06-01T00:00:00Z', '2024-06-02T00:00:00Z', '2024-06-03T00:00:00Z'];
    const ids: number[] = [];
    for (const [i, timestamp] of starts.entries()) {
      const idTag = i === 0 ? 'LIST-A' : 'LIST-B';
      ids.push(
        (
          await stores.transactions.startTransaction16('TX-LIST', {
            connectorId: 1,
            idTag,
            meterStart: 0,
            timestamp,
          })
        ).transactionId,
      );
    }
    await stores.transactions.stopTransaction16('TX-LIST', {
      transactionId: ids[0]!,
      meterStop: 10,
      timestamp: starts[1]!,
    });
    const all = await stores.transactions.list({ stationIdentity: 'TX-LIST', limit: 2 });
    assert.equal(all.total, 3);
    assert.deepEqual(
      all.items.map((t) => t.id),
      [ids[2], ids[1]],
      'newest first',
    );
    const next = await stores.transactions.list({ stationIdentity: 'TX-LIST', limit: 2, offset: 2 });
    assert.deepEqual(
      next.items.map((t) => t.id),
      [ids[0]],
    );
    assert.equal(
      (await stores.transactions.list({ stationIdentity: 'TX-LIST', idToken: 'LIST-B' })).total,
      2,
    );
    assert.equal((await stores.transactions.list({ stationIdentity: 'TX-LIST', active: false })).total, 1);
    const window = await stores.transactions.list({
      stationIdentity: 'TX-LIST',
      from: '2024-06-02T00:00:00Z',
      to: '2024-06-03T00:00:00Z',
    });
    assert.deepEqual(
      window.items.map((t) => t.id),
      [ids[1]],
    );
    assert.equal((await stores.transactions.listActive('TX-LIST')).length, 2);
    assert.equal(await stores.idTokens.countActiveTransactions('LIST-B'), 2);
    assert.equal(await stores.idTokens.countActiveTransactions('LIST-A'), 0);
  });
});
