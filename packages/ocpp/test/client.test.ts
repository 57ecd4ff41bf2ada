/**
 * The charging-station side of the socket over real sockets: reconnecting with the OCPP back-off,
 * the call queue across a reconnect, closing for good, Basic Auth and refused handshakes.
 *
 * The CSMS sits behind a "gateway" port that logs the time of every upgrade attempt and either hands
 * it to the OCPP server or answers 503 (the CSMS is "down"), so the test sees every reconnect attempt.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { describe, type TestContext, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import {
  type ClientConnection,
  type ConnectOptions,
  connect,
  createServer,
  HandshakeError,
  OcppError,
  type OcppServerOptions,
  type ServerConnection,
} from '../src/index.js';
import * as v16 from '../src/versions/v16.js';

/** A broken behaviour must fail a test, not hang the run. */
const SUITE_TIMEOUT_MS = 10_000;

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

/** Hands out accepted connections in order, waiting for the next one when none is there yet. */
class ConnectionQueue {
  readonly #items: ServerConnection[] = [];
  readonly #waiters: Array<(connection: ServerConnection) => void> = [];
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

interface Gateway {
  readonly url: string;
  /** Whether upgrades reach the OCPP server (true) or are answered 503 (false). */
  up: boolean;
  /** `performance.now()` of every upgrade attempt, in order. */
  readonly attempts: number[];
  readonly accepted: ConnectionQueue;
}

async function startGateway(
  t: TestContext,
  options: Partial<OcppServerOptions> & { onAccepted?: (connection: ServerConnection) => void } = {},
): Promise<Gateway> {
  const { onAccepted, ...serverOptions } = options;
  const accepted = new ConnectionQueue();
  // The OCPP server is attached to an http server that never listens; the gateway feeds it upgrades.
  const inner = createHttpServer();
  const ocpp = createServer({
    protocols: ['ocpp1.6'],
    server: inner,
    onConnection: (connection) => {
      accepted.push(connection);
      onAccepted?.(connection);
    },
    ...serverOptions,
  });
  const outer = createHttpServer();
  const gateway: Gateway = { url: '', up: true, attempts: [], accepted };
  outer.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    gateway.attempts.push(performance.now());
    if (gateway.up) inner.emit('upgrade', request, socket, head);
    else socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve) => outer.listen(0, '127.0.0.1', resolve));
  defer(t, async () => {
    await ocpp.close({ timeoutMs: 1000 });
    await new Promise((resolve) => outer.close(resolve));
  });
  return Object.assign(gateway, { url: `ws://127.0.0.1:${(outer.address() as AddressInfo).port}/ocpp` });
}

async function connectStation(
  t: TestContext,
  options: Partial<ConnectOptions> & Pick<ConnectOptions, 'url' | 'identity'>,
): Promise<ClientConnection> {
  const client = await connect({ protocols: ['ocpp1.6'], ...options });
  defer(t, () => client.close());
  return client;
}

/** Server side: answers Heartbeat and echoes DataTransfer data, recording it in `received`. */
function serveStation(received: string[]) {
  return (connection: ServerConnection): void => {
    const cp = new v16.ChargePoint(connection);
    cp.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    cp.handle('DataTransfer', (request) => {
      received.push(request.data ?? '');
      // Drop the socket while this CALL is outstanding; it is never answered.
      if (request.data === 'hang') {
        void connection.close(1000, 'dropped by the test');
        return new Promise<never>(() => {});
      }
      return { status: 'Accepted', data: request.data };
    });
  };
}

async function waitFor(predicate: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(5);
  }
}

function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Asserts a measured wait: timers never fire early, but may fire late on a busy machine. The slack
 * (120 ms) stays below every gap the assertions tell apart (50 vs 200, 200 vs 400).
 */
function assertWait(actual: number, expected: number, label: string): void {
  assert.ok(
    actual >= expected - 5 && actual <= expected + 120,
    `${label}: waited ${actual.toFixed(0)} ms, expected about ${expected} ms`,
  );
}

// ---------------------------------------------------------------------------------------------

describe('reconnecting (OCPP-J 2.0.1 Part 4 §5.3)', { timeout: SUITE_TIMEOUT_MS }, () => {
  test('the wait doubles repeatTimes times, then stays; it resets after a successful connection', async (t) => {
    const gateway = await startGateway(t);
    const station = await connectStation(t, {
      url: gateway.url,
      identity: 'CS-BACKOFF',
      reconnect: { minWaitMs: 50, randomRangeMs: 0, repeatTimes: 2 },
    });
    // The station schedules its first retry in the same tick as it reports the disconnect.
    const drops: number[] = [];
    new v16.ChargePoint(station).onDisconnect(() => drops.push(performance.now()));
    const first = await gateway.accepted.next();

    // The CSMS goes down and drops the station.
    gateway.up = false;
    let seen = gateway.attempts.length;
    await first.close(1001, 'going down');
    await waitFor(() => gateway.attempts.length >= seen + 4, 3000, 'four reconnect attempts');
    gateway.up = true;
    await within(gateway.accepted.next(), 2000, 'the reconnection once the CSMS is back');
    const outage = [drops[0]!, ...gateway.attempts.slice(seen)];
    const waits = outage.slice(1).map((at, i) => at - outage[i]!);
    assert.equal(waits.length, 5, 'four refused attempts, then the successful one');
    assertWait(waits[0]!, 50, 'first retry');
    assertWait(waits[1]!, 100, 'second retry (doubled)');
    assertWait(waits[2]!, 200, 'third retry (doubled again)');
    assertWait(waits[3]!, 200, 'fourth retry (doubled only repeatTimes = 2 times, not 400)');
    assertWait(waits[4]!, 200, 'fifth retry');

    // Connected again: the next outage starts over at the minimum wait (not at 200).
    const second = gateway.accepted.all.at(-1)!;
    gateway.up = false;
    seen = gateway.attempts.length;
    await second.close(1001, 'going down again');
    await waitFor(() => gateway.attempts.length >= seen + 2, 3000, 'two reconnect attempts');
    gateway.up = true;
    const again = [drops[1]!, ...gateway.attempts.slice(seen, seen + 2)];
    assertWait(again[1]! - again[0]!, 50, 'first retry after a successful connection');
    assertWait(again[2]! - again[1]!, 100, 'second retry after a successful connection');
    await within(gateway.accepted.next(), 2000, 'the second reconnection');
  });

  test('after simulateNetworkFailure() the station reconnects and its ChargePoint carries on', async (t) => {
    const received: string[] = [];
    const gateway = await startGateway(t, { onAccepted: serveStation(received) });
    const station = await connectStation(t, {
      url: gateway.url,
      identity: 'CS-NETFAIL',
      reconnect: { minWaitMs: 30, randomRangeMs: 0 },
    });
    const cp = new v16.ChargePoint(station);
    const disconnects: number[] = [];
    cp.onDisconnect(({ code }) => disconnects.push(code));
    const first = await gateway.accepted.next();
    const firstEnded = new Promise<void>((resolve) => first.whenEnded(resolve));
    station.simulateNetworkFailure();
    await within(firstEnded, 2000, 'the server noticing the drop');
    const second = await within(gateway.accepted.next(), 2000, 'the reconnection');
    assert.equal(second.identity, 'CS-NETFAIL');
    assert.ok((await cp.call('Heartbeat', {})).currentTime);
    assert.deepEqual(disconnects, [1006]);
    assert.equal(cp.connected, true);
  });
});

describe('calls across a reconnect', { timeout: SUITE_TIMEOUT_MS }, () => {
  test('the in-flight call rejects; calls made while disconnected go out in order after reconnect', async (t) => {
    const received: string[] = [];
    const gateway = await startGateway(t, { onAccepted: serveStation(received) });
    const station = await connectStation(t, {
      url: gateway.url,
      identity: 'CS-QUEUE',
      reconnect: { minWaitMs: 250, randomRangeMs: 0 },
    });
    // Shorter than the outage: a call's timeout starts when it is sent, not when it is queued.
    const cp = new v16.ChargePoint(station, { callTimeoutMs: 150 });
    assert.deepEqual(await cp.call('DataTransfer', { vendorId: 'V', data: 'one' }), {
      status: 'Accepted',
      data: 'one',
    });
    await assert.rejects(cp.call('DataTransfer', { vendorId: 'V', data: 'hang' }), (error: unknown) => {
      assert.ok(error instanceof OcppError);
      assert.equal(error.code, 'OCPP_ERR_CONNECTION_CLOSED');
      return true;
    });
    assert.equal(cp.connected, false);
    const queued = ['q1', 'q2', 'q3'].map((data) => cp.call('DataTransfer', { vendorId: 'V', data }));
    const answers = await within(Promise.all(queued), 3000, 'the queued calls');
    assert.deepEqual(
      answers.map((a) => a.data),
      ['q1', 'q2', 'q3'],
    );
    assert.deepEqual(received, ['one', 'hang', 'q1', 'q2', 'q3']);
    assert.equal(gateway.accepted.all.length, 2);
    const [before, after] = gateway.accepted.all;
    assert.equal(before?.connected, false);
    assert.equal(after?.connected, true);
  });

  test('close() ends for good: queued calls reject, no reconnect, later calls reject', async (t) => {
    const received: string[] = [];
    const gateway = await startGateway(t, { onAccepted: serveStation(received) });
    const station = await connectStation(t, {
      url: gateway.url,
      identity: 'CS-CLOSE',
      reconnect: { minWaitMs: 50, randomRangeMs: 0 },
    });
    const cp = new v16.ChargePoint(station);
    const dropped = new Promise<void>((resolve) => cp.onDisconnect(() => resolve()));
    await (await gateway.accepted.next()).close(1001, 'going down');
    await dropped;
    const queued = cp.call('Heartbeat', {});
    await station.close();
    await assert.rejects(within(queued, 1000, 'rejecting the queued call'), {
      code: 'OCPP_ERR_CONNECTION_CLOSED',
    });
    await within(cp.closed, 1000, 'cp.closed');
    const attempts = gateway.attempts.length;
    await delay(250);
    assert.equal(gateway.attempts.length, attempts, 'no reconnect attempt after close()');
    assert.equal(gateway.accepted.all.length, 1);
    await assert.rejects(within(cp.call('Heartbeat', {}), 1000, 'rejecting a call after close()'), {
      code: 'OCPP_ERR_CONNECTION_CLOSED',
    });
    assert.deepEqual(received, []);
  });

  test('close() while connected sends a close frame and does not reconnect', async (t) => {
    const gateway = await startGateway(t);
    const station = await connectStation(t, {
      url: gateway.url,
      identity: 'CS-BYE',
      reconnect: { minWaitMs: 20, randomRangeMs: 0 },
    });
    const serverSide = await gateway.accepted.next();
    const ended = new Promise<void>((resolve) => serverSide.whenEnded(resolve));
    await station.close(1000, 'bye');
    await within(ended, 1000, 'the server seeing the close');
    await delay(100);
    assert.equal(gateway.attempts.length, 1);
  });
});

describe('handshake', { timeout: SUITE_TIMEOUT_MS }, () => {
  test('Basic Auth: the client sends identity:password', async (t) => {
    const seen: Array<{ username: string | undefined; password: string | undefined }> = [];
    const gateway = await startGateway(t, {
      authenticate: ({ username, password }) => {
        seen.push({ username, password });
        return password === 'correct-horse-battery:staple';
      },
    });
    await connectStation(t, {
      url: gateway.url,
      identity: 'CS-BASIC',
      password: 'correct-horse-battery:staple',
      reconnect: false,
    });
    assert.equal((await gateway.accepted.next()).identity, 'CS-BASIC');
    assert.deepEqual(seen, [{ username: 'CS-BASIC', password: 'correct-horse-battery:staple' }]);
  });

  test('an unknown station gets HandshakeError 404, and a failed first attempt is not retried', async (t) => {
    const gateway = await startGateway(t, {
      authenticate: ({ identity }) => (identity === 'CS-KNOWN' ? true : { accept: false, status: 404 }),
    });
    const error = await connect({
      url: gateway.url,
      identity: 'CS-UNKNOWN',
      protocols: ['ocpp1.6'],
      reconnect: { minWaitMs: 20, randomRangeMs: 0 },
    }).then(
      (client) => {
        defer(t, () => client.close());
        return assert.fail('connect() must reject');
      },
      (e: unknown) => e,
    );
    assert.ok(error instanceof HandshakeError, String(error));
    assert.ok(error instanceof OcppError);
    assert.equal(error.status, 404);
    assert.equal(error.code, 'OCPP_ERR_CONNECTION_CLOSED');
    await delay(150);
    assert.equal(gateway.attempts.length, 1, 'connect() does not retry a refused first attempt');
  });

  test('no common subprotocol: connect() rejects with HandshakeError', async (t) => {
    const gateway = await startGateway(t, { protocols: ['ocpp2.0.1'] });
    const error = await connect({
      url: gateway.url,
      identity: 'CS-OLD',
      protocols: ['ocpp1.6'],
      reconnect: false,
    }).then(
      (client) => {
        defer(t, () => client.close());
        return assert.fail('connect() must reject');
      },
      (e: unknown) => e,
    );
    assert.ok(error instanceof HandshakeError, String(error));
    assert.match(error.message, /none of the offered subprotocols/);
  });

  test('a CSMS that is not listening: connect() rejects at once', async () => {
    const probe = createHttpServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    await assert.rejects(
      connect({ url: `ws://127.0.0.1:${port}/ocpp`, identity: 'CS-NOBODY', protocols: ['ocpp1.6'] }),
      { code: 'ECONNREFUSED' },
    );
  });
});
