/**
 * OCTT CSMS test cases of Part 6 §3.2 "A Security" that run over plain ws (security profile 1):
 * HTTP Basic Authentication at the WebSocket upgrade (A00) and the password update (A01). Stations
 * are registered with their password through the API, as an operator would.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { connect, HandshakeError } from 'ocppkit';
import * as v201 from 'ocppkit/v201';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import { answer } from './conformance-support.js';
import { BOOT, notifyConnector } from './stations.js';

const PASSWORD = 'Configured-Pass.2025';
const NEW_PASSWORD = 'New-Configured|Pass:2026';

/**
 * A WebSocket upgrade with a hand-made Authorization header (the library client always sends the
 * identity as user name); resolves with the HTTP status the CSMS answered.
 */
function upgradeStatus(ocppUrl: string, identity: string, authorization: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${ocppUrl.replace('ws:', 'http:')}/${identity}`, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        'sec-websocket-protocol': 'ocpp2.0.1',
        authorization,
      },
    });
    req.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve(response.statusCode ?? 0);
    });
    req.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

for (const kind of databaseKinds()) {
  describe(`OCTT A Security, Basic Authentication [${kind}]`, () => {
    let csms: TestCsms;
    const open: v201.ChargePoint[] = [];
    before(async () => {
      csms = await startTestCsms(kind);
    });
    after(async () => {
      await Promise.all(open.map((station) => station.close()));
      await csms.stop();
    });

    /** The operator registers the station for security profile 1 with its password. */
    async function register(identity: string): Promise<void> {
      const created = await csms.api('/api/v1/stations', {
        method: 'POST',
        body: { identity, securityProfile: 1, password: PASSWORD, registrationStatus: 'Accepted' },
      });
      assert.equal(created.status, 201);
    }

    async function connectWith(identity: string, password: string): Promise<v201.ChargePoint> {
      const transport = await connect({
        url: csms.ocppUrl,
        identity,
        protocols: ['ocpp2.0.1'],
        reconnect: false,
        password,
      });
      const station = new v201.ChargePoint(transport, { callTimeoutMs: 5000 });
      open.push(station);
      return station;
    }

    /** Reusable State Booted (Table 698) with the tool validation of its step 2. */
    async function boot(station: v201.ChargePoint): Promise<void> {
      assert.equal((await station.call('BootNotification', BOOT)).status, 'Accepted');
      await notifyConnector(station, 'Available');
    }

    async function refused(identity: string, password: string): Promise<void> {
      await assert.rejects(
        connectWith(identity, password),
        (error: unknown) => error instanceof HandshakeError && error.status === 401,
      );
    }

    /** Step 3 of A01: the station closes its connection, and the CSMS has seen it go. */
    async function hangUp(identity: string, station: v201.ChargePoint): Promise<void> {
      await station.close();
      for (let i = 0; i < 100 && csms.gateway.isConnected(identity); i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }

    test('TC_A_01_CSMS: Basic Authentication - Valid username/password combination', async () => {
      await register('A01-STATION');
      const station = await connectWith('A01-STATION', PASSWORD);
      await boot(station);
      assert.equal((await csms.stores.connectorStatus.listCurrent('A01-STATION'))[0]?.status, 'Available');
    });

    test('TC_A_02_CSMS: Basic Authentication - Username does not equal ChargingStationId', async () => {
      await register('A02-STATION');
      // The same request with the right user name upgrades, so the user name alone is refused.
      assert.equal(await upgradeStatus(csms.ocppUrl, 'A02-STATION', basic('A02-STATION', PASSWORD)), 101);
      const status = await upgradeStatus(csms.ocppUrl, 'A02-STATION', basic('A02-STATIONInvalid', PASSWORD));
      assert.equal(status, 401);
    });

    test('TC_A_03_CSMS: Basic Authentication - Invalid password', async () => {
      await register('A03-STATION');
      // A random identifierString of 16 to 40 characters with high entropy.
      await refused('A03-STATION', randomBytes(24).toString('base64url'));
      assert.equal(csms.gateway.isConnected('A03-STATION'), false);
    });

    test('TC_A_09_CSMS: Update Charging Station Password for HTTP Basic Authentication - Accepted', async () => {
      await register('A09-STATION');
      const station = await connectWith('A09-STATION', PASSWORD);
      await boot(station);
      const received = answer(station, 'SetVariables', (request) => ({
        setVariableResult: request.setVariableData.map(({ component, variable }) => ({
          attributeStatus: 'Accepted',
          component,
          variable,
        })),
      }));
      const put = await csms.api('/api/v1/stations/A09-STATION/password', {
        method: 'PUT',
        body: { password: NEW_PASSWORD },
      });
      assert.deepEqual(put.body, { status: 'Accepted', valid: 'new' });
      // Step 1: one setVariableData, SecurityCtrlr.BasicAuthPassword with the new password.
      assert.deepEqual(received, [
        {
          setVariableData: [
            {
              component: { name: 'SecurityCtrlr' },
              variable: { name: 'BasicAuthPassword' },
              attributeValue: NEW_PASSWORD,
            },
          ],
        },
      ]);
      await hangUp('A09-STATION', station);
      await boot(await connectWith('A09-STATION', NEW_PASSWORD));
      await refused('A09-STATION', PASSWORD);
    });

    test('TC_A_10_CSMS: Update Charging Station Password for HTTP Basic Authentication - Rejected', async () => {
      await register('A10-STATION');
      const station = await connectWith('A10-STATION', PASSWORD);
      await boot(station);
      const received = answer(station, 'SetVariables', (request) => ({
        setVariableResult: request.setVariableData.map(({ component, variable }) => ({
          attributeStatus: 'Rejected',
          component,
          variable,
        })),
      }));
      const put = await csms.api('/api/v1/stations/A10-STATION/password', {
        method: 'PUT',
        body: { password: NEW_PASSWORD },
      });
      assert.deepEqual(put.body, { status: 'Rejected', valid: 'previous' });
      const [data] = received[0]?.setVariableData ?? [];
      assert.equal(data?.component.name, 'SecurityCtrlr');
      assert.equal(data?.variable.name, 'BasicAuthPassword');
      // A01.FR.04: the old password still opens the connection, the refused one does not.
      await hangUp('A10-STATION', station);
      await boot(await connectWith('A10-STATION', PASSWORD));
      await refused('A10-STATION', NEW_PASSWORD);
    });
  });
}
