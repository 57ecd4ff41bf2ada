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
});
