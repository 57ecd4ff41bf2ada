/**
 * Answers that are ready together go out together (rpc/session.ts, transport/server-connection.ts
 * gatherWrites): a station that sent several CALLs at once, whose handlers finish in the same turn,
 * gets their answers in one socket write; an answer with no other CALL of its station pending is
 * written at once. Real sockets; the server's socket records how its writes reach the kernel.
 */
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { type TestContext, test } from 'node:test';
import { createServer } from '../src/transport/server.js';
import type { ServerConnection } from '../src/transport/server-connection.js';
import * as v16 from '../src/versions/v16.js';
import { connectRawPeer, type RawPeer } from './support/raw-peer.js';

/** Frames per write the server's socket handed to the kernel, in order. */
type Writes = number[];

interface Setup {
  readonly peer: RawPeer;
  readonly writes: Writes;
  /** Resolves the StatusNotification handlers waiting so far, all in one turn. */
  readonly release: () => void;
  /** StatusNotification handlers started and not yet released. */
  readonly waiting: () => number;
}

async function setup(t: TestContext): Promise<Setup> {
  const writes: Writes = [];
  let gate: { promise: Promise<void>; open: () => void } | undefined;
  let waiting = 0;
  const newGate = () => {
    let open = () => {};
    const promise = new Promise<void>((resolve) => {
      open = resolve;
    });
    return { promise, open };
  };
  const server = createServer({
    protocols: ['ocpp1.6'],
    onConnection: (connection: ServerConnection) => {
      const socket = connection.request.socket as Socket & {
        _write(chunk: unknown, encoding: unknown, cb: unknown): void;
        _writev(chunks: unknown[], cb: unknown): void;
      };
      const write = socket._write.bind(socket);
      const writev = socket._writev.bind(socket);
      socket._write = (chunk, encoding, cb) => {
        writes.push(1);
        write(chunk, encoding, cb);
      };
      socket._writev = (chunks, cb) => {
        writes.push(chunks.length);
        writev(chunks, cb);
      };
      const cp = new v16.ChargePoint(connection);
      cp.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
      cp.handle('StatusNotification', async () => {
        gate ??= newGate();
        waiting += 1;
        await gate.promise;
        return {};
      });
    },
  });
  const { port } = await server.listen(0, '127.0.0.1');
  t.after(() => server.close({ timeoutMs: 1000 }));
  const peer = await connectRawPeer(`ws://127.0.0.1:${port}/ocpp/CS-GATHER`, 'ocpp1.6');
  t.after(() => peer.close());
  return {
    peer,
    writes,
    release: () => {
      const current = gate;
      gate = undefined;
      waiting = 0;
      current?.open();
    },
    waiting: () => waiting,
  };
}

const status = (id: string, connectorId: number) => [
  2,
  id,
  'StatusNotification',
  { connectorId, errorCode: 'NoError', status: 'Available' },
];

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(check(), 'timed out');
}

test('answers of CALLs handled together leave in one write, in order', async (t) => {
  const { peer, writes, release, waiting } = await setup(t);
  for (const [i, id] of ['s0', 's1', 's2'].entries()) peer.send(status(id, i));
  await until(() => waiting() === 3);
  writes.length = 0;
  release();
  for (const id of ['s0', 's1', 's2']) assert.deepEqual(JSON.parse(await peer.nextMessage()), [3, id, {}]);
  assert.deepEqual(writes, [3]);
});

test('an answer with nothing else pending is written at once, on its own', async (t) => {
  const { peer, writes, release, waiting } = await setup(t);
  writes.length = 0;
  peer.send([2, 'h1', 'Heartbeat', {}]);
  assert.equal(JSON.parse(await peer.nextMessage())[1], 'h1');
  peer.send(status('s0', 0));
  await until(() => waiting() === 1);
  release();
  assert.deepEqual(JSON.parse(await peer.nextMessage()), [3, 's0', {}]);
  assert.deepEqual(writes, [1, 1]);
});

test('an answer gathered while another CALL is pending still leaves in its own turn', async (t) => {
  const { peer, writes, release, waiting } = await setup(t);
  peer.send(status('s0', 0));
  await until(() => waiting() === 1);
  writes.length = 0;
  // s0 is still being handled: the Heartbeat's answer is gathered, and must not wait for s0's.
  peer.send([2, 'h1', 'Heartbeat', {}]);
  assert.equal(JSON.parse(await peer.nextMessage())[1], 'h1');
  assert.deepEqual(writes, [1]);
  release();
  assert.deepEqual(JSON.parse(await peer.nextMessage()), [3, 's0', {}]);
  assert.deepEqual(writes, [1, 1]);
});
