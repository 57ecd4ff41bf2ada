/**
 * What an idle connection keeps, on real sockets: the upgrade request only while `onConnection`
 * runs, the pino child only once something logs or reads `cp.logger`, the `closed` promise only
 * once asked for. And the `backlog` option reaching `listen()`, and a transport of one's own still
 * getting events it may spread.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { describe, type TestContext, test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pino } from 'pino';
import {
  connect,
  createServer,
  OcppError,
  type OcppServerOptions,
  type ServerConnection,
  type Transport,
} from '../src/index.js';
import * as v16 from '../src/versions/v16.js';
import { connectRawPeer, deferred } from './support/raw-peer.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const routes = new v16.Routes().handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));

async function start(t: TestContext, options: Omit<OcppServerOptions, 'protocols'>) {
  const server = createServer({ protocols: ['ocpp1.6'], pingIntervalMs: 0, ...options });
  const { port } = await server.listen(0, '127.0.0.1');
  t.after(() => server.close({ timeoutMs: 1000 }));
  return { server, url: `ws://127.0.0.1:${port}/ocpp` };
}

function isReleased(error: unknown): boolean {
  return error instanceof OcppError && error.code === 'OCPP_ERR_REQUEST_RELEASED';
}

describe('the upgrade request', () => {
  test('is readable in onConnection, then let go: the connection does not keep it alive', async (t) => {
    let requestRef: WeakRef<IncomingMessage> | undefined;
    let connection: ServerConnection | undefined;
    const { url } = await start(t, {
      onConnection(accepted) {
        connection = accepted;
        requestRef = new WeakRef(accepted.request);
        assert.equal(accepted.request.headers['sec-websocket-protocol'], 'ocpp1.6');
        new v16.ChargePoint(accepted, { routes });
      },
    });
    const peer = await connectRawPeer(`${url}/KEEPS-NOTHING`, 'ocpp1.6');
    t.after(() => peer.close());
    assert.deepEqual((await peer.call('hb', 'Heartbeat', {})).slice(0, 2), [3, 'hb']);
    assert.ok(connection?.connected);
    assert.equal(connection.url, '/ocpp/KEEPS-NOTHING');
    assert.equal(connection.remoteAddress, '127.0.0.1');
    assert.throws(() => connection?.request, isReleased);
    for (let i = 0; i < 5 && requestRef?.deref(); i++) {
      await tick();
      gc();
    }
    assert.equal(requestRef?.deref(), undefined, 'the IncomingMessage was collected');
  });

  test('an async onConnection may read it until its promise settles', async (t) => {
    const seen: string[] = [];
    let connection: ServerConnection | undefined;
    const settled = deferred();
    const { url } = await start(t, {
      async onConnection(accepted) {
        connection = accepted;
        await tick();
        seen.push(accepted.request.url ?? '');
        new v16.ChargePoint(accepted, { routes });
        settled.resolve();
      },
    });
    const peer = await connectRawPeer(`${url}/ASYNC`, 'ocpp1.6');
    t.after(() => peer.close());
    await settled.promise;
    await tick();
    assert.deepEqual(seen, ['/ocpp/ASYNC']);
    assert.throws(() => connection?.request, isReleased);
  });
});

test('the ChargePoint makes its pino child only when it logs or cp.logger is read', async (t) => {
  const lines: Array<Record<string, unknown>> = [];
  const parent = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  let children = 0;
  const child = parent.child.bind(parent);
  parent.child = ((...args: Parameters<typeof child>) => {
    children += 1;
    return child(...args);
  }) as typeof parent.child;
  const made: v16.ChargePoint[] = [];
  const { url } = await start(t, {
    onConnection: (connection) => void made.push(new v16.ChargePoint(connection, { routes, logger: parent })),
  });
  const peer = await connectRawPeer(`${url}/QUIET`, 'ocpp1.6');
  t.after(() => peer.close());
  await peer.call('hb', 'Heartbeat', {});
  assert.equal(children, 0, 'answering a CALL made no child logger');
  // A warning makes it, with the bindings it always had.
  peer.send([3, 'unknown-id', {}]);
  while (lines.length === 0) await tick();
  assert.equal(children, 1);
  assert.deepEqual([lines[0]?.identity, lines[0]?.protocol], ['QUIET', 'ocpp1.6']);
  const cp = made[0]!;
  assert.equal(cp.logger, cp.logger);
  assert.equal(children, 1, 'one child, made once');
});

test('closed resolves with the close, also when first read after the connection ended', async (t) => {
  let cp: v16.ChargePoint | undefined;
  const { url } = await start(t, {
    onConnection: (connection) => {
      cp = new v16.ChargePoint(connection, { routes });
    },
  });
  const peer = await connectRawPeer(`${url}/CLOSES`, 'ocpp1.6');
  await peer.call('hb', 'Heartbeat', {});
  await peer.close(4000);
  while (cp?.connected) await tick();
  await tick();
  assert.deepEqual(await cp?.closed, { code: 4000, reason: '' });
  assert.equal(cp?.closed, cp?.closed, 'the same promise each time');
  await assert.rejects(
    cp!.call('ChangeAvailability', { connectorId: 0, type: 'Operative' }),
    (error: unknown) => {
      return error instanceof OcppError && error.code === 'OCPP_ERR_CONNECTION_CLOSED';
    },
  );
});

describe('backlog', () => {
  test('reaches listen(): the kernel reports it for the listening socket, and stations connect', async (t) => {
    const { server, url } = await start(t, {
      backlog: 1234,
      onConnection: (connection) => void new v16.ChargePoint(connection, { routes }),
    });
    const port = Number(new URL(url).port);
    // Linux lists a listening socket's backlog, capped at net.core.somaxconn, as its Send-Q.
    const listed = await listenQueueOf(port);
    if (listed !== undefined) assert.equal(listed, Math.min(1234, somaxconn() ?? 1234));
    const transport = await connect({ url, identity: 'BACKLOG', protocols: ['ocpp1.6'], reconnect: false });
    const station = new v16.ChargePoint(transport);
    t.after(() => station.close());
    assert.ok((await station.call('Heartbeat', {})).currentTime);
    assert.ok(server.connections.has('BACKLOG'));
  });

  test('is refused when it is not a positive integer, or with a server of your own', () => {
    const onConnection = () => {};
    const refused = (error: unknown) => error instanceof OcppError && error.code === 'OCPP_ERR_BAD_OPTIONS';
    assert.throws(() => createServer({ onConnection, backlog: 0 }), refused);
    assert.throws(() => createServer({ onConnection, backlog: 1.5 }), refused);
    assert.throws(() => createServer({ onConnection, backlog: 100, server: createHttpServer() }), refused);
  });
});

/** The Send-Q of the listening socket on `port` from `ss`, or undefined where `ss` is not there. */
function listenQueueOf(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    execFile('ss', ['-ltnH', `sport = :${port}`], (error, stdout) => {
      const sendQ = error ? undefined : Number(stdout.trim().split(/\s+/)[2]);
      resolve(Number.isFinite(sendQ) ? sendQ : undefined);
    });
  });
}

function somaxconn(): number | undefined {
  try {
    return Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
  } catch {
    return undefined;
  }
}

test('a transport of your own may copy or spread the events it is given', async (t) => {
  const { url } = await start(t, {
    onConnection: (connection) => void new v16.ChargePoint(connection, { routes }),
  });
  const inner = await connect({ url, identity: 'WRAPPED', protocols: ['ocpp1.6'], reconnect: false });
  let connectedEvents = 0;
  // As a station simulator does to see reconnects: a wrapper that spreads the session's events.
  const wrapper: Transport = {
    identity: inner.identity,
    protocol: inner.protocol,
    get connected() {
      return inner.connected;
    },
    send: (text) => inner.send(text),
    close: (code, reason) => inner.close(code, reason),
    attach: (events) =>
      inner.attach({
        ...events,
        connected: () => {
          connectedEvents += 1;
          events.connected();
        },
      }),
  };
  const station = new v16.ChargePoint(wrapper);
  t.after(() => station.close());
  assert.ok((await station.call('Heartbeat', {})).currentTime);
  await station.close();
  assert.deepEqual(await station.closed, { code: 1000, reason: '' });
  assert.equal(connectedEvents, 1, 'the first open, replayed when the session attached');
});
