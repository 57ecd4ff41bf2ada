/**
 * The CSMS side of the socket, over real sockets on 127.0.0.1: subprotocol negotiation, station
 * identity, authentication before the upgrade, permessage-deflate, keepalive, payload limits,
 * graceful shutdown (also on SIGTERM in a child process), attaching to an existing http server,
 * duplicate identities and the buffer between accepting a connection and wiring its handlers.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  get as httpGet,
  request as httpRequest,
  type IncomingHttpHeaders,
} from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { WebSocket } from 'ws';
import {
  type AuthenticateInput,
  type ClientConnection,
  type ConnectOptions,
  connect,
  createServer,
  HandshakeError,
  type OcppServer,
  type OcppServerOptions,
  type ServerConnection,
} from '../src/index.js';
import * as v16 from '../src/versions/v16.js';

// ---------------------------------------------------------------------------------------------
// Helpers: a server per test, library clients, raw `ws` clients and raw HTTP upgrade requests.
// ---------------------------------------------------------------------------------------------

/** A broken behaviour must fail a test, not hang the run. */
const SUITE_TIMEOUT_MS = 10_000;

const cleanupStacks = new WeakMap<TestContext, Array<() => unknown>>();

/**
 * Runs `cleanup` after the test, in reverse order of registration (clients before their server),
 * so that a server never waits for a close handshake from a client the test has forgotten.
 */
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

/** Hands out accepted connections in order, waiting for the next one when none is there yet. */
class ConnectionQueue {
  readonly #items: ServerConnection[] = [];
  readonly #waiters: Array<(connection: ServerConnection) => void> = [];
  /** Every connection ever accepted, in order. */
  readonly all: ServerConnection[] = [];

  push(connection: ServerConnection): void {
    this.all.push(connection);
    const waiter = this.#waiters.shift();
    if (waiter) waiter(connection);
    else this.#items.push(connection);
  }

  next(): Promise<ServerConnection> {
    const ready = this.#items.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

interface TestServer {
  readonly server: OcppServer;
  readonly port: number;
  readonly url: string;
  readonly accepted: ConnectionQueue;
}

/** Starts a server on 127.0.0.1:0 that is closed after the test. `onConnection` defaults to queueing. */
async function startServer(
  t: TestContext,
  options: Partial<OcppServerOptions> & { onAccepted?: (connection: ServerConnection) => void } = {},
): Promise<TestServer> {
  const accepted = new ConnectionQueue();
  const { onAccepted, ...serverOptions } = options;
  const server = createServer({
    protocols: ['ocpp1.6', 'ocpp2.0.1'],
    onConnection: (connection) => {
      accepted.push(connection);
      onAccepted?.(connection);
    },
    ...serverOptions,
  });
  const address = await server.listen(0, '127.0.0.1');
  defer(t, () => server.close({ timeoutMs: 1000 }));
  return { server, port: address.port, url: `ws://127.0.0.1:${address.port}/ocpp`, accepted };
}

/** A library client that does not reconnect unless told, closed after the test. */
async function connectStation(
  t: TestContext,
  options: Partial<ConnectOptions> & Pick<ConnectOptions, 'url' | 'identity'>,
): Promise<ClientConnection> {
  const client = await connect({ protocols: ['ocpp1.6'], reconnect: false, ...options });
  defer(t, () => client.close());
  return client;
}

/** Answers Heartbeat on a 1.6 connection (the "is this connection alive and served" probe). */
function serveHeartbeats(connection: ServerConnection): v16.ChargePoint {
  const cp = new v16.ChargePoint(connection);
  cp.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
  return cp;
}

/** A raw `ws` client; resolves once open, rejects on error or a refused upgrade. Closed after the test. */
async function openRaw(
  t: TestContext,
  url: string,
  protocols: string[],
  options: ConstructorParameters<typeof WebSocket>[2] = {},
): Promise<WebSocket> {
  const ws = new WebSocket(url, protocols, options);
  defer(t, () => ws.terminate());
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
    ws.once('unexpected-response', (_request, response) => {
      reject(new Error(`HTTP ${response.statusCode}`));
    });
  });
  return ws;
}

function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return once(ws, 'close').then(([code, reason]) => ({
    code: code as number,
    reason: String(reason),
  }));
}

interface UpgradeAnswer {
  readonly status: number;
  readonly statusMessage: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The upgraded socket (status 101 only). */
  readonly socket: Socket | undefined;
  readonly head: Buffer;
}

/**
 * A WebSocket upgrade request written by hand, so that a test sees the exact response: the status,
 * the headers of a 101 (which `ws` hides) and the frames that follow it.
 */
function rawUpgrade(
  t: TestContext,
  port: number,
  path: string,
  options: { protocols?: string[]; headers?: Record<string, string> } = {},
): Promise<UpgradeAnswer> {
  const headers: Record<string, string> = {
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    ...options.headers,
  };
  if (options.protocols) headers['Sec-WebSocket-Protocol'] = options.protocols.join(', ');
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, headers, agent: false });
    request.on('upgrade', (response, socket, head) => {
      defer(t, () => socket.destroy());
      resolve({
        status: response.statusCode ?? 0,
        statusMessage: response.statusMessage ?? '',
        headers: response.headers,
        body: '',
        socket,
        head,
      });
    });
    request.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          statusMessage: response.statusMessage ?? '',
          headers: response.headers,
          body,
          socket: undefined,
          head: Buffer.alloc(0),
        }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

/** Reads the first frame after a raw upgrade, expects a close frame (RFC 6455 §5.5.1) and destroys the socket. */
function readCloseFrame(answer: UpgradeAnswer): Promise<{ code: number; reason: string }> {
  const socket = answer.socket;
  assert.ok(socket, 'expected an upgraded socket');
  return new Promise((resolve, reject) => {
    let buffer = answer.head;
    const parse = () => {
      if (buffer.length < 2) return;
      const opcode = buffer[0]! & 0x0f;
      const length = buffer[1]! & 0x7f;
      if (buffer.length < 2 + length) return;
      socket.off('data', onData);
      socket.destroy();
      if (opcode !== 0x8) return reject(new Error(`expected a close frame, got opcode ${opcode}`));
      resolve({
        code: length >= 2 ? buffer.readUInt16BE(2) : 1005,
        reason: buffer.subarray(4, 2 + length).toString(),
      });
    };
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      parse();
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('the socket closed before a close frame arrived')));
    parse();
  });
}

function basic(username: string, password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

/** Polls until `predicate` holds; fails the test after `timeoutMs`. */
async function waitFor(predicate: () => boolean, timeoutMs = 2000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(10);
  }
}

/** Rejects when `promise` has not settled within `timeoutMs`, so a missing behaviour fails fast. */
async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** True when `promise` has not settled yet (checked after one macrotask). */
async function isPending(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  const winner = await Promise.race([promise.then(() => null), delay(0).then(() => marker)]);
  return winner === marker;
}

// ---------------------------------------------------------------------------------------------

describe('subprotocol negotiation (OCPP-J 2.0.1 Part 4 §3.1.2)', { timeout: SUITE_TIMEOUT_MS }, () => {
  test("the station's order of preference decides", async (t) => {
    const { url, accepted } = await startServer(t, { protocols: ['ocpp1.6', 'ocpp2.0.1'] });
    const first = await connectStation(t, { url, identity: 'CS-A', protocols: ['ocpp2.0.1', 'ocpp1.6'] });
    assert.equal(first.protocol, 'ocpp2.0.1');
    assert.equal((await accepted.next()).protocol, 'ocpp2.0.1');
    const second = await connectStation(t, { url, identity: 'CS-B', protocols: ['ocpp1.6', 'ocpp2.0.1'] });
    assert.equal(second.protocol, 'ocpp1.6');
    assert.equal((await accepted.next()).protocol, 'ocpp1.6');
  });

  test('unknown names are skipped: ["ocpp0.1", "ocpp1.6"] gets ocpp1.6 (OCTT TC_088_CSMS)', async (t) => {
    const { url, accepted } = await startServer(t, { protocols: ['ocpp1.6', 'ocpp2.0.1'] });
    const ws = await openRaw(t, `${url}/TC088`, ['ocpp0.1', 'ocpp1.6']);
    assert.equal(ws.protocol, 'ocpp1.6');
    const connection = await accepted.next();
    assert.equal(connection.protocol, 'ocpp1.6');
    assert.equal(connection.identity, 'TC088');
  });

  test('no common subprotocol: 101 without Sec-WebSocket-Protocol, then an immediate close', async (t) => {
    const { port, server, accepted } = await startServer(t, { protocols: ['ocpp1.6', 'ocpp2.0.1'] });
    const answer = await rawUpgrade(t, port, '/ocpp/CS-NOPROTO', { protocols: ['ocpp0.1', 'ocpp9'] });
    assert.equal(answer.status, 101);
    assert.equal(answer.headers['sec-websocket-protocol'], undefined);
    const close = await readCloseFrame(answer);
    assert.equal(close.code, 1002);
    assert.equal(accepted.all.length, 0, 'onConnection must not run');
    assert.equal(server.connections.size, 0);
  });

  test('no subprotocol offered at all: 101 without the header, then an immediate close', async (t) => {
    const { port, accepted } = await startServer(t);
    const answer = await rawUpgrade(t, port, '/ocpp/CS-NONE');
    assert.equal(answer.status, 101);
    assert.equal(answer.headers['sec-websocket-protocol'], undefined);
    assert.equal((await readCloseFrame(answer)).code, 1002);
    assert.equal(accepted.all.length, 0);
  });

  test('a ws client that offered protocols sees the missing header as an error', async (t) => {
    const { url } = await startServer(t, { protocols: ['ocpp1.6'] });
    await assert.rejects(openRaw(t, `${url}/CS-WS`, ['ocpp2.1']), /no subprotocol/i);
    await assert.rejects(connect({ url, identity: 'CS-LIB', protocols: ['ocpp2.1'], reconnect: false }));
  });
});

describe('station identity from the URL (OCPP-J 1.6 §3.1.1, 2.0.1 Part 4 §3.1.1)', {
  timeout: SUITE_TIMEOUT_MS,
}, () => {
  test('the last path segment, percent-decoded, reaches authenticate and connection.identity', async (t) => {
    const seen: string[] = [];
    const { url, port, accepted } = await startServer(t, {
      authenticate: ({ identity }) => {
        seen.push(identity);
        return true;
      },
    });
    const encoded = await rawUpgrade(t, port, '/ocpp/CS%2D01', { protocols: ['ocpp2.0.1'] });
    assert.equal(encoded.status, 101);
    assert.equal((await accepted.next()).identity, 'CS-01');

    await connectStation(t, { url: url.replace(/\/ocpp$/, '/a/b/c'), identity: 'CS1' });
    assert.equal((await accepted.next()).identity, 'CS1');

    const withQuery = await rawUpgrade(t, port, '/ocpp/CS2?token=x', { protocols: ['ocpp2.0.1'] });
    assert.equal(withQuery.status, 101);
    assert.equal((await accepted.next()).identity, 'CS2');

    // 1.6 sets no character set: a space is fine there.
    await connectStation(t, { url, identity: 'CS 16', protocols: ['ocpp1.6'] });
    assert.equal((await accepted.next()).identity, 'CS 16');
    assert.deepEqual(seen, ['CS-01', 'CS1', 'CS2', 'CS 16']);
  });

  test('an invalid 2.x identity is refused with HTTP 400 before the upgrade', async (t) => {
    let authenticated = 0;
    const { port, accepted } = await startServer(t, {
      authenticate: () => {
        authenticated += 1;
        return true;
      },
    });
    const ok48 = 'A'.repeat(48);
    assert.equal((await rawUpgrade(t, port, `/ocpp/${ok48}`, { protocols: ['ocpp2.0.1'] })).status, 101);
    assert.equal((await accepted.next()).identity, ok48);
    for (const path of [
      '/ocpp/' + 'A'.repeat(49),
      '/ocpp/CS:01',
      '/ocpp/CS%3A01',
      '/ocpp/CS%2001',
      '/ocpp/',
    ]) {
      const answer = await rawUpgrade(t, port, path, { protocols: ['ocpp2.0.1'] });
      assert.equal(answer.status, 400, `${path} must be refused`);
      assert.equal(answer.socket, undefined);
    }
    assert.equal((await rawUpgrade(t, port, '/ocpp/%E0%A4%A', { protocols: ['ocpp1.6'] })).status, 400);
    assert.equal(authenticated, 1, 'authenticate runs only for the valid identity');
    assert.equal(accepted.all.length, 1);
  });
});

describe('authenticate (security profiles 1 and 2)', { timeout: SUITE_TIMEOUT_MS }, () => {
  test('false answers 401 with WWW-Authenticate: Basic', async (t) => {
    const { port, accepted } = await startServer(t, { authenticate: () => false });
    const answer = await rawUpgrade(t, port, '/ocpp/CS-401', { protocols: ['ocpp1.6'] });
    assert.equal(answer.status, 401);
    assert.match(String(answer.headers['www-authenticate']), /^Basic\b/);
    assert.equal(accepted.all.length, 0);
  });

  test('{ accept: false, status } answers that status with its reason phrase', async (t) => {
    const { port } = await startServer(t, {
      authenticate: ({ identity }) => ({
        accept: false,
        status: identity === 'UNKNOWN' ? 404 : identity === 'BANNED' ? 403 : 503,
      }),
    });
    const notFound = await rawUpgrade(t, port, '/ocpp/UNKNOWN', { protocols: ['ocpp1.6'] });
    assert.equal(notFound.status, 404);
    assert.equal(notFound.statusMessage, 'Not Found');
    assert.equal(notFound.headers['www-authenticate'], undefined);
    const forbidden = await rawUpgrade(t, port, '/ocpp/BANNED', { protocols: ['ocpp1.6'] });
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.statusMessage, 'Forbidden');
    const busy = await rawUpgrade(t, port, '/ocpp/LATER', { protocols: ['ocpp1.6'] });
    assert.equal(busy.status, 503);
    assert.equal(busy.statusMessage, 'Service Unavailable');
  });

  test('accepted data reaches connection.data; async authenticate works', async (t) => {
    const { url, accepted } = await startServer(t, {
      authenticate: async ({ identity }) => {
        await delay(30);
        return { accept: true, data: { tenant: 'T1', identity } };
      },
    });
    await connectStation(t, { url, identity: 'CS-DATA' });
    assert.deepEqual((await accepted.next()).data, { tenant: 'T1', identity: 'CS-DATA' });
  });

  test('Basic Auth: the password is handed over only when the user name is the identity', async (t) => {
    const inputs: AuthenticateInput[] = [];
    const { port, accepted } = await startServer(t, {
      authenticate: (input) => {
        inputs.push(input);
        return true;
      },
    });
    const answers = [
      await rawUpgrade(t, port, '/ocpp/CS-BA', {
        protocols: ['ocpp1.6'],
        headers: basic('CS-BA', 'pass:with:colons'),
      }),
      await rawUpgrade(t, port, '/ocpp/CS-BA2', { protocols: ['ocpp1.6'], headers: basic('someone', 'pw') }),
      await rawUpgrade(t, port, '/ocpp/CS-BA3', { protocols: ['ocpp1.6'] }),
    ];
    assert.deepEqual(
      answers.map((a) => a.status),
      [101, 101, 101],
    );
    assert.deepEqual(
      inputs.map(({ identity, username, password, protocol, certificate, certificateAuthorized }) => ({
        identity,
        username,
        password,
        protocol,
        certificate,
        certificateAuthorized,
      })),
      [
        {
          identity: 'CS-BA',
          username: 'CS-BA',
          password: 'pass:with:colons',
          protocol: 'ocpp1.6',
          certificate: undefined,
          certificateAuthorized: false,
        },
        {
          identity: 'CS-BA2',
          username: 'someone',
          password: undefined,
          protocol: 'ocpp1.6',
          certificate: undefined,
          certificateAuthorized: false,
        },
        {
          identity: 'CS-BA3',
          username: undefined,
          password: undefined,
          protocol: 'ocpp1.6',
          certificate: undefined,
          certificateAuthorized: false,
        },
      ],
    );
    assert.equal(accepted.all.length, 3);
  });

  test('a wrong password → 401 and connect() rejects with HandshakeError 401', async (t) => {
    const { url, accepted } = await startServer(t, {
      authenticate: ({ password }) => password === 'correct-horse-battery',
    });
    const error = await connect({
      url,
      identity: 'CS-PW',
      protocols: ['ocpp1.6'],
      password: 'wrong-password-0000',
    }).then(
      () => assert.fail('connect() must reject'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof HandshakeError, String(error));
    assert.equal(error.status, 401);
    assert.equal(accepted.all.length, 0);
    await connectStation(t, { url, identity: 'CS-PW', password: 'correct-horse-battery' });
    assert.equal((await accepted.next()).identity, 'CS-PW');
  });

  test('an authenticate that throws → 500, and the server keeps serving others', async (t) => {
    const { url, port, accepted } = await startServer(t, {
      authenticate: async ({ identity }) => {
        if (identity === 'BOOM') throw new Error('database down');
        return true;
      },
    });
    assert.equal((await rawUpgrade(t, port, '/ocpp/BOOM', { protocols: ['ocpp1.6'] })).status, 500);
    const station = await connectStation(t, { url, identity: 'CS-OK' });
    serveHeartbeats(await accepted.next());
    const cp = new v16.ChargePoint(station);
    assert.ok((await cp.call('Heartbeat', {})).currentTime);
  });
});

describe('permessage-deflate (OCPP-J 2.0.1 Part 4 §5.4)', { timeout: SUITE_TIMEOUT_MS }, () => {
  test('negotiated when the client offers it', async (t) => {
    const { url, port } = await startServer(t);
    const ws = await openRaw(t, `${url}/CS-Z`, ['ocpp2.0.1']);
    assert.match(ws.extensions, /^permessage-deflate/);
    const answer = await rawUpgrade(t, port, '/ocpp/CS-Z2', {
      protocols: ['ocpp2.0.1'],
      headers: { 'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits' },
    });
    assert.match(String(answer.headers['sec-websocket-extensions']), /^permessage-deflate/);
  });

  test('off with perMessageDeflate: false', async (t) => {
    const { url, port } = await startServer(t, { perMessageDeflate: false });
    const ws = await openRaw(t, `${url}/CS-NZ`, ['ocpp2.0.1']);
    assert.equal(ws.extensions, '');
    const answer = await rawUpgrade(t, port, '/ocpp/CS-NZ2', {
      protocols: ['ocpp2.0.1'],
      headers: { 'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits' },
    });
    assert.equal(answer.status, 101);
    assert.equal(answer.headers['sec-websocket-extensions'], undefined);
  });
});

describe('keepalive', { timeout: SUITE_TIMEOUT_MS }, () => {
  test('a connection that stops answering pings is dropped; a live one stays', async (t) => {
    const { url, server } = await startServer(t, { pingIntervalMs: 100 });
    const dead = await openRaw(t, `${url}/CS-DEAD`, ['ocpp1.6'], { autoPong: false });
    const live = await openRaw(t, `${url}/CS-LIVE`, ['ocpp1.6']);
    let pings = 0;
    dead.on('ping', () => {
      pings += 1;
    });
    const deadClosed = closeOf(dead);
    await waitFor(() => server.connections.size === 2, 1000, 'both connections');
    const started = Date.now();
    const { code } = await within(deadClosed, 2000, 'dropping the dead connection');
    const elapsed = Date.now() - started;
    assert.equal(code, 1006, 'terminated without a close frame');
    assert.ok(pings >= 1, 'the server pinged');
    assert.ok(elapsed < 600, `dropped after ${elapsed} ms, expected within a few 100 ms intervals`);
    await waitFor(() => !server.connections.has('CS-DEAD'), 1000, 'the dead connection to be forgotten');
    // The live client has answered several pings by now and stays.
    await delay(300);
    assert.equal(live.readyState, WebSocket.OPEN);
    assert.ok(server.connections.get('CS-LIVE')?.connected);
  });
});

describe('maxPayload', { timeout: SUITE_TIMEOUT_MS }, () => {
  test('a message over the limit closes that connection with 1009; others are unaffected', async (t) => {
    const { url, server, accepted } = await startServer(t, {
      maxPayload: 1000,
      onAccepted: (connection) => {
        if (connection.identity === 'CS-FINE') serveHeartbeats(connection);
      },
    });
    const station = await connectStation(t, { url, identity: 'CS-FINE' });
    const fine = new v16.ChargePoint(station);
    const big = await openRaw(t, `${url}/CS-BIG`, ['ocpp1.6'], { perMessageDeflate: false });
    const bigClosed = closeOf(big);
    big.send(`[2,"1","DataTransfer",{"vendorId":"V","data":"${randomBytes(1000).toString('hex')}"}]`);
    assert.equal((await bigClosed).code, 1009);

    // Compressed, the same limit applies to the inflated size (no zip bombs).
    const bomb = await openRaw(t, `${url}/CS-BOMB`, ['ocpp1.6'], { perMessageDeflate: { threshold: 0 } });
    assert.match(bomb.extensions, /permessage-deflate/);
    const bombClosed = closeOf(bomb);
    bomb.send('x'.repeat(100_000));
    assert.equal((await bombClosed).code, 1009);

    assert.ok((await fine.call('Heartbeat', {})).currentTime);
    await waitFor(() => server.connections.size === 1, 1000, 'the oversized connections to be forgotten');
    assert.deepEqual([...server.connections.keys()], ['CS-FINE']);
    assert.equal(accepted.all.length, 3);
  });
});

describe('graceful close', { timeout: SUITE_TIMEOUT_MS }, () => {
  test('server.close() sends 1001 to everyone, resolves after all closed and stops listening', async (t) => {
    const { url, server, accepted } = await startServer(t);
    const stations = [
      new v16.ChargePoint(await connectStation(t, { url, identity: 'CS-G1' })),
      new v16.ChargePoint(await connectStation(t, { url, identity: 'CS-G2' })),
    ];
    await accepted.next();
    await accepted.next();
    assert.equal(server.connections.size, 2);
    await server.close();
    for (const cp of stations) {
      assert.equal(await isPending(cp.closed), false, 'every station is closed when close() resolves');
      assert.equal((await cp.closed).code, 1001);
    }
    assert.equal(server.connections.size, 0);
    await assert.rejects(connect({ url, identity: 'CS-G3', protocols: ['ocpp1.6'], reconnect: false }), {
      code: 'ECONNREFUSED',
    });
  });

  test('a station that finishes authenticating while close() waits is refused; close() does not hang', async (t) => {
    let lateArrived: () => void = () => {};
    const arrived = new Promise<void>((resolve) => {
      lateArrived = resolve;
    });
    const { url, port, server, accepted } = await startServer(t, {
      authenticate: async ({ identity }) => {
        if (identity === 'CS-LATE') {
          lateArrived();
          await delay(100);
        }
        return true;
      },
    });
    // A peer that never answers the close frame keeps close() waiting for its timeout (400 ms)...
    const silent = await rawUpgrade(t, port, '/ocpp/CS-SILENT', { protocols: ['ocpp1.6'] });
    assert.equal(silent.status, 101);
    await accepted.next();
    // ...while another station's authenticate() completes inside that window.
    const outcome = connect({ url, identity: 'CS-LATE', protocols: ['ocpp1.6'], reconnect: false }).then(
      (client) => {
        defer(t, () => client.close());
        return client;
      },
      (error: unknown) => error,
    );
    await arrived;
    const started = Date.now();
    // Before the fix, the late station was accepted after close() had listed the connections to
    // close, and close() then waited for it forever.
    await within(server.close({ timeoutMs: 400 }), 2000, 'server.close()');
    assert.ok(Date.now() - started < 1500);
    const result = await outcome;
    assert.ok(result instanceof HandshakeError, `expected a refusal, got ${String(result)}`);
    assert.equal(result.status, 503);
    assert.equal(accepted.all.length, 1);
  });

  test('handleSignals: SIGTERM closes every connection with 1001 and exits with 0', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'ocppkit-signal-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const library = new URL('../src/index.js', import.meta.url).href;
    const script = join(dir, 'server.mjs');
    writeFileSync(
      script,
      [
        `import { createServer } from ${JSON.stringify(library)};`,
        `const server = createServer({ protocols: ['ocpp1.6'], handleSignals: true,`,
        `  onConnection: (c) => console.log('connected ' + c.identity) });`,
        `const address = await server.listen(0, '127.0.0.1');`,
        "console.log('port ' + address.port);",
        '',
      ].join('\n'),
    );
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    t.after(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const lines = child.stdout.setEncoding('utf8');
    const waitForLine = (pattern: RegExp) =>
      new Promise<RegExpMatchArray>((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(stdout);
          if (match) {
            lines.off('data', onData);
            resolve(match);
          }
        };
        const onData = (chunk: string) => {
          stdout += chunk;
          check();
        };
        lines.on('data', onData);
        void exited.then(() => reject(new Error(`child exited early: ${stdout}${stderr}`)));
        check();
      });
    const [, port] = await waitForLine(/port (\d+)/);
    const station = new v16.ChargePoint(
      await connectStation(t, { url: `ws://127.0.0.1:${port}/ocpp`, identity: 'CS-SIG' }),
    );
    await waitForLine(/connected CS-SIG/);
    child.kill('SIGTERM');
    assert.equal((await station.closed).code, 1001);
    const [exitCode, signal] = await exited;
    assert.equal(signal, null, stderr);
    assert.equal(exitCode, 0, stderr);
  });
});

describe('attaching to an existing http server', { timeout: SUITE_TIMEOUT_MS }, () => {
  test('WebSocket upgrades go to OCPP, plain HTTP requests still work', async (t) => {
    const http = createHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('status page');
    });
    const accepted = new ConnectionQueue();
    const server = createServer({
      protocols: ['ocpp1.6'],
      server: http,
      onConnection: (connection) => {
        accepted.push(connection);
        serveHeartbeats(connection);
      },
    });
    assert.throws(() => server.listen(0), { code: 'OCPP_ERR_BAD_OPTIONS' });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    t.after(async () => {
      await server.close({ timeoutMs: 1000 });
      await new Promise((resolve) => http.close(resolve));
    });
    const { port } = http.address() as { port: number };
    assert.equal(server.httpServer, http);

    const body = await new Promise<string>((resolve, reject) => {
      httpGet({ host: '127.0.0.1', port, path: '/health', agent: false }, (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve(`${response.statusCode} ${text}`));
      }).on('error', reject);
    });
    assert.equal(body, '200 status page');

    const station = new v16.ChargePoint(
      await connectStation(t, { url: `ws://127.0.0.1:${port}/ocpp`, identity: 'CS-ATT' }),
    );
    assert.equal((await accepted.next()).identity, 'CS-ATT');
    assert.ok((await station.call('Heartbeat', {})).currentTime);
    await server.close();
    assert.equal((await station.closed).code, 1001);
    assert.ok(http.listening, 'the http server we passed in is ours to close');
  });
});

describe('duplicate identity', { timeout: SUITE_TIMEOUT_MS }, () => {
  test('default: the new connection replaces the old one, which is closed with 1000', async (t) => {
    const { url, server, accepted } = await startServer(t, { onAccepted: serveHeartbeats });
    const first = new v16.ChargePoint(await connectStation(t, { url, identity: 'CS-DUP' }));
    const firstServerSide = await accepted.next();
    const second = new v16.ChargePoint(await connectStation(t, { url, identity: 'CS-DUP' }));
    const secondServerSide = await accepted.next();
    assert.equal((await first.closed).code, 1000);
    assert.notEqual(firstServerSide, secondServerSide);
    assert.equal(server.connections.get('CS-DUP'), secondServerSide);
    assert.ok((await second.call('Heartbeat', {})).currentTime);
    // The old connection's end must not evict the new one from the map.
    await delay(50);
    assert.equal(server.connections.get('CS-DUP'), secondServerSide);
    assert.equal(server.connections.size, 1);
  });

  test("duplicateIdentity: 'reject' answers 409 and keeps the first", async (t) => {
    const { url, server, accepted } = await startServer(t, {
      duplicateIdentity: 'reject',
      onAccepted: serveHeartbeats,
    });
    const first = new v16.ChargePoint(await connectStation(t, { url, identity: 'CS-DUP' }));
    const firstServerSide = await accepted.next();
    await assert.rejects(connect({ url, identity: 'CS-DUP', protocols: ['ocpp1.6'], reconnect: false }), {
      name: 'HandshakeError',
      status: 409,
    });
    assert.equal(server.connections.get('CS-DUP'), firstServerSide);
    assert.ok((await first.call('Heartbeat', {})).currentTime);
  });
});

describe('wiring a ChargePoint after onConnection', { timeout: SUITE_TIMEOUT_MS }, () => {
  test('messages the station sent before the ChargePoint existed are not lost', async (t) => {
    const { url } = await startServer(t, {
      onConnection: async (connection) => {
        await delay(150); // e.g. loading the station from a database
        const cp = new v16.ChargePoint(connection);
        cp.handle('BootNotification', () => ({
          status: 'Accepted' as const,
          currentTime: new Date().toISOString(),
          interval: 300,
        }));
      },
    });
    const ws = await openRaw(t, `${url}/CS-EARLY`, ['ocpp1.6']);
    const answers: unknown[] = [];
    ws.on('message', (data) => answers.push(JSON.parse(String(data))));
    // Sent at once, 150 ms before the server-side ChargePoint exists.
    ws.send('[2,"b1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]');
    await waitFor(() => answers.length === 1, 2000, 'the BootNotification answer');
    assert.equal((answers[0] as unknown[])[0], 3);
    assert.equal((answers[0] as unknown[])[1], 'b1');
    assert.equal(((answers[0] as unknown[])[2] as { status: string }).status, 'Accepted');
  });

  test('an onConnection that fails closes the connection with 1011', async (t) => {
    const { url } = await startServer(t, {
      onConnection: async () => {
        throw new Error('no such station in the database');
      },
    });
    const ws = await openRaw(t, `${url}/CS-FAIL`, ['ocpp1.6']);
    assert.equal((await closeOf(ws)).code, 1011);
  });
});
