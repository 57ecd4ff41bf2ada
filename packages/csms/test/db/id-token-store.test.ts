import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStores } from '../../src/db/index.js';
import { forEachDatabase } from '../support/databases.js';

forEachDatabase('id token store', (handle) => {
  const idTokens = () => createStores(handle().db).idTokens;

  test('create, get, update, delete', async () => {
    const created = await idTokens().create({
      idToken: 'CARD-1',
      parentIdToken: 'FLEET',
      maxConcurrentTx: 1,
    });
    assert.equal(created?.type, 'ISO14443');
    assert.equal(created?.status, 'Accepted');
    assert.equal(await idTokens().create({ idToken: 'CARD-1' }), undefined, 'exists already');
    assert.ok(await idTokens().create({ idToken: 'CARD-1', type: 'eMAID' }), 'same text, other type');

    assert.equal((await idTokens().get('CARD-1'))?.type, 'ISO14443', 'without a type: first type');
    assert.equal((await idTokens().get('CARD-1', 'eMAID'))?.type, 'eMAID');
    assert.equal(await idTokens().get('CARD-1', 'KeyCode'), undefined);

    const expiresAt = new Date('2030-01-01T00:00:00Z');
    const updated = await idTokens().update('CARD-1', 'ISO14443', {
      status: 'Blocked',
      expiresAt,
      maxConcurrentTx: null,
    });
    assert.equal(updated?.status, 'Blocked');
    assert.deepEqual(updated?.expires_at, expiresAt);
    assert.equal(updated?.max_concurrent_tx, null);
    assert.equal(updated?.parent_id_token, 'FLEET', 'untouched fields stay');
    assert.equal(await idTokens().update('NOPE', 'ISO14443', { status: 'Blocked' }), undefined);

    assert.equal(await idTokens().delete('CARD-1', 'eMAID'), true);
    assert.equal(await idTokens().delete('CARD-1', 'eMAID'), false);
  });

  test('upsert creates, then changes only the fields given', async () => {
    await idTokens().upsert({ idToken: 'UP-1', status: 'Accepted', parentIdToken: 'G' });
    const row = await idTokens().upsert({ idToken: 'UP-1', status: 'Expired' });
    assert.equal(row.status, 'Expired');
    assert.equal(row.parent_id_token, 'G');
  });

  test('list pages and filters', async () => {
    for (const n of [1, 2, 3])
      await idTokens().create({ idToken: `PAGE-${n}`, status: n === 2 ? 'Blocked' : 'Accepted' });
    const page = await idTokens().list({ search: 'page-', limit: 2 });
    assert.equal(page.total, 3);
    assert.deepEqual(
      page.items.map((t) => t.id_token),
      ['PAGE-1', 'PAGE-2'],
    );
    assert.deepEqual(
      (await idTokens().list({ search: 'PAGE', status: 'Blocked' })).items.map((t) => t.id_token),
      ['PAGE-2'],
    );
  });

  test('countActiveTransactions counts running transactions of the token only', async () => {
    const stores = createStores(handle().db);
    await stores.stations.markConnected('IDT-ST', 'ocpp1.6');
    const start = { idTag: 'BUSY', meterStart: 0, timestamp: '2024-01-01T00:00:00Z' };
    const a = await stores.transactions.startTransaction16('IDT-ST', { ...start, connectorId: 1 });
    await stores.transactions.startTransaction16('IDT-ST', { ...start, connectorId: 2 });
    assert.equal(await stores.idTokens.countActiveTransactions('BUSY'), 2);
    await stores.transactions.stopTransaction16('IDT-ST', {
      transactionId: a.transactionId,
      meterStop: 1,
      timestamp: new Date(),
    });
    assert.equal(await stores.idTokens.countActiveTransactions('BUSY'), 1);
    assert.equal(await stores.idTokens.countActiveTransactions('IDLE'), 0);
  });
});
