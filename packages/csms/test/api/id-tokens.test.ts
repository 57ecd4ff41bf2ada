/** /api/v1/id-tokens over HTTP against a real CSMS: create, read, list, change, block, remove. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';

for (const kind of databaseKinds()) {
  describe(`id tokens API [${kind}]`, () => {
    let csms: TestCsms;
    before(async () => {
      csms = await startTestCsms(kind);
    });
    after(async () => {
      await csms?.stop();
    });

    test('POST creates a token with its fields (201); a duplicate is 409', async () => {
      const created = await csms.api('/api/v1/id-tokens', {
        method: 'POST',
        body: {
          idToken: 'CARD-1',
          status: 'Accepted',
          expiresAt: '2030-01-01T00:00:00.000Z',
          parentIdToken: 'FLEET-A',
          maxConcurrentTx: 2,
        },
      });
      assert.equal(created.status, 201);
      assert.deepEqual(
        { ...created.body, createdAt: undefined, updatedAt: undefined },
        {
          idToken: 'CARD-1',
          type: 'ISO14443',
          status: 'Accepted',
          expiresAt: '2030-01-01T00:00:00.000Z',
          parentIdToken: 'FLEET-A',
          maxConcurrentTx: 2,
          createdAt: undefined,
          updatedAt: undefined,
        },
      );
      const duplicate = await csms.api('/api/v1/id-tokens', { method: 'POST', body: { idToken: 'CARD-1' } });
      assert.equal(duplicate.status, 409);
      assert.equal(duplicate.body.code, 'ID_TOKEN_EXISTS');
      const otherType = await csms.api('/api/v1/id-tokens', {
        method: 'POST',
        body: { idToken: 'CARD-1', type: 'Central' },
      });
      assert.equal(otherType.status, 201, 'the same text with another type is another token');
    });

    test('bad input is 400 and changes nothing', async () => {
      for (const body of [
        { idToken: 'BAD-1', status: 'Happy' },
        { idToken: 'BAD-1', type: 'Barcode' },
        { idToken: 'BAD-1', maxConcurrentTx: 0 },
        { idToken: 'BAD-1', expiresAt: 'tomorrow' },
        { idToken: 'x'.repeat(37) },
        { idToken: '' },
        { status: 'Accepted' },
        { idToken: 'BAD-1', colour: 'red' },
      ]) {
        const response = await csms.api('/api/v1/id-tokens', { method: 'POST', body });
        assert.equal(response.status, 400, JSON.stringify(body));
        assert.equal(response.body.code, 'VALIDATION_FAILED');
      }
      assert.equal(await csms.stores.idTokens.get('BAD-1'), undefined);

      await csms.api('/api/v1/id-tokens', { method: 'POST', body: { idToken: 'KEEP-1' } });
      const invalidStatus = await csms.api('/api/v1/id-tokens/KEEP-1', {
        method: 'PATCH',
        body: { status: 'Gold' },
      });
      assert.equal(invalidStatus.status, 400);
      assert.match(invalidStatus.body.message, /status.*Accepted, Blocked/);
      assert.equal((await csms.stores.idTokens.get('KEEP-1'))?.status, 'Accepted');
      const empty = await csms.api('/api/v1/id-tokens/KEEP-1', { method: 'PATCH', body: {} });
      assert.equal(empty.status, 400);
    });

    test('GET one by text and ?type=; 404 when missing', async () => {
      await csms.api('/api/v1/id-tokens', { method: 'POST', body: { idToken: 'ONE-1', type: 'KeyCode' } });
      const found = await csms.api('/api/v1/id-tokens/ONE-1');
      assert.equal(found.status, 200);
      assert.equal(found.body.type, 'KeyCode');
      assert.equal((await csms.api('/api/v1/id-tokens/ONE-1?type=KeyCode')).status, 200);
      const wrongType = await csms.api('/api/v1/id-tokens/ONE-1?type=Central');
      assert.equal(wrongType.status, 404);
      assert.equal(wrongType.body.code, 'ID_TOKEN_NOT_FOUND');
      assert.equal((await csms.api('/api/v1/id-tokens/NOPE')).status, 404);
      assert.equal((await csms.api('/api/v1/id-tokens/ONE-1?type=Nonsense')).status, 400);
    });

    test('GET lists with search, status filter and pagination', async () => {
      for (let i = 1; i <= 4; i++) {
        await csms.api('/api/v1/id-tokens', {
          method: 'POST',
          body: { idToken: `LIST-${i}`, status: i % 2 ? 'Accepted' : 'Blocked' },
        });
      }
      const page = await csms.api('/api/v1/id-tokens?search=list-&limit=3');
      assert.equal(page.body.total, 4);
      assert.deepEqual(
        page.body.items.map((t: { idToken: string }) => t.idToken),
        ['LIST-1', 'LIST-2', 'LIST-3'],
      );
      const second = await csms.api('/api/v1/id-tokens?search=list-&limit=3&offset=3');
      assert.deepEqual(
        second.body.items.map((t: { idToken: string }) => t.idToken),
        ['LIST-4'],
      );
      const blocked = await csms.api('/api/v1/id-tokens?search=LIST&status=Blocked');
      assert.deepEqual(
        blocked.body.items.map((t: { idToken: string }) => t.idToken),
        ['LIST-2', 'LIST-4'],
      );
    });

    test('PATCH blocks a token and clears fields with null', async () => {
      await csms.api('/api/v1/id-tokens', {
        method: 'POST',
        body: {
          idToken: 'PATCH-1',
          parentIdToken: 'G',
          maxConcurrentTx: 1,
          expiresAt: '2031-01-01T00:00:00Z',
        },
      });
      const blocked = await csms.api('/api/v1/id-tokens/PATCH-1', {
        method: 'PATCH',
        body: { status: 'Blocked' },
      });
      assert.equal(blocked.status, 200);
      assert.equal(blocked.body.status, 'Blocked');
      assert.equal(blocked.body.parentIdToken, 'G', 'fields not given stay');
      const cleared = await csms.api('/api/v1/id-tokens/PATCH-1', {
        method: 'PATCH',
        body: { parentIdToken: null, maxConcurrentTx: null, expiresAt: null },
      });
      assert.equal(cleared.body.parentIdToken, null);
      assert.equal(cleared.body.maxConcurrentTx, null);
      assert.equal(cleared.body.expiresAt, null);
      assert.equal((await csms.stores.idTokens.get('PATCH-1'))?.status, 'Blocked');
      assert.equal(
        (await csms.api('/api/v1/id-tokens/NOPE', { method: 'PATCH', body: { status: 'Blocked' } })).status,
        404,
      );
    });

    test('DELETE removes a token (204), then 404', async () => {
      await csms.api('/api/v1/id-tokens', { method: 'POST', body: { idToken: 'DEL-1' } });
      assert.equal((await csms.api('/api/v1/id-tokens/DEL-1', { method: 'DELETE' })).status, 204);
      assert.equal(await csms.stores.idTokens.get('DEL-1'), undefined);
      assert.equal((await csms.api('/api/v1/id-tokens/DEL-1', { method: 'DELETE' })).status, 404);
    });
  });
}
