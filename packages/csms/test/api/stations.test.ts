/**
 * /api/v1/stations over HTTP against a real CSMS: registration, listing with live connection state,
 * the station page (connectors, configuration, device model, messages), changes, passwords, removal.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyPassword } from '../../src/security/passwords.js';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import { connectStation, waitFor } from './station-peers.js';

const PASSWORD = 'Sup3r-Secret.Pass|word';

for (const kind of databaseKinds()) {
  describe(`stations API [${kind}]`, () => {
    let csms: TestCsms;
    before(async () => {
      csms = await startTestCsms(kind);
    });
    after(async () => {
      await csms?.stop();
    });

    test('POST registers a station (201), never returning the password', async () => {
      const response = await csms.api('/api/v1/stations', {
        method: 'POST',
        body: { identity: 'REG-1', securityProfile: 1, password: PASSWORD, registrationStatus: 'Accepted' },
      });
      assert.equal(response.status, 201);
      assert.equal(response.body.identity, 'REG-1');
      assert.equal(response.body.securityProfile, 1);
      assert.equal(response.body.registrationStatus, 'Accepted');
      assert.equal(response.body.connected, false);
      assert.doesNotMatch(JSON.stringify(response.body), /password|Sup3r/i);
      const credentials = await csms.stores.stations.getCredentials('REG-1');
      assert.ok(credentials?.passwordHash && credentials.passwordSalt);
      assert.ok(
        await verifyPassword(PASSWORD, { hash: credentials.passwordHash, salt: credentials.passwordSalt }),
      );
    });

    test('a duplicate identity is 409; a bad identity or password is 400 and creates nothing', async () => {
      await csms.api('/api/v1/stations', { method: 'POST', body: { identity: 'DUP-1' } });
      const duplicate = await csms.api('/api/v1/stations', { method: 'POST', body: { identity: 'DUP-1' } });
      assert.equal(duplicate.status, 409);
      assert.equal(duplicate.body.code, 'STATION_EXISTS');
      for (const identity of ['BAD:1', 'has space', '', 'x'.repeat(49)]) {
        const response = await csms.api('/api/v1/stations', { method: 'POST', body: { identity } });
        assert.equal(response.status, 400, identity);
        assert.equal(response.body.code, 'VALIDATION_FAILED');
        assert.match(response.body.message, /identity/);
      }
      const badPassword = await csms.api('/api/v1/stations', {
        method: 'POST',
        body: { identity: 'BADPW-1', password: 'short' },
      });
      assert.equal(badPassword.status, 400);
      assert.equal(badPassword.body.code, 'INVALID_PASSWORD');
      const extra = await csms.api('/api/v1/stations', {
        method: 'POST',
        body: { identity: 'EXTRA-1', color: 'red' },
      });
      assert.equal(extra.status, 400);
      assert.match(extra.body.message, /color/);
      for (const identity of ['BADPW-1', 'EXTRA-1']) {
        assert.equal(await csms.stores.stations.get(identity), undefined, `${identity} not created`);
      }
    });

    test('GET lists stations with pagination, search and the live connected flag', async () => {
      for (let i = 1; i <= 5; i++) {
        await csms.api('/api/v1/stations', { method: 'POST', body: { identity: `PAGE-${i}` } });
      }
      const first = await csms.api('/api/v1/stations?search=page-&limit=2&offset=0');
      assert.equal(first.status, 200);
      assert.equal(first.body.total, 5);
      assert.equal(first.body.limit, 2);
      assert.deepEqual(
        first.body.items.map((s: { identity: string }) => s.identity),
        ['PAGE-1', 'PAGE-2'],
      );
      const last = await csms.api('/api/v1/stations?search=PAGE-&limit=2&offset=4');
      assert.deepEqual(
        last.body.items.map((s: { identity: string }) => s.identity),
        ['PAGE-5'],
      );

      const station = await connectStation(csms, 'PAGE-3', 'ocpp2.0.1');
      const connected = await csms.api('/api/v1/stations?connected=true');
      const identities = connected.body.items.map((s: { identity: string }) => s.identity);
      assert.ok(identities.includes('PAGE-3'));
      const live = connected.body.items.find((s: { identity: string }) => s.identity === 'PAGE-3');
      assert.equal(live.connected, true);
      assert.equal(live.protocol, 'ocpp2.0.1');
      await station.close();
      const after = await csms.api('/api/v1/stations/PAGE-3');
      assert.equal(after.body.connected, false);
      assert.equal(after.body.protocol, 'ocpp2.0.1', 'the last protocol is remembered');

      for (const query of ['limit=0', 'limit=501', 'offset=-1', 'connected=maybe', 'colour=red']) {
        const bad = await csms.api(`/api/v1/stations?${query}`);
        assert.equal(bad.status, 400, query);
        assert.equal(bad.body.code, 'VALIDATION_FAILED');
      }
    });

    test('GET /stations/{id} shows connectors, configuration or variables, transactions and messages', async () => {
      const station = await connectStation(csms, 'DETAIL-16', 'ocpp1.6', {
        GetConfiguration: () => ({
          configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }],
        }),
      });
      await csms.stores.connectorStatus.record({
        stationIdentity: 'DETAIL-16',
        connectorId: 1,
        status: 'Charging',
        errorCode: 'NoError',
        timestamp: new Date().toISOString(),
      });
      await csms.stores.transactions.startTransaction16('DETAIL-16', {
        connectorId: 1,
        idTag: 'TAG-D',
        meterStart: 100,
        timestamp: new Date().toISOString(),
      });
      await csms.api('/api/v1/stations/DETAIL-16/get-configuration', { method: 'POST', body: {} });
      await waitFor(async () => (await csms.stores.messageLog.listRecent('DETAIL-16')).length >= 2);

      const detail = await csms.api('/api/v1/stations/DETAIL-16?messages=5');
      await station.close();
      assert.equal(detail.status, 200);
      assert.equal(detail.body.connected, true);
      assert.equal(detail.body.protocol, 'ocpp1.6');
      assert.deepEqual(
        detail.body.connectors.map((c: { connectorId: number; status: string }) => [c.connectorId, c.status]),
        [[1, 'Charging']],
      );
      assert.deepEqual(
        detail.body.configuration.map((c: { key: string; value: string }) => [c.key, c.value]),
        [['HeartbeatInterval', '300']],
      );
      assert.deepEqual(detail.body.variables, []);
      assert.equal(detail.body.activeTransactions.length, 1);
      assert.equal(detail.body.activeTransactions[0].idToken, 'TAG-D');
      const actions = detail.body.recentMessages.map((m: { action: string }) => m.action);
      assert.ok(actions.includes('GetConfiguration'));
      assert.ok(detail.body.recentMessages.length <= 5);

      const none = await csms.api('/api/v1/stations/DETAIL-16?messages=0');
      assert.deepEqual(none.body.recentMessages, []);
      const missing = await csms.api('/api/v1/stations/NOPE-1');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.code, 'STATION_NOT_FOUND');
    });

    test('GET /stations/{id}/messages filters by action and pages with beforeId', async () => {
      const station = await connectStation(csms, 'MSG-1', 'ocpp1.6', {
        ClearCache: () => ({ status: 'Accepted' }),
        Reset: () => ({ status: 'Accepted' }),
      });
      await csms.api('/api/v1/stations/MSG-1/clear-cache', { method: 'POST' });
      await csms.api('/api/v1/stations/MSG-1/reset', { method: 'POST', body: { type: 'hard' } });
      await csms.api('/api/v1/stations/MSG-1/clear-cache', { method: 'POST' });
      await station.close();
      await waitFor(async () => (await csms.stores.messageLog.listRecent('MSG-1')).length >= 6);

      const all = await csms.api('/api/v1/stations/MSG-1/messages');
      assert.equal(all.body.items.length, 6);
      assert.equal(
        all.body.policy,
        'no-periodic',
        'the default policy, for the reader to know what is left out',
      );
      const ids = all.body.items.map((m: { id: number }) => m.id);
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => b - a),
        'newest first',
      );
      const clearCache = await csms.api('/api/v1/stations/MSG-1/messages?action=ClearCache');
      assert.equal(clearCache.body.items.length, 4, 'two CALLs and their results');
      const firstPage = await csms.api('/api/v1/stations/MSG-1/messages?limit=2');
      const nextPage = await csms.api(
        `/api/v1/stations/MSG-1/messages?limit=2&beforeId=${firstPage.body.items[1].id}`,
      );
      assert.deepEqual(
        nextPage.body.items.map((m: { id: number }) => m.id),
        ids.slice(2, 4),
      );
      const call = all.body.items.find(
        (m: { messageType: string; action: string }) => m.messageType === 'CALL' && m.action === 'Reset',
      );
      assert.deepEqual(call.payload, { type: 'Hard' });
      assert.equal(call.direction, 'out');
      assert.equal((await csms.api('/api/v1/stations/NOPE-2/messages')).status, 404);
    });

    test('PATCH changes registration status and security profile; bad values are 400', async () => {
      await csms.api('/api/v1/stations', { method: 'POST', body: { identity: 'PATCH-1' } });
      const patched = await csms.api('/api/v1/stations/PATCH-1', {
        method: 'PATCH',
        body: { registrationStatus: 'Rejected', securityProfile: 2 },
      });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.registrationStatus, 'Rejected');
      assert.equal(patched.body.securityProfile, 2);
      for (const body of [{ registrationStatus: 'Maybe' }, { securityProfile: 4 }, {}, { identity: 'X' }]) {
        const bad = await csms.api('/api/v1/stations/PATCH-1', { method: 'PATCH', body });
        assert.equal(bad.status, 400, JSON.stringify(body));
      }
      const unchanged = await csms.stores.stations.get('PATCH-1');
      assert.equal(unchanged?.registration_status, 'Rejected');
      assert.equal(unchanged?.security_profile, 2);
      const missing = await csms.api('/api/v1/stations/NOPE-3', {
        method: 'PATCH',
        body: { securityProfile: 1 },
      });
      assert.equal(missing.status, 404);
    });

    test('PUT /password stores a hash (204); a malformed password is 400 and changes nothing', async () => {
      await csms.api('/api/v1/stations', { method: 'POST', body: { identity: 'PW-1' } });
      const set = await csms.api('/api/v1/stations/PW-1/password', {
        method: 'PUT',
        body: { password: PASSWORD },
      });
      assert.equal(set.status, 204);
      const credentials = await csms.stores.stations.getCredentials('PW-1');
      assert.ok(credentials?.passwordHash && credentials.passwordSalt);
      assert.notEqual(credentials.passwordHash, PASSWORD);
      assert.ok(
        await verifyPassword(PASSWORD, { hash: credentials.passwordHash, salt: credentials.passwordSalt }),
      );

      for (const password of ['too-short', 'x'.repeat(41), 'has spaces in it!!!!', 'ümlaut-ümlaut-ümlaut']) {
        const bad = await csms.api('/api/v1/stations/PW-1/password', { method: 'PUT', body: { password } });
        assert.equal(bad.status, 400, password);
        assert.equal(bad.body.code, 'INVALID_PASSWORD');
      }
      assert.equal(
        (await csms.stores.stations.getCredentials('PW-1'))?.passwordHash,
        credentials.passwordHash,
      );
      const missing = await csms.api('/api/v1/stations/NOPE-4/password', {
        method: 'PUT',
        body: { password: PASSWORD },
      });
      assert.equal(missing.status, 404);
      const station = await csms.api('/api/v1/stations/PW-1');
      assert.doesNotMatch(JSON.stringify(station.body), /password|hash|salt/i);
    });

    test('DELETE removes a station (204), not while it is connected (409), then 404', async () => {
      const station = await connectStation(csms, 'DEL-1', 'ocpp1.6');
      const refused = await csms.api('/api/v1/stations/DEL-1', { method: 'DELETE' });
      assert.equal(refused.status, 409);
      assert.equal(refused.body.code, 'STATION_CONNECTED');
      await station.close();
      const removed = await csms.api('/api/v1/stations/DEL-1', { method: 'DELETE' });
      assert.equal(removed.status, 204);
      assert.equal(await csms.stores.stations.get('DEL-1'), undefined);
      assert.equal((await csms.api('/api/v1/stations/DEL-1', { method: 'DELETE' })).status, 404);
    });
  });
}
