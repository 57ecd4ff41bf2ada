/**
 * PUT /api/v1/stations/{id}/password with the station connected: the password is sent (1.6
 * ChangeConfiguration AuthorizationKey, 2.0.1 SetVariables SecurityCtrlr.BasicAuthPassword), the
 * previous one stays valid until the station answered Accepted (A01.FR.03) and becomes the only one
 * again when it refused (A01.FR.04). Real stations reconnect with the passwords afterwards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect, HandshakeError } from 'ocppkit';
import * as v16 from 'ocppkit/v16';
import * as v201 from 'ocppkit/v201';
import { hashPassword } from '../../src/security/passwords.js';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import { waitFor } from './station-peers.js';

// 1.6 AuthorizationKey: 16 to 20 bytes as hex (security whitepaper §7.2).
const OLD_KEY = '00112233445566778899aabbccddeeff';
const NEW_KEY = 'ffeeddccbbaa99887766554433221100a1b2c3d4';
// 2.0.1 BasicAuthPassword: 16 to 40 characters of passwordString.
const OLD_PASSWORD = 'Old-Password.2025';
const NEW_PASSWORD = 'New-Password.2026|x';

for (const kind of databaseKinds()) {
  describe(`station password pushed to the station [${kind}]`, () => {
    let csms: TestCsms;
    const open: Array<{ close(): Promise<void> }> = [];
    before(async () => {
      csms = await startTestCsms(kind);
    });
    after(async () => {
      await Promise.all(open.map((station) => station.close()));
      await csms?.stop();
    });

    async function register(identity: string, password: string | undefined): Promise<void> {
      await csms.stores.stations.create({
        identity,
        securityProfile: password ? 1 : 0,
        registrationStatus: 'Accepted',
        ...(password && { password: await hashPassword(password) }),
      });
    }

    async function connect16(identity: string, password?: string): Promise<v16.ChargePoint> {
      const transport = await connect({
        url: csms.ocppUrl,
        identity,
        protocols: ['ocpp1.6'],
        reconnect: false,
        ...(password && { password }),
      });
      const station = new v16.ChargePoint(transport, { callTimeoutMs: 5000 });
      open.push(station);
      await waitFor(() => csms.gateway.isConnected(identity));
      return station;
    }

    async function connect201(identity: string, password: string): Promise<v201.ChargePoint> {
      const transport = await connect({
        url: csms.ocppUrl,
        identity,
        protocols: ['ocpp2.0.1'],
        reconnect: false,
        password,
      });
      const station = new v201.ChargePoint(transport, { callTimeoutMs: 5000 });
      open.push(station);
      await waitFor(() => csms.gateway.isConnected(identity));
      return station;
    }

    /** The station closes its socket, as A01 step 3 has it, and the CSMS has seen it go. */
    async function hangUp(identity: string, station: { close(): Promise<void> }): Promise<void> {
      await station.close();
      await waitFor(() => !csms.gateway.isConnected(identity));
    }

    async function refused(identity: string, protocol: 'ocpp1.6' | 'ocpp2.0.1', password?: string) {
      await assert.rejects(
        connect({
          url: csms.ocppUrl,
          identity,
          protocols: [protocol],
          reconnect: false,
          ...(password && { password }),
        }),
        (error: unknown) => error instanceof HandshakeError && error.status === 401,
      );
    }

    const putPassword = (identity: string, password: string) =>
      csms.api(`/api/v1/stations/${identity}/password`, { method: 'PUT', body: { password } });

    test('1.6 Accepted: the station gets the AuthorizationKey and only the new key opens the door', async () => {
      await register('PW16-ACCEPT', OLD_KEY);
      const station = await connect16('PW16-ACCEPT', OLD_KEY);
      const received: v16.ChangeConfigurationRequest[] = [];
      station.handle('ChangeConfiguration', (request) => {
        received.push(request);
        return { status: 'Accepted' };
      });
      const answer = await putPassword('PW16-ACCEPT', NEW_KEY);
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, { status: 'Accepted', valid: 'new' });
      assert.deepEqual(received, [{ key: 'AuthorizationKey', value: NEW_KEY }]);

      await hangUp('PW16-ACCEPT', station);
      await refused('PW16-ACCEPT', 'ocpp1.6', OLD_KEY);
      await connect16('PW16-ACCEPT', NEW_KEY);
    });

    test('the password never reaches the message log (A01.FR.09)', async () => {
      const logged = await waitForLogged('PW16-ACCEPT', 'ChangeConfiguration');
      assert.deepEqual(logged, { key: 'AuthorizationKey', value: '[redacted]' });
    });

    test('1.6 Rejected: the previous key stays the only one (A01.FR.04)', async () => {
      await register('PW16-REJECT', OLD_KEY);
      const station = await connect16('PW16-REJECT', OLD_KEY);
      station.handle('ChangeConfiguration', () => ({ status: 'Rejected' }));
      const answer = await putPassword('PW16-REJECT', NEW_KEY);
      assert.deepEqual(answer.body, { status: 'Rejected', valid: 'previous' });
      await hangUp('PW16-REJECT', station);
      await refused('PW16-REJECT', 'ocpp1.6', NEW_KEY);
      await connect16('PW16-REJECT', OLD_KEY);
    });

    test('1.6 RebootRequired keeps both keys valid; a first key refused leaves the station without one', async () => {
      await register('PW16-REBOOT', OLD_KEY);
      const rebooting = await connect16('PW16-REBOOT', OLD_KEY);
      rebooting.handle('ChangeConfiguration', () => ({ status: 'RebootRequired' }));
      assert.deepEqual((await putPassword('PW16-REBOOT', NEW_KEY)).body, {
        status: 'RebootRequired',
        valid: 'both',
      });
      await hangUp('PW16-REBOOT', rebooting);
      await hangUp('PW16-REBOOT', await connect16('PW16-REBOOT', OLD_KEY));
      await connect16('PW16-REBOOT', NEW_KEY);

      await register('PW16-FIRST', undefined);
      const first = await connect16('PW16-FIRST');
      first.handle('ChangeConfiguration', () => ({ status: 'NotSupported' }));
      assert.deepEqual((await putPassword('PW16-FIRST', NEW_KEY)).body, {
        status: 'NotSupported',
        valid: 'previous',
      });
      await hangUp('PW16-FIRST', first);
      await connect16('PW16-FIRST');
    });

    test('1.6 needs the AuthorizationKey format: hex of 16 to 20 bytes; nothing is sent otherwise', async () => {
      await register('PW16-FORMAT', OLD_KEY);
      const station = await connect16('PW16-FORMAT', OLD_KEY);
      let sent = 0;
      station.handle('ChangeConfiguration', () => {
        sent += 1;
        return { status: 'Accepted' };
      });
      for (const password of [NEW_PASSWORD, 'abcdef0123456789abcdef012345678', `${NEW_KEY}00`]) {
        const answer = await putPassword('PW16-FORMAT', password);
        assert.equal(answer.status, 400, password);
        assert.equal(answer.body.code, 'INVALID_PASSWORD');
      }
      assert.equal(sent, 0);
    });

    test('2.0.1 Accepted: SetVariables BasicAuthPassword, then the new password opens the door', async () => {
      await register('PW201-ACCEPT', OLD_PASSWORD);
      const station = await connect201('PW201-ACCEPT', OLD_PASSWORD);
      const received: v201.SetVariablesRequest[] = [];
      station.handle('SetVariables', (request) => {
        received.push(request);
        return {
          setVariableResult: request.setVariableData.map((data) => ({
            attributeStatus: 'Accepted' as const,
            component: data.component,
            variable: data.variable,
          })),
        };
      });
      const answer = await putPassword('PW201-ACCEPT', NEW_PASSWORD);
      assert.deepEqual(answer.body, { status: 'Accepted', valid: 'new' });
      assert.deepEqual(received[0]?.setVariableData, [
        {
          component: { name: 'SecurityCtrlr' },
          variable: { name: 'BasicAuthPassword' },
          attributeValue: NEW_PASSWORD,
        },
      ]);
      const logged = (await waitForLogged('PW201-ACCEPT', 'SetVariables')) as v201.SetVariablesRequest;
      assert.equal(logged.setVariableData[0]?.attributeValue, '[redacted]');

      await hangUp('PW201-ACCEPT', station);
      await refused('PW201-ACCEPT', 'ocpp2.0.1', OLD_PASSWORD);
      await connect201('PW201-ACCEPT', NEW_PASSWORD);
    });

    test('2.0.1 any answer but Accepted keeps the previous password the only one (A01.FR.04)', async () => {
      await register('PW201-REJECT', OLD_PASSWORD);
      const station = await connect201('PW201-REJECT', OLD_PASSWORD);
      station.handle('SetVariables', (request) => ({
        setVariableResult: request.setVariableData.map((data) => ({
          attributeStatus: 'UnknownVariable' as const,
          component: data.component,
          variable: data.variable,
        })),
      }));
      const answer = await putPassword('PW201-REJECT', NEW_PASSWORD);
      assert.deepEqual(answer.body, { status: 'UnknownVariable', valid: 'previous' });
      await hangUp('PW201-REJECT', station);
      await refused('PW201-REJECT', 'ocpp2.0.1', NEW_PASSWORD);
      await connect201('PW201-REJECT', OLD_PASSWORD);
    });

    test('a station that is not connected gets the password stored only (204), the previous one kept', async () => {
      await register('PW-OFFLINE', OLD_PASSWORD);
      assert.equal((await putPassword('PW-OFFLINE', NEW_PASSWORD)).status, 204);
      await hangUp('PW-OFFLINE', await connect201('PW-OFFLINE', OLD_PASSWORD));
      await connect201('PW-OFFLINE', NEW_PASSWORD);
    });

    test('a password sent as a plain command is refused (400) and never reaches the station', async () => {
      await register('PW16-BYPASS', OLD_KEY);
      const station16 = await connect16('PW16-BYPASS', OLD_KEY);
      const sent16: v16.ChangeConfigurationRequest[] = [];
      station16.handle('ChangeConfiguration', (request) => {
        sent16.push(request);
        return { status: 'Accepted' };
      });
      const attempts16 = [
        ['call/ChangeConfiguration', { key: 'AuthorizationKey', value: NEW_KEY }],
        // Configuration keys are case-insensitive (1.6 §9, CiString50).
        ['change-configuration', { key: 'authorizationkey', value: NEW_KEY }],
      ] as const;
      for (const [path, body] of attempts16) {
        const answer = await csms.api(`/api/v1/stations/PW16-BYPASS/${path}`, { method: 'POST', body });
        assert.equal(answer.status, 400, path);
        assert.equal(answer.body.code, 'PASSWORD_BY_COMMAND', path);
        assert.match(answer.body.message, /PUT \/api\/v1\/stations\/PW16-BYPASS\/password/);
      }
      // Other keys still go through.
      const other = await csms.api('/api/v1/stations/PW16-BYPASS/change-configuration', {
        method: 'POST',
        body: { key: 'HeartbeatInterval', value: '120' },
      });
      assert.equal(other.status, 200, JSON.stringify(other.body));
      assert.deepEqual(sent16, [{ key: 'HeartbeatInterval', value: '120' }]);
      const stored = await csms.stores.configuration.list('PW16-BYPASS');
      assert.ok(
        !stored.some((row) => row.key.toLowerCase() === 'authorizationkey'),
        'no key stored in clear',
      );
      await hangUp('PW16-BYPASS', station16);
      await connect16('PW16-BYPASS', OLD_KEY);

      await register('PW201-BYPASS', OLD_PASSWORD);
      const station201 = await connect201('PW201-BYPASS', OLD_PASSWORD);
      let sent201 = 0;
      station201.handle('SetVariables', (request) => {
        sent201 += 1;
        return {
          setVariableResult: request.setVariableData.map((data) => ({
            attributeStatus: 'Accepted' as const,
            component: data.component,
            variable: data.variable,
          })),
        };
      });
      const password = {
        component: { name: 'SecurityCtrlr' },
        variable: { name: 'BasicAuthPassword' },
        value: NEW_PASSWORD,
      };
      const answer = await csms.api('/api/v1/stations/PW201-BYPASS/set-variables', {
        method: 'POST',
        body: {
          variables: [
            { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, value: '60' },
            password,
          ],
        },
      });
      assert.equal(answer.status, 400);
      assert.equal(answer.body.code, 'PASSWORD_BY_COMMAND');
      const generic = await csms.api('/api/v1/stations/PW201-BYPASS/call/SetVariables', {
        method: 'POST',
        body: {
          setVariableData: [
            { component: password.component, variable: password.variable, attributeValue: NEW_PASSWORD },
          ],
        },
      });
      assert.equal(generic.body.code, 'PASSWORD_BY_COMMAND');
      assert.equal(sent201, 0);
      await hangUp('PW201-BYPASS', station201);
      await connect201('PW201-BYPASS', OLD_PASSWORD);
    });

    /** The payload of the newest CALL of `action` the CSMS sent, once the message log has it. */
    async function waitForLogged(identity: string, action: string): Promise<unknown> {
      let payload: unknown;
      await waitFor(async () => {
        const rows = await csms.stores.messageLog.listRecent(identity, { action, limit: 5 });
        payload = rows.find((row) => row.direction === 'out' && row.message_type === 'CALL')?.payload;
        return payload !== undefined;
      });
      return payload;
    }
  });
}
