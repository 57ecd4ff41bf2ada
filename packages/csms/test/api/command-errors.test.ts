/**
 * The generic call endpoint and how commands fail: bad action or payload (400, nothing sent),
 * unknown station (404), not connected (409), CALLERROR (502), no answer in time (504).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CallErrorReply } from 'ocppkit';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import { refused } from './command-round-trip.js';
import { connectStation, type TestStation } from './station-peers.js';

const never = () => new Promise<object>(() => {});

for (const kind of databaseKinds()) {
  describe(`generic call and command failures [${kind}]`, () => {
    let csms: TestCsms;
    let v16Station: TestStation;
    let v201Station: TestStation;
    before(async () => {
      csms = await startTestCsms(kind);
      v16Station = await connectStation(csms, 'ERR16-1', 'ocpp1.6', {
        GetConfiguration: () => ({ configurationKey: [{ key: 'A', readonly: true, value: '1' }] }),
        GetLocalListVersion: () => ({ listVersion: 5 }),
        ClearCache: () => ({ status: 'Accepted' }),
        ChangeAvailability: never,
        Reset: () => {
          throw new CallErrorReply('NotSupported', 'no resets here');
        },
        ReserveNow: () => {
          throw new CallErrorReply('InternalError', 'reservation store broken');
        },
      });
      v201Station = await connectStation(csms, 'ERR201-1', 'ocpp2.0.1', {
        GetVariables: () => ({
          getVariableResult: [
            {
              attributeStatus: 'Accepted',
              attributeValue: '30',
              component: { name: 'C' },
              variable: { name: 'V' },
            },
          ],
        }),
        GetLocalListVersion: () => ({ versionNumber: 2 }),
        GetTransactionStatus: () => ({ messagesInQueue: false }),
      });
    });
    after(async () => {
      await v16Station?.close();
      await v201Station?.close();
      await csms?.stop();
    });

    const call = (station: string, action: string, body?: unknown, query = '') =>
      csms.api(`/api/v1/stations/${station}/call/${action}${query}`, { method: 'POST', body });

    test('the generic call sends any CSMS action of the station version and returns the answer', async () => {
      const config = await call('ERR16-1', 'GetConfiguration', { key: ['A'] });
      assert.equal(config.status, 200);
      assert.deepEqual(config.body, {
        station: 'ERR16-1',
        protocol: 'ocpp1.6',
        action: 'GetConfiguration',
        request: { key: ['A'] },
        response: { configurationKey: [{ key: 'A', readonly: true, value: '1' }] },
      });
      assert.deepEqual((await call('ERR16-1', 'GetLocalListVersion', {})).body.response, { listVersion: 5 });
      assert.equal((await call('ERR16-1', 'ClearCache')).status, 200, 'a body-less call sends {}');
      assert.deepEqual(v16Station.received.at(-1), { action: 'ClearCache', payload: {} });

      const variables = await call('ERR201-1', 'GetVariables', {
        getVariableData: [{ component: { name: 'C' }, variable: { name: 'V' } }],
      });
      assert.equal(variables.status, 200);
      assert.equal(variables.body.protocol, 'ocpp2.0.1');
      assert.deepEqual((await call('ERR201-1', 'GetLocalListVersion', {})).body.response, {
        versionNumber: 2,
      });
      const status = await call('ERR201-1', 'GetTransactionStatus', { transactionId: 'tx-1' });
      assert.deepEqual(status.body.response, { messagesInQueue: false });
      assert.deepEqual(v201Station.received.at(-1), {
        action: 'GetTransactionStatus',
        payload: { transactionId: 'tx-1' },
      });
    });

    test('an action the CSMS does not send in that version is 400 UNKNOWN_ACTION, nothing sent', async () => {
      for (const action of [
        'BootNotification',
        'StartTransaction',
        'RequestStartTransaction',
        'NoSuchAction',
      ]) {
        await refused(csms, v16Station, `call/${action}`, {}, 400, 'UNKNOWN_ACTION');
      }
      for (const action of ['RemoteStartTransaction', 'TransactionEvent', 'GetConfiguration']) {
        await refused(csms, v201Station, `call/${action}`, {}, 400, 'UNKNOWN_ACTION');
      }
      await refused(csms, v16Station, 'call/Get-Configuration', {}, 400, 'VALIDATION_FAILED');
    });

    test('a payload that fails the OCPP schema is 400 with the reason, and nothing is sent', async () => {
      const wrongType = await refused(
        csms,
        v16Station,
        'call/GetConfiguration',
        { key: 'A' },
        400,
        'INVALID_OCPP_REQUEST',
      );
      assert.match(wrongType.message, /\/key/);
      const missing = await refused(
        csms,
        v16Station,
        'call/RemoteStartTransaction',
        {},
        400,
        'INVALID_OCPP_REQUEST',
      );
      assert.match(missing.message, /idTag/);
      const extra = await refused(
        csms,
        v201Station,
        'call/ClearCache',
        { please: true },
        400,
        'INVALID_OCPP_REQUEST',
      );
      assert.match(extra.message, /please/);
      await refused(csms, v16Station, 'call/GetConfiguration', [1, 2], 400, 'VALIDATION_FAILED');
      const badJson = await fetch(`${csms.apiUrl}/api/v1/stations/ERR16-1/call/ClearCache`, {
        method: 'POST',
        headers: { authorization: `Bearer ${csms.apiToken}`, 'content-type': 'application/json' },
        body: '{"oops":',
      });
      assert.equal(badJson.status, 400);
      assert.equal(((await badJson.json()) as { code: string }).code, 'BAD_REQUEST');
    });

    test('an unknown station is 404, a registered one that is not connected 409', async () => {
      const commands = [
        ['call/ClearCache', {}],
        ['clear-cache', {}],
        ['reset', { type: 'soft' }],
      ] as const;
      for (const [path, body] of commands) {
        const unknown = await csms.api(`/api/v1/stations/NOBODY/${path}`, { method: 'POST', body });
        assert.equal(unknown.status, 404, path);
        assert.equal(unknown.body.code, 'STATION_NOT_FOUND');
      }
      await csms.api('/api/v1/stations', { method: 'POST', body: { identity: 'OFFLINE-1' } });
      for (const [path, body] of commands) {
        const offline = await csms.api(`/api/v1/stations/OFFLINE-1/${path}`, { method: 'POST', body });
        assert.equal(offline.status, 409, path);
        assert.equal(offline.body.code, 'STATION_NOT_CONNECTED');
      }
    });

    test('a station that does not answer in time is 504; the next command goes through', async () => {
      const started = Date.now();
      const timeout = await call(
        'ERR16-1',
        'ChangeAvailability',
        { connectorId: 0, type: 'Operative' },
        '?timeoutMs=200',
      );
      assert.equal(timeout.status, 504);
      assert.equal(timeout.body.code, 'STATION_TIMEOUT');
      assert.ok(Date.now() - started < 5000);
      const friendly = await csms.api('/api/v1/stations/ERR16-1/change-availability?timeoutMs=150', {
        method: 'POST',
        body: { status: 'Inoperative' },
      });
      assert.equal(friendly.status, 504);
      assert.equal((await call('ERR16-1', 'GetLocalListVersion', {})).status, 200);
      for (const query of ['?timeoutMs=0', '?timeoutMs=abc', '?timeoutMs=999999', '?wait=1']) {
        assert.equal((await call('ERR16-1', 'ClearCache', {}, query)).status, 400, query);
      }
    });

    test('a CALLERROR answer is 502 with its code and description', async () => {
      const generic = await call('ERR16-1', 'Reset', { type: 'Soft' });
      assert.equal(generic.status, 502);
      assert.equal(generic.body.code, 'STATION_CALL_ERROR');
      assert.equal(generic.body.details.errorCode, 'NotSupported');
      assert.equal(generic.body.details.description, 'no resets here');
      const friendly = await csms.api('/api/v1/stations/ERR16-1/reset', {
        method: 'POST',
        body: { type: 'hard' },
      });
      assert.equal(friendly.status, 502);
      assert.equal(friendly.body.details.errorCode, 'NotSupported');
      const metrics = await (await fetch(`${csms.apiUrl}/metrics`)).text();
      assert.match(metrics, /csms_ocpp_callerrors_total\{direction="in",code="NotSupported"\} 2/);
    });

    test('a reservation the station answers with a CALLERROR is recorded as Rejected', async () => {
      const reply = await csms.api('/api/v1/stations/ERR16-1/reserve', {
        method: 'POST',
        body: { idToken: 'TAG-X', expiresAt: '2030-01-01T00:00:00Z' },
      });
      assert.equal(reply.status, 502);
      const reservations = await csms.stores.reservations.list({ stationIdentity: 'ERR16-1' });
      assert.equal(reservations.total, 1);
      assert.equal(reservations.items[0]?.status, 'Rejected');
    });

    test('an answer the database cannot store (NUL, lone surrogate) is 502 naming the field; nothing is stored', async () => {
      const v16Nul = await connectStation(csms, 'ERR16-NUL', 'ocpp1.6', {
        GetConfiguration: () => ({
          configurationKey: [
            { key: 'Fine', readonly: true, value: 'ok' },
            { key: 'Broken', readonly: true, value: 'a\u0000b' },
          ],
        }),
      });
      const v201Surrogate = await connectStation(csms, 'ERR201-SUR', 'ocpp2.0.1', {
        GetVariables: () => ({
          getVariableResult: [
            {
              attributeStatus: 'Accepted',
              attributeValue: 'x\ud800',
              component: { name: 'C' },
              variable: { name: 'V' },
            },
          ],
        }),
      });
      try {
        const config = await csms.api('/api/v1/stations/ERR16-NUL/get-configuration', {
          method: 'POST',
          body: {},
        });
        assert.equal(config.status, 502);
        assert.equal(config.body.code, 'STATION_CALL_ERROR');
        assert.match(
          config.body.message,
          /GetConfiguration result: configurationKey\[1\]\.value .*cannot store/,
        );
        assert.deepEqual(config.body.details, { path: 'configurationKey[1].value' });
        assert.deepEqual(await csms.stores.configuration.list('ERR16-NUL'), [], 'not even the good key');
        const variables = await csms.api('/api/v1/stations/ERR201-SUR/get-variables', {
          method: 'POST',
          body: { variables: [{ component: { name: 'C' }, variable: { name: 'V' } }] },
        });
        assert.equal(variables.status, 502);
        assert.deepEqual(variables.body.details, { path: 'getVariableResult[0].attributeValue' });
        const stored = await csms.stores.deviceModel.list('ERR201-SUR');
        assert.equal(stored.length, 0);
        // The generic call stores nothing, so it answers what the station said, as it is.
        const generic = await call('ERR16-NUL', 'GetConfiguration', {});
        assert.equal(generic.status, 200);
        assert.equal(generic.body.response.configurationKey[1].value, 'a\u0000b');
        // The stations are still served.
        assert.equal(
          (await csms.api('/api/v1/stations/ERR16-1/get-configuration', { method: 'POST', body: {} })).status,
          200,
        );
      } finally {
        await v16Nul.close();
        await v201Surrogate.close();
      }
    });
  });
}
