/**
 * The boot storm's raw WebSocket client (bench/load/raw-websocket.ts) against a real `ws` server:
 * the upgrade with the subprotocol and permessage-deflate offered, text both ways at every length
 * encoding it writes (also several frames in one write), pings answered, a close from either side, and a refused upgrade reported.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { WebSocketServer, type WebSocket as WsSocket } from 'ws';
import { clientFrame, RawWebSocket, type RawWebSocketOptions } from '../bench/load/raw-websocket.js';

let server: WebSocketServer;
let url: string;
const accepted: Array<{ socket: WsSocket; path: string; extensions: string | undefined }> = [];

before(async () => {
  server = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    perMessageDeflate: { threshold: 1024 },
    handleProtocols: (offered) => (offered.has('ocpp1.6') ? 'ocpp1.6' : false),
    verifyClient: (info: { req: { url?: string } }) => !info.req.url?.endsWith('/REFUSED'),
  });
  server.on('connection', (socket, request) => {
    accepted.push({
      socket,
      path: request.url ?? '',
      extensions: request.headers['sec-websocket-extensions'],
    });
    // An echo, so the test sees what arrived.
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
  await new Promise((resolve) => server.once('listening', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ocpp`;
});

after(async () => {
  // A failed test may leave a connection open, which the server's close would wait for.
  for (const socket of server.clients) socket.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Opens a client; resolves once it is open, collecting texts and errors. */
async function open(path: string, extra: Partial<RawWebSocketOptions> = {}) {
  const texts: string[] = [];
  const errors: string[] = [];
  let ws!: RawWebSocket;
  await new Promise<void>((resolve, reject) => {
    ws = new RawWebSocket({
      url: `${url}/${path}`,
      protocol: 'ocpp1.6',
      localAddress: '127.0.0.2',
      onOpen: resolve,
      onText: (text) => texts.push(text),
      onError: (message) => {
        errors.push(message);
        reject(new Error(message));
      },
      ...extra,
    });
  });
  return { ws, texts, errors };
}

const until = async (check: () => boolean, what: string) => {
  const deadline = Date.now() + 3000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

test('upgrades with the subprotocol and deflate offered, and texts of every length come back intact', async () => {
  const { ws, texts, errors } = await open('CS-RAW-1');
  const server = accepted.at(-1)!;
  assert.equal(server.path, '/ocpp/CS-RAW-1');
  assert.equal(server.socket.protocol, 'ocpp1.6');
  assert.match(server.extensions ?? '', /^permessage-deflate/);
  // 7-bit and 16-bit lengths and both edges of the 7-bit one, all below the server's compression
  // threshold (1,024 bytes).
  const sent = [0, 1, 125, 126, 127, 1000, 1023].map((n) => 'x'.repeat(n));
  for (const text of sent) ws.send(text);
  await until(() => texts.length === sent.length, 'the echoes');
  assert.deepEqual(texts, sent);
  assert.deepEqual(errors, []);
  await ws.close();
  assert.ok(ws.isClosed);
  await until(() => server.socket.readyState === server.socket.CLOSED, 'the server to see the close');
});

test('frames sent together arrive as separate messages, in order', async () => {
  const { ws, texts, errors } = await open('CS-RAW-ALL');
  const sent = ['[2,"s0",{}]', 'x'.repeat(126), '', '[2,"s2",{}]'];
  ws.sendAll(sent);
  await until(() => texts.length === sent.length, 'the echoes');
  assert.deepEqual(texts, sent);
  assert.deepEqual(errors, []);
  await ws.close();
});

test('a compressed frame is refused rather than misread', async () => {
  const errors: string[] = [];
  const { ws } = await open('CS-RAW-2', { onError: (message) => errors.push(message) });
  ws.send('y'.repeat(2000));
  await until(() => errors.length > 0, 'the error');
  assert.deepEqual(errors, ['a compressed frame (RSV1)']);
});

test("the server's ping is answered with its payload, and its close closes the client", async () => {
  const { ws } = await open('CS-RAW-3');
  const server = accepted.at(-1)!;
  const pongs: string[] = [];
  server.socket.on('pong', (data) => pongs.push(data.toString()));
  server.socket.ping('are you there');
  await until(() => pongs.length > 0, 'the pong');
  assert.deepEqual(pongs, ['are you there']);
  const codes: number[] = [];
  server.socket.once('close', (code) => codes.push(code));
  server.socket.close(1001);
  await until(() => codes.length > 0, 'the server to see the close');
  assert.deepEqual(codes, [1001], 'the client answered the close frame with its code');
  await until(() => ws.isClosed, 'the client to close');
});

test('a refused upgrade is reported with its status line', async () => {
  const errors: string[] = [];
  await new Promise<void>((resolve) => {
    new RawWebSocket({
      url: `${url}/REFUSED`,
      protocol: 'ocpp1.6',
      onOpen: () => assert.fail('opened'),
      onText: () => {},
      onError: (message) => {
        errors.push(message);
        resolve();
      },
    });
  });
  assert.deepEqual(errors, ['HTTP/1.1 401 Unauthorized']);
});

test('client frames are masked, with the length in 7 or 16 bits', () => {
  assert.deepEqual(
    Buffer.from(clientFrame('ab'), 'latin1'),
    Buffer.from([0x81, 0x82, 0, 0, 0, 0, 0x61, 0x62]),
  );
  const long = Buffer.from(clientFrame('z'.repeat(300)), 'latin1');
  assert.deepEqual([...long.subarray(0, 8)], [0x81, 0xfe, 0x01, 0x2c, 0, 0, 0, 0]);
  assert.equal(long.length, 8 + 300);
  assert.throws(() => clientFrame('z'.repeat(70_000)), RangeError);
});
