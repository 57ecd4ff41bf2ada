import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStores } from '../../src/db/index.js';
import { forEachDatabase } from '../support/databases.js';

forEachDatabase('reservation store', (handle) => {
  const stores = () => createStores(handle().db);

  test('create, answer, list active, expire', async () => {
    await stores().stations.markConnected('RES-1', 'ocpp1.6');
    const soon = new Date(Date.now() + 60_000);
    const past = new Date(Date.now() - 60_000);
    const a = await stores().reservations.create({
      stationIdentity: 'RES-1',
      connectorId: 1,
      idToken: 'T1',
      expiresAt: soon,
    });
    const b = await stores().reservations.create({
      stationIdentity: 'RES-1',
      connectorId: 2,
      idToken: 'T2',
      expiresAt: past,
    });
    const c = await stores().reservations.create({
      stationIdentity: 'RES-1',
      connectorId: 0,
      idToken: 'T3',
      expiresAt: soon,
    });
    assert.equal(a.status, 'Pending');
    assert.notEqual(a.id, b.id);
    assert.equal((await stores().reservations.setStatus(a.id, 'Accepted'))?.status, 'Accepted');
    await stores().reservations.setStatus(c.id, 'Cancelled');
    assert.equal(await stores().reservations.setStatus(999999, 'Accepted'), undefined);

    const active = await stores().reservations.list({ stationIdentity: 'RES-1', active: true });
    assert.deepEqual(
      active.items.map((r) => r.id),
      [a.id],
    );
    assert.equal((await stores().reservations.list({ stationIdentity: 'RES-1', active: false })).total, 2);
    assert.equal(await stores().reservations.expireDue(), 1);
    assert.equal((await stores().reservations.get(b.id))?.status, 'Expired');
    assert.equal((await stores().reservations.list({ stationIdentity: 'RES-1' })).total, 3);
  });
});
