import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStores } from '../../src/db/index.js';
import { forEachDatabase } from '../support/databases.js';

forEachDatabase('connector status store', (handle) => {
  const stores = () => createStores(handle().db);

  test('records current status and history; a repeat is a duplicate', async () => {
    await stores().stations.markConnected('CS-1', 'ocpp1.6');
    const report = {
      stationIdentity: 'CS-1',
      connectorId: 1,
      status: 'Charging',
      errorCode: 'NoError',
      timestamp: '2024-01-01T00:00:00Z',
    };
    assert.deepEqual(await stores().connectorStatus.record(report), { duplicate: false, current: true });
    assert.deepEqual(await stores().connectorStatus.record(report), { duplicate: true, current: false });
    const [current] = await stores().connectorStatus.listCurrent('CS-1');
    assert.equal(current?.evse_id, 1, '1.6: the connector id doubles as EVSE id');
    assert.equal(current?.status, 'Charging');
    assert.equal((await stores().connectorStatus.listHistory('CS-1')).total, 1);
  });

  test('a late, older report goes to history without replacing the current status', async () => {
    await stores().stations.markConnected('CS-2', 'ocpp2.0.1');
    const base = { stationIdentity: 'CS-2', evseId: 1, connectorId: 1 };
    await stores().connectorStatus.record({ ...base, status: 'Occupied', timestamp: '2024-01-01T00:10:00Z' });
    const late = await stores().connectorStatus.record({
      ...base,
      status: 'Available',
      timestamp: '2024-01-01T00:05:00Z',
    });
    assert.deepEqual(late, { duplicate: false, current: false });
    await stores().connectorStatus.record({
      ...base,
      connectorId: 2,
      status: 'Available',
      timestamp: '2024-01-01T00:00:00Z',
    });
    await stores().connectorStatus.record({
      ...base,
      evseId: 0,
      connectorId: 0,
      status: 'Available',
      timestamp: '2024-01-01T00:00:00Z',
    });
    const current = await stores().connectorStatus.listCurrent('CS-2');
    assert.deepEqual(
      current.map((c) => [c.evse_id, c.connector_id, c.status]),
      [
        [0, 0, 'Available'],
        [1, 1, 'Occupied'],
        [1, 2, 'Available'],
      ],
    );
    const history = await stores().connectorStatus.listHistory('CS-2', { evseId: 1, connectorId: 1 });
    assert.deepEqual(
      history.items.map((h) => h.status),
      ['Occupied', 'Available'],
      'newest first',
    );
  });

  test('concurrent repeats store once', async () => {
    await stores().stations.markConnected('CS-3', 'ocpp1.6');
    const report = {
      stationIdentity: 'CS-3',
      connectorId: 1,
      status: 'Faulted',
      timestamp: '2024-01-01T00:00:00Z',
    };
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => stores().connectorStatus.record(report)),
    );
    assert.equal(outcomes.filter((o) => !o.duplicate).length, 1);
    assert.equal((await stores().connectorStatus.listHistory('CS-3')).total, 1);
  });

  test('recordMany answers each report as record() would, in one statement for the batch', async () => {
    const at = (minute: number) => `2024-01-01T00:${String(minute).padStart(2, '0')}:00Z`;
    const report = (identity: string, connectorId: number, status: string, minute: number) => ({
      stationIdentity: identity,
      connectorId,
      status,
      timestamp: at(minute),
    });
    // Stored before the batch: CM-1 connector 1 Occupied at :10, which stays current.
    await stores().connectorStatus.record(report('CM-1', 1, 'Occupied', 10));
    const outcomes = await stores().connectorStatus.recordMany([
      report('CM-1', 1, 'Occupied', 10), // stored before: a duplicate
      report('CM-1', 1, 'Available', 5), // late and older than the current one: history only
      report('CM-1', 2, 'Available', 1), // first report of a connector: current
      report('CM-2', 1, 'Preparing', 2), // one connector twice in the batch: the later one is current
      report('CM-2', 1, 'Charging', 3),
      report('CM-2', 1, 'Charging', 3), // the same report twice in the batch: the second is a duplicate
      { ...report('CM-3', 1, 'Available', 4), evseId: 2 }, // 2.0.1: EVSE and connector
    ]);
    assert.deepEqual(outcomes, [
      { duplicate: true, current: false },
      { duplicate: false, current: false },
      { duplicate: false, current: true },
      { duplicate: false, current: false },
      { duplicate: false, current: true },
      { duplicate: true, current: false },
      { duplicate: false, current: true },
    ]);
    const current = async (identity: string) =>
      (await stores().connectorStatus.listCurrent(identity)).map((c) => [
        c.evse_id,
        c.connector_id,
        c.status,
      ]);
    assert.deepEqual(await current('CM-1'), [
      [1, 1, 'Occupied'],
      [2, 2, 'Available'],
    ]);
    assert.deepEqual(await current('CM-2'), [[1, 1, 'Charging']]);
    assert.deepEqual(await current('CM-3'), [[2, 1, 'Available']]);
    const history = await stores().connectorStatus.listHistory('CM-2');
    assert.deepEqual(
      history.items.map((h) => h.status),
      ['Charging', 'Preparing'],
    );
    assert.equal((await stores().connectorStatus.listHistory('CM-1')).total, 3);
    assert.deepEqual(await stores().connectorStatus.recordMany([]), []);
  });
});
