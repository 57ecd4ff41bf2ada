/**
 * The server's text frames written in one socket write (src/transport/frame-writer.ts), over real
 * sockets to a `ws` client: every frame arrives as sent and in order, whichever way it went, and the
 * direct way is taken exactly where ws would have sent the same bytes.
 */
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { describe, type TestContext, test } from 'node:test';
import { DIRECT_WRITE_MAX_BYTES } from '../src/transport/frame-writer.js';
import { createServer } from '../src/transport/server.js';
import type { ServerConnection } from '../src/transport/server-connection.js';
import { connectRawPeer, type RawPeer } from './support/raw-peer.js';

interface Setup {
  readonly connection: ServerConnection;
  readonly peer: RawPeer;
  /** Texts the server's socket was given as one latin1 string: the frames written directly. */
  readonly direct: string[];
}

/**
 * A library server and one raw client (which offers permessage-deflate, as ws does by default); the
 * server's socket records its latin1 writes.
 */
async function setup(t: TestContext, perMessageDeflate: boolean): Promise<Setup> {
  const direct: string[] = [];
  let accepted: (connection: ServerConnection) => void;
  const connected = new Promise<ServerConnection>((resolve) => {
    accepted = resolve;
  });
  const server = createServer({
    protocols: ['ocpp2.0.1'],
    perMessageDeflate,
    onConnection: (connection) => {
      const socket = connection.request.socket as Socket;
      const write = socket.write.bind(socket) as (chunk: unknown, encoding?: unknown) => boolean;
      socket.write = ((chunk: unknown, encoding?: unknown) => {
        // A frame's header is 2 or 4 bytes; what follows is the payload.
        if (encoding === 'latin1' && typeof chunk === 'string')
          direct.push(chunk.slice(chunk.length < 128 ? 2 : 4));
        return write(chunk, encoding);
      }) as Socket['write'];
      accepted(connection);
    },
  });
  const { port } = await server.listen(0, '127.0.0.1');
  t.after(() => server.close({ timeoutMs: 1000 }));
  const peer = await connectRawPeer(`ws://127.0.0.1:${port}/ocpp/CS-FRAMES`, 'ocpp2.0.1');
  t.after(() => peer.close());
  assert.equal(peer.ws.extensions !== '', perMessageDeflate);
  return { connection: await connected, peer, direct };
}

/** An ASCII JSON frame of exactly `length` characters. */
function asciiFrame(length: number): string {
  const head = '[3,"id",{"data":"';
  const tail = '"}]';
  return head + 'x'.repeat(Math.max(0, length - head.length - tail.length)) + tail;
}

const SIZES = [20, 125, 126, 127, 1000, DIRECT_WRITE_MAX_BYTES, DIRECT_WRITE_MAX_BYTES + 1, 70_000];

describe('text frames written in one socket write', () => {
  for (const perMessageDeflate of [true, false]) {
    test(`every size arrives as sent, direct exactly for ASCII below ${DIRECT_WRITE_MAX_BYTES + 1} bytes (permessage-deflate ${perMessageDeflate ? 'on' : 'off'})`, async (t) => {
      const { connection, peer, direct } = await setup(t, perMessageDeflate);
      const ascii = SIZES.map(asciiFrame);
      const other = ['[3,"id",{"text":"Größe"}]', `[3,"id",{"text":"${'€'.repeat(100)}"}]`];
      // Sizes in ascending order: once ws compresses one (permessage-deflate on), the rest queue behind it.
      const sent = ['', ...ascii, ...other];
      for (const text of sent) assert.equal(connection.send(text), true);
      for (const text of sent) assert.equal(await peer.nextMessage(), text);
      const expectedDirect = ['', ...ascii.filter((text) => text.length <= DIRECT_WRITE_MAX_BYTES)];
      assert.deepEqual(direct, expectedDirect);
      // The 16-bit length is the only other header: a frame of 126 bytes and up used it.
      assert.ok(direct.some((text) => text.length >= 126));
    });
  }

  test('a small frame never overtakes a large one that ws is still compressing', async (t) => {
    const { connection, peer, direct } = await setup(t, true);
    const large = `[3,"big",{"data":"${'abc'.repeat(100_000)}"}]`;
    const small = Array.from({ length: 20 }, (_, i) => `[3,"s${i}",{}]`);
    connection.send(large);
    for (const text of small) connection.send(text);
    assert.equal(await peer.nextMessage(), large);
    for (const text of small) assert.equal(await peer.nextMessage(), text);
    // They went behind it through ws's queue; once ws is idle again, the direct way is back.
    assert.deepEqual(direct, []);
    connection.send(small[0] as string);
    assert.equal(await peer.nextMessage(), small[0]);
    assert.deepEqual(direct, [small[0]]);
  });

  test('send() on a closed connection writes nothing and says so', async (t) => {
    const { connection, peer, direct } = await setup(t, true);
    await peer.close();
    await new Promise<void>((resolve) => connection.whenEnded(resolve));
    assert.equal(connection.send('[3,"late",{}]'), false);
    assert.deepEqual(direct, []);
  });
});
