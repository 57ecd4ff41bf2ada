/**
 * Security profiles 2 and 3 over real TLS sockets, with a throwaway PKI made by `openssl` at test
 * time (test/support/certificates.ts): the server certificate and Basic Auth (profile 2), mutual TLS
 * with the station identity in the client certificate's CN (profile 3), and TLS 1.2 as the floor.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, type TestContext, test } from 'node:test';
import { createServer as createTlsServer, type SecureVersion, connect as tlsConnect } from 'node:tls';
import { WebSocket } from 'ws';
import {
  type AuthenticateInput,
  type ClientConnection,
  type ConnectOptions,
  connect,
  createServer,
  HandshakeError,
  type OcppServerOptions,
  type ServerConnection,
} from '../src/index.js';
import * as v16 from '../src/versions/v16.js';
import { createTestPki, opensslAvailable, type TestPki } from './support/certificates.js';

const SUITE_TIMEOUT_MS = 10_000;
const PASSWORD = 'correct-horse-battery';
const haveOpenssl = opensslAvailable();
const skipWithoutOpenssl = haveOpenssl ? false : 'the openssl command line is not available';

let pki: TestPki;
before(() => {
  if (haveOpenssl) pki = createTestPki();
});
after(() => pki?.dispose());

const cleanupStacks = new WeakMap<TestContext, Array<() => unknown>>();

/** Runs `cleanup` after the test, in reverse order of registration (clients before their server). */
function defer(t: TestContext, cleanup: () => unknown): void {
  let stack = cleanupStacks.get(t);
  if (!stack) {
    const created: Array<() => unknown> = [];
    stack = created;
    cleanupStacks.set(t, created);
    t.after(async () => {
      for (const next of created.reverse()) await next();
    });
  }
  stack.push(cleanup);
}

interface TlsTestServer {
  readonly url: string;
  readonly port: number;
  readonly accepted: ServerConnection[];
  readonly authenticated: AuthenticateInput[];
}

async function startTlsServer(
  t: TestContext,
  tls: NonNullable<OcppServerOptions['tls']>,
  authenticate: NonNullable<OcppServerOptions['authenticate']> = () => true,
): Promise<TlsTestServer> {
  const accepted: ServerConnection[] = [];
  const authenticated: AuthenticateInput[] = [];
  const server = createServer({
    protocols: ['ocpp1.6'],
    tls: { key: pki.server.key, cert: pki.server.cert, ...tls },
    authenticate: (input) => {
      authenticated.push(input);
      return authenticate(input);
    },
    onConnection: (connection) => {
      accepted.push(connection);
      new v16.ChargePoint(connection).handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    },
  });
  const { port } = await server.listen(0, '127.0.0.1');
  defer(t, () => server.close({ timeoutMs: 1000 }));
  return { url: `wss://127.0.0.1:${port}/ocpp`, port, accepted, authenticated };
}

async function connectStation(
  t: TestContext,
  options: Partial<ConnectOptions> & Pick<ConnectOptions, 'url' | 'identity'>,
): Promise<ClientConnection> {
  const client = await connect({ protocols: ['ocpp1.6'], reconnect: false, ...options });
  defer(t, () => client.close());
  return client;
}

/** Resolves with what connect() rejected with; fails when it connected. */
async function refusal(
  t: TestContext,
  options: Partial<ConnectOptions> & Pick<ConnectOptions, 'url' | 'identity'>,
) {
  return connect({ protocols: ['ocpp1.6'], reconnect: false, ...options }).then(
    (client) => {
      defer(t, () => client.close());
      return assert.fail(`${options.identity} must not connect`);
    },
    (error: unknown) => error as Error & { code?: string; status?: number },
  );
}

/** A bare TLS handshake limited to one protocol version; resolves with the negotiated version. */
function tlsProbe(port: number, version: SecureVersion): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: '127.0.0.1',
      port,
      ca: pki.ca,
      minVersion: version,
      maxVersion: version,
      // OpenSSL 3 refuses TLS 1.0/1.1 at the default security level; lower it for the probe only.
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    socket.once('secureConnect', () => {
      resolve(socket.getProtocol() ?? 'unknown');
      socket.destroy();
    });
    socket.once('error', (error) => {
      socket.destroy();
      reject(error);
    });
  });
}

async function heartbeat(client: ClientConnection): Promise<void> {
  const cp = new v16.ChargePoint(client);
  assert.ok((await cp.call('Heartbeat', {})).currentTime);
}

// ---------------------------------------------------------------------------------------------

describe('security profile 2: TLS server certificate + Basic Auth', {
  timeout: SUITE_TIMEOUT_MS,
  skip: skipWithoutOpenssl,
}, () => {
  test('a station trusting the CA connects over wss with its password', async (t) => {
    const server = await startTlsServer(
      t,
      { minVersion: 'TLSv1.2' },
      ({ password }) => password === PASSWORD,
    );
    const station = await connectStation(t, {
      url: server.url,
      identity: 'CS-P2',
      password: PASSWORD,
      tls: { ca: pki.ca },
    });
    await heartbeat(station);
    assert.equal(server.accepted[0]?.identity, 'CS-P2');
    // No client certificate in profile 2.
    assert.equal(server.authenticated[0]?.certificate, undefined);
    assert.equal(server.authenticated[0]?.certificateAuthorized, false);
    assert.equal(server.accepted[0]?.certificate, undefined);

    const wrongPassword = await refusal(t, {
      url: server.url,
      identity: 'CS-P2',
      password: 'not-the-password-0',
      tls: { ca: pki.ca },
    });
    assert.ok(wrongPassword instanceof HandshakeError, String(wrongPassword));
    assert.equal(wrongPassword.status, 401);
  });

  test('a station that does not trust the server certificate does not connect', async (t) => {
    const server = await startTlsServer(t, {});
    const untrusted = await refusal(t, { url: server.url, identity: 'CS-NOCA', password: PASSWORD });
    assert.match(String(untrusted.code), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/);
    const rogue = await refusal(t, {
      url: server.url,
      identity: 'CS-ROGUECA',
      password: PASSWORD,
      tls: { ca: pki.rogueCa },
    });
    assert.match(String(rogue.code), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/);
    assert.equal(server.authenticated.length, 0, 'no HTTP request reached the server');
  });

  test('TLS 1.1 is refused (profiles 2 and 3 need TLS 1.2 or later)', async (t) => {
    // Control: can this Node/OpenSSL speak TLS 1.1 at all? If not, the refusal below proves nothing.
    const control = createTlsServer({
      key: pki.server.key,
      cert: pki.server.cert,
      minVersion: 'TLSv1.1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    control.on('secureConnection', (socket) => socket.end());
    await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
    const supported = await tlsProbe((control.address() as AddressInfo).port, 'TLSv1.1').then(
      () => true,
      () => false,
    );
    await new Promise((resolve) => control.close(resolve));
    if (!supported) return t.skip('the local OpenSSL cannot speak TLS 1.1 at all');

    const explicit = await startTlsServer(t, { minVersion: 'TLSv1.2' });
    await assert.rejects(tlsProbe(explicit.port, 'TLSv1.1'), {
      code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
    });
    assert.equal(await tlsProbe(explicit.port, 'TLSv1.2'), 'TLSv1.2');
    assert.equal(await tlsProbe(explicit.port, 'TLSv1.3'), 'TLSv1.3');
    // Without minVersion, Node's default floor (TLS 1.2) applies.
    const byDefault = await startTlsServer(t, {});
    await assert.rejects(tlsProbe(byDefault.port, 'TLSv1.1'), {
      code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
    });
  });
});

describe('security profile 3: mutual TLS', { timeout: SUITE_TIMEOUT_MS, skip: skipWithoutOpenssl }, () => {
  /** A CSMS that accepts a station only with a verified certificate whose CN is its identity. */
  const byCertificate = ({ identity, certificate, certificateAuthorized }: AuthenticateInput) =>
    Boolean(certificate && certificateAuthorized && certificate.subject.CN === identity);

  test('the client certificate reaches authenticate; its CN must be the identity', async (t) => {
    const server = await startTlsServer(
      t,
      { requestCert: true, rejectUnauthorized: false, ca: pki.ca, minVersion: 'TLSv1.2' },
      byCertificate,
    );
    const own = pki.clientCertificate('CS-P3');
    const station = await connectStation(t, {
      url: server.url,
      identity: 'CS-P3',
      tls: { ca: pki.ca, cert: own.cert, key: own.key },
    });
    await heartbeat(station);
    const [input] = server.authenticated;
    assert.equal(input?.certificate?.subject.CN, 'CS-P3');
    assert.equal(input?.certificate?.issuer.CN, 'ocppkit test CA');
    assert.equal(input?.certificateAuthorized, true);
    assert.equal(input?.password, undefined);
    assert.equal(server.accepted[0]?.certificate?.subject.CN, 'CS-P3');

    // Someone else's certificate: verified, but the CN does not match the identity.
    const mismatch = await refusal(t, {
      url: server.url,
      identity: 'CS-OTHER',
      tls: { ca: pki.ca, cert: own.cert, key: own.key },
    });
    assert.ok(mismatch instanceof HandshakeError, String(mismatch));
    assert.equal(mismatch.status, 401);

    // No certificate at all.
    const none = await refusal(t, { url: server.url, identity: 'CS-NOCERT', tls: { ca: pki.ca } });
    assert.equal(none.status, 401);
    assert.equal(server.authenticated.at(-1)?.certificate, undefined);
    assert.equal(server.authenticated.at(-1)?.certificateAuthorized, false);

    // A certificate from a CA the server does not trust, even with the right CN.
    const rogue = pki.clientCertificate('CS-ROGUE', { rogue: true });
    const untrusted = await refusal(t, {
      url: server.url,
      identity: 'CS-ROGUE',
      tls: { ca: pki.ca, cert: rogue.cert, key: rogue.key },
    });
    assert.equal(untrusted.status, 401);
    assert.equal(server.authenticated.at(-1)?.certificate?.subject.CN, 'CS-ROGUE');
    assert.equal(server.authenticated.at(-1)?.certificateAuthorized, false);
    assert.equal(server.accepted.length, 1);
  });

  test('with rejectUnauthorized: true, TLS itself refuses stations without a trusted certificate', async (t) => {
    const server = await startTlsServer(
      t,
      { requestCert: true, rejectUnauthorized: true, ca: pki.ca, minVersion: 'TLSv1.2' },
      byCertificate,
    );
    const own = pki.clientCertificate('CS-P3-STRICT');
    await heartbeat(
      await connectStation(t, {
        url: server.url,
        identity: 'CS-P3-STRICT',
        tls: { ca: pki.ca, cert: own.cert, key: own.key },
      }),
    );
    const none = await refusal(t, { url: server.url, identity: 'CS-NOCERT', tls: { ca: pki.ca } });
    assert.ok(!(none instanceof HandshakeError), 'refused by the TLS handshake, not by HTTP');
    const rogue = pki.clientCertificate('CS-ROGUE2', { rogue: true });
    const untrusted = await refusal(t, {
      url: server.url,
      identity: 'CS-ROGUE2',
      tls: { ca: pki.ca, cert: rogue.cert, key: rogue.key },
    });
    assert.ok(!(untrusted instanceof HandshakeError));
    assert.equal(server.authenticated.length, 1, 'only the trusted station reached authenticate');
  });
});

describe('keepalive over TLS', { timeout: SUITE_TIMEOUT_MS, skip: skipWithoutOpenssl }, () => {
  // The keepalive counts the bytes read by the socket under the WebSocket: over TLS that is a TLSSocket.
  test('a wss connection that stops answering pings is dropped; a live one stays', async (t) => {
    const server = createServer({
      protocols: ['ocpp1.6'],
      tls: { key: pki.server.key, cert: pki.server.cert },
      pingIntervalMs: 100,
      onConnection: (connection) => void new v16.ChargePoint(connection),
    });
    const { port } = await server.listen(0, '127.0.0.1');
    defer(t, () => server.close({ timeoutMs: 1000 }));
    const open = async (identity: string, autoPong: boolean) => {
      const ws = new WebSocket(`wss://127.0.0.1:${port}/ocpp/${identity}`, ['ocpp1.6'], {
        ca: pki.ca,
        autoPong,
      });
      defer(t, () => ws.terminate());
      await once(ws, 'open');
      return ws;
    };
    const dead = await open('TLS-DEAD', false);
    const live = await open('TLS-LIVE', true);
    const [code] = (await Promise.race([
      once(dead, 'close'),
      new Promise((_, reject) => setTimeout(() => reject(new Error('the dead connection was kept')), 2000)),
    ])) as [number];
    assert.equal(code, 1006, 'terminated without a close frame');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(live.readyState, WebSocket.OPEN);
    assert.ok(server.connections.get('TLS-LIVE')?.connected);
    assert.equal(server.connections.has('TLS-DEAD'), false);
  });
});
