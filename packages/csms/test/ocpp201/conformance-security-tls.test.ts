/**
 * OCTT CSMS test cases of Part 6 §3.2 "A Security" over TLS (security profile 2): the server
 * certificate and TLS versions (A00) and the upgrade to a higher security profile (A05). The CSMS
 * runs a wss listener with the throwaway PKI of ocppkit's tests; TLS handshakes the library client
 * cannot shape (one cipher suite, TLS 1.1) are made with node:tls directly.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type ConnectionOptions, type TLSSocket, connect as tlsConnect } from 'node:tls';
import { connect, HandshakeError } from 'ocppkit';
import * as v201 from 'ocppkit/v201';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import { createTestPki, csmsTlsFiles, opensslAvailable, type TestPki } from '../support/pki.js';
import { answer, Operator } from './conformance-support.js';
import { BOOT, notifyConnector } from './stations.js';

const skip = opensslAvailable() ? false : 'the openssl command line is not available';
const PASSWORD = 'Profile-Two.Password';

/** Completes a TLS handshake with the CSMS (or fails as the CSMS ends it) and closes it again. */
function handshake(port: number, options: ConnectionOptions): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ...options }, () => {
      socket.end();
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

/** A self-signed RSA-2048 server certificate for 127.0.0.1, for the TLS_RSA_* cipher suites. */
function rsaServerFiles(): { overrides: Record<string, string>; cert: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'csms-rsa-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost'].concat([
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      join(dir, 'server.key'),
      '-out',
      join(dir, 'server.pem'),
    ]),
    { stdio: 'ignore' },
  );
  return {
    overrides: { tlsCert: join(dir, 'server.pem'), tlsKey: join(dir, 'server.key'), tlsPort: '0' },
    cert: readFileSync(join(dir, 'server.pem'), 'utf8'),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

for (const kind of databaseKinds()) {
  describe(`OCTT A Security over TLS [${kind}]`, { skip }, () => {
    let csms: TestCsms;
    let pki: TestPki;
    let files: ReturnType<typeof csmsTlsFiles>;
    const operator = new Operator(() => csms);
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

    const wssUrl = () => `wss://127.0.0.1:${csms.tlsPort}/ocpp`;

    async function register(identity: string, securityProfile: 1 | 2): Promise<void> {
      const created = await csms.api('/api/v1/stations', {
        method: 'POST',
        body: { identity, securityProfile, password: PASSWORD, registrationStatus: 'Accepted' },
      });
      assert.equal(created.status, 201);
    }

    async function connectStation(identity: string, url: string): Promise<v201.ChargePoint> {
      const transport = await connect({
        url,
        identity,
        protocols: ['ocpp2.0.1'],
        reconnect: false,
        password: PASSWORD,
        tls: { ca: pki.ca },
      });
      const station = new v201.ChargePoint(transport, { callTimeoutMs: 5000 });
      open.push(station);
      return station;
    }

    /** Reusable State Booted (Table 698). */
    async function boot(station: v201.ChargePoint): Promise<void> {
      assert.equal((await station.call('BootNotification', BOOT)).status, 'Accepted');
      await notifyConnector(station, 'Available');
    }

    test('TC_A_04_CSMS: TLS - server-side certificate - Valid certificate', async () => {
      const port = csms.tlsPort as number;
      // Step 3: TLS 1.2 or above; the certificate has a serial number and a CN; EC keys ≥ 224 bits.
      const socket = await handshake(port, { ca: pki.ca });
      assert.match(socket.getProtocol() ?? '', /^TLSv1\.[23]$/);
      const certificate = socket.getPeerCertificate();
      assert.ok(certificate.serialNumber);
      assert.equal(certificate.subject.CN, 'localhost');
      assert.ok((certificate.bits ?? 0) >= 224, `EC key of ${certificate.bits} bits`);
      for (const [suite, name] of [
        ['ECDHE-ECDSA-AES128-GCM-SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
        ['ECDHE-ECDSA-AES256-GCM-SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'],
      ] as const) {
        const only = await handshake(port, { ca: pki.ca, maxVersion: 'TLSv1.2', ciphers: suite });
        assert.equal(only.getCipher().standardName, name);
      }
      // The TLS_RSA_* suites need an RSA certificate: a second CSMS configured with one.
      const rsa = rsaServerFiles();
      const rsaCsms = await startTestCsms(kind, rsa.overrides);
      try {
        for (const [suite, name] of [
          ['AES128-GCM-SHA256', 'TLS_RSA_WITH_AES_128_GCM_SHA256'],
          ['AES256-GCM-SHA384', 'TLS_RSA_WITH_AES_256_GCM_SHA384'],
        ] as const) {
          const options = { ca: rsa.cert, maxVersion: 'TLSv1.2', ciphers: suite } as const;
          const only = await handshake(rsaCsms.tlsPort as number, options);
          assert.equal(only.getCipher().standardName, name);
          assert.ok((only.getPeerCertificate().bits ?? 0) >= 2048);
        }
      } finally {
        await rsaCsms.stop();
        rsa.dispose();
      }
      // Steps 5-10: the upgrade with the profile 2 password, BootNotification Accepted.
      await register('A04-STATION', 2);
      await boot(await connectStation('A04-STATION', wssUrl()));
    });

    test('TC_A_06_CSMS: TLS - server-side certificate - TLS version too low', async () => {
      // Steps 1-2: a ClientHello of TLS 1.1 at most; the CSMS ends the handshake with a
      // protocol_version alert (the client is allowed the old versions so it really offers them).
      await assert.rejects(
        handshake(csms.tlsPort as number, {
          ca: pki.ca,
          minVersion: 'TLSv1',
          maxVersion: 'TLSv1.1',
          ciphers: 'DEFAULT@SECLEVEL=0',
        }),
        (error: NodeJS.ErrnoException) => error.code === 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
      );
      // Steps 3-12: TLS 1.2 or higher is served.
      await register('A06-STATION', 2);
      await boot(await connectStation('A06-STATION', wssUrl()));
    });

    test('TC_A_19_CSMS: Upgrade Charging Station Security Profile - Accepted', async () => {
      await register('A19-STATION', 1);
      const station = await connectStation('A19-STATION', csms.ocppUrl);
      await boot(station);
      const profiles = answer(station, 'SetNetworkProfile', { status: 'Accepted' });
      const variables = answer(station, 'SetVariables', (request) => ({
        setVariableResult: request.setVariableData.map(({ component, variable }) => ({
          attributeStatus: 'Accepted',
          component,
          variable,
        })),
      }));
      const resets = answer(station, 'Reset', { status: 'Accepted' });

      // Manual actions: a new NetworkConnectionProfile one security profile higher in slot 2, ...
      const connectionData: v201.NetworkConnectionProfileType = {
        ocppVersion: 'OCPP20',
        ocppTransport: 'JSON',
        ocppCsmsUrl: wssUrl(),
        messageTimeout: 30,
        securityProfile: 2,
        ocppInterface: 'Wired0',
      };
      await operator.call('A19-STATION', 'SetNetworkProfile', { configurationSlot: 2, connectionData });
      // ... slot 2 first in NetworkConfigurationPriority, ...
      await operator.command('A19-STATION', 'set-variables', {
        variables: [
          {
            component: { name: 'OCPPCommCtrlr' },
            variable: { name: 'NetworkConfigurationPriority' },
            value: '2,1',
          },
        ],
      });
      // ... and a reboot.
      await operator.command('A19-STATION', 'reset', { type: 'soft' });
      assert.deepEqual(profiles, [{ configurationSlot: 2, connectionData }]);
      const [priority] = variables[0]?.setVariableData ?? [];
      assert.equal(priority?.variable.name, 'NetworkConfigurationPriority');
      assert.equal(priority?.component.name, 'OCPPCommCtrlr');
      assert.ok(priority?.attributeValue.split(',').includes('2'), 'contains the slot of step 1');
      assert.equal(resets.length, 1);

      // Steps 7-9: the station reconnects with profile 2 and boots.
      await station.close();
      const upgraded = await connectStation('A19-STATION', wssUrl());
      await boot(upgraded);
      assert.equal((await csms.stores.stations.get('A19-STATION'))?.security_profile, 2);
      // Steps 10-11 (A05.FR.07): profile 1 is refused from now on.
      await upgraded.close();
      await assert.rejects(
        connectStation('A19-STATION', csms.ocppUrl),
        (error: unknown) => error instanceof HandshakeError && error.status === 401,
      );
    });
  });
}
