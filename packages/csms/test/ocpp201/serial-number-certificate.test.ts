/**
 * B01.FR.11/12 over real TLS: with security profile 3 the CSMS checks the BootNotification's
 * serialNumber against the Common Name of the station's client certificate, and closes the
 * WebSocket when they differ. Certificates from ocppkit's test PKI; a CSMS with a wss listener.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect } from 'ocppkit';
import * as v201 from 'ocppkit/v201';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import { createTestPki, csmsTlsFiles, opensslAvailable, type TestPki } from '../support/pki.js';
import { BOOT } from './stations.js';

const skip = opensslAvailable() ? false : 'the openssl command line is not available';

for (const kind of databaseKinds()) {
  describe(`B01.FR.11/12 serial number against the client certificate [${kind}]`, { skip }, () => {
    let csms: TestCsms;
    let pki: TestPki;
    let files: ReturnType<typeof csmsTlsFiles>;
    const open: v201.ChargePoint[] = [];

    before(async () => {
      pki = createTestPki();
      files = csmsTlsFiles(pki);
      csms = await startTestCsms(kind, files.overrides);
    });
    after(async () => {
      await Promise.all(open.map((station) => station.close()));
      await csms?.stop();
      files?.dispose();
      pki?.dispose();
    });

    /** A station over wss, with a client certificate whose CN is `commonName` when one is given. */
    async function connectOverTls(
      identity: string,
      options: { commonName?: string; rogue?: boolean; securityProfile?: 0 | 3 },
    ): Promise<v201.ChargePoint> {
      await csms.stores.stations.create({
        identity,
        securityProfile: options.securityProfile ?? 3,
        registrationStatus: 'Accepted',
      });
      const own =
        options.commonName === undefined
          ? undefined
          : pki.clientCertificate(options.commonName, { rogue: options.rogue });
      const transport = await connect({
        url: `wss://127.0.0.1:${csms.tlsPort}/ocpp`,
        identity,
        protocols: ['ocpp2.0.1'],
        reconnect: false,
        tls: { ca: pki.ca, ...(own && { cert: own.cert, key: own.key }) },
      });
      const station = new v201.ChargePoint(transport, { callTimeoutMs: 5000 });
      open.push(station);
      return station;
    }

    function bootWith(serialNumber: string | undefined): v201.BootNotificationRequest {
      return { ...BOOT, chargingStation: { ...BOOT.chargingStation, ...(serialNumber && { serialNumber }) } };
    }

    test('the CSMS listens for TLS on a port of its own', () => {
      assert.equal(typeof csms.tlsPort, 'number');
      assert.notEqual(csms.tlsPort, csms.ocppPort);
    });

    test('a serialNumber equal to the certificate CN boots as usual', async () => {
      const station = await connectOverTls('SN-MATCH-1', { commonName: 'SN-MATCH-1' });
      const boot = await station.call('BootNotification', bootWith('SN-MATCH-1'));
      assert.equal(boot.status, 'Accepted');
      assert.equal((await csms.stores.stations.get('SN-MATCH-1'))?.serial_number, 'SN-MATCH-1');
      assert.ok(await station.call('Heartbeat', {}));
    });

    test('B01.FR.12: another serialNumber closes the WebSocket; the boot is not stored', async () => {
      const station = await connectOverTls('SN-OTHER-1', { commonName: 'SN-OTHER-1' });
      await assert.rejects(station.call('BootNotification', bootWith('SOMEONE-ELSE')));
      const closed = await station.closed;
      assert.equal(closed.code, 1008);
      assert.equal((await csms.stores.stations.get('SN-OTHER-1'))?.booted_at, null);
      assert.equal(csms.gateway.isConnected('SN-OTHER-1'), false);
    });

    test('a boot without serialNumber does not equal the CN either', async () => {
      const station = await connectOverTls('SN-NONE-1', { commonName: 'SN-NONE-1' });
      await assert.rejects(station.call('BootNotification', bootWith(undefined)));
      assert.equal((await station.closed).code, 1008);
    });

    test('without a verified client certificate profile 3 is not in use and nothing is compared', async () => {
      const plain = await connectOverTls('SN-NOCERT-1', { securityProfile: 0 });
      assert.equal((await plain.call('BootNotification', bootWith('ANY-SERIAL'))).status, 'Accepted');
      const rogue = await connectOverTls('SN-ROGUE-1', {
        commonName: 'SN-ROGUE-1',
        rogue: true,
        securityProfile: 0,
      });
      assert.equal((await rogue.call('BootNotification', bootWith('ANY-SERIAL'))).status, 'Accepted');
    });
  });
}
