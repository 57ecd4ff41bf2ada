/**
 * The RPC session seen from the wire: one outstanding CALL per direction, timeouts and aborts,
 * validation both ways (and switching it off), and the OCPP 2.1 CALLRESULTERROR / SEND frames.
 * The library speaks on one side, a raw `ws` peer (or a library client) on the other.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { ChargePoint } from '../src/charge-point.js';
import { CallErrorResponse, OcppError, ValidationError } from '../src/errors/errors.js';
import { connect } from '../src/transport/client.js';
import * as v21 from '../src/versions/v21.js';
import {
  connectRawPeer,
  type LibraryServer,
  type LooseActionMap,
  type LooseChargePoint,
  type RawPeer,
  startLibraryServer,
  startRawServer,
} from './support/raw-peer.js';

const VERSIONS = ['ocpp1.6', 'ocpp2.0.1'] as const;

/** Asserts that `promise` rejects with an `OcppError` of `code`, and returns the error. */
async function rejectsWith(promise: Promise<unknown>, code: string): Promise<OcppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof OcppError, `not an OcppError: ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected a rejection with ${code}`);
}

/** True once `promise` has settled (checked after pending I/O callbacks ran). */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

let identityCounter = 0;
/** A fresh raw station on `server` and the server's ChargePoint for it. */
async function station(
  server: LibraryServer<LooseChargePoint>,
  protocol: string,
): Promise<{ peer: RawPeer; cp: LooseChargePoint }> {
  identityCounter += 1;
  const identity = `ST-${identityCounter}`;
  const peer = await connectRawPeer(`${server.url}/${identity}`, protocol);
  return { peer, cp: await server.chargePoint(identity) };
}

for (const protocol of VERSIONS) {
  describe(`RPC session on ${protocol}`, () => {
    let server: LibraryServer<LooseChargePoint>;
    const peers: RawPeer[] = [];
    const open = async () => {
      const s = await station(server, protocol);
      peers.push(s.peer);
      return s;
    };

    before(async () => {
      server = await startLibraryServer({
        protocols: [protocol],
        setup(cp, connection) {
          cp.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
          // The one station whose DataTransfer is handled without validation.
          if (connection.identity.endsWith('-lenient')) {
            cp.handle('DataTransfer', (request) => ({ status: 'Whatever', echo: request }), {
              validate: false,
            });
          }
        },
      });
    });

    after(async () => {
      for (const peer of peers) await peer.close();
      await server.close();
    });

    describe('one outstanding CALL per direction', () => {
      test('three calls at once go out one by one, in order', async () => {
        const { peer, cp } = await open();
        const results = ['one', 'two', 'three'].map((vendorId) => cp.call('DataTransfer', { vendorId }));
        const ids = new Set<string>();
        for (const [index, vendorId] of ['one', 'two', 'three'].entries()) {
          const frame = await peer.nextFrame();
          assert.deepEqual([frame[0], frame[2], frame[3]], [2, 'DataTransfer', { vendorId }]);
          const id = frame[1] as string;
          assert.ok(id.length > 0 && id.length <= 36);
          ids.add(id);
          // Nothing else goes out while this CALL waits for its answer.
          await peer.expectSilence(80);
          peer.send([3, id, { status: 'Accepted', data: String(index) }]);
        }
        assert.equal(ids.size, 3, 'message ids are unique');
        assert.deepEqual(
          (await Promise.all(results)).map((r) => r.data),
          ['0', '1', '2'],
        );
      });

      test('an incoming CALL is answered while our own CALL is pending', async () => {
        const { peer, cp } = await open();
        const pending = cp.call('DataTransfer', { vendorId: 'slowpoke' });
        const outgoing = await peer.nextFrame();
        const answer = await peer.call('in-1', 'Heartbeat', {});
        assert.deepEqual(answer.slice(0, 2), [3, 'in-1']);
        assert.equal(await isSettled(pending), false);
        peer.send([3, outgoing[1], { status: 'Accepted' }]);
        assert.deepEqual(await pending, { status: 'Accepted' });
      });

      test('station side: a library client queues its CALLs too and answers the CSMS meanwhile', async () => {
        const csms = await startRawServer(protocol);
        const transport = await connect({
          url: csms.url,
          identity: 'QUEUE-1',
          protocols: [protocol],
          reconnect: false,
        });
        const raw = await csms.nextPeer();
        const stationSide = new ChargePoint<LooseActionMap>(transport);
        stationSide.handle('Heartbeat', () => ({ currentTime: '2025-01-01T00:00:00Z' }));
        try {
          const first = stationSide.call('Heartbeat', {});
          const second = stationSide.call('DataTransfer', { vendorId: 'second' });
          const firstFrame = await raw.nextFrame();
          assert.deepEqual([firstFrame[0], firstFrame[2]], [2, 'Heartbeat']);
          await raw.expectSilence(60);
          // The CSMS's own CALL crosses ours: the station answers it at once.
          assert.deepEqual(await raw.call('csms-1', 'Heartbeat', {}), [
            3,
            'csms-1',
            { currentTime: '2025-01-01T00:00:00Z' },
          ]);
          raw.send([3, firstFrame[1], { currentTime: '2025-01-01T00:00:01Z' }]);
          assert.deepEqual(await first, { currentTime: '2025-01-01T00:00:01Z' });
          const secondFrame = await raw.nextFrame();
          assert.deepEqual(secondFrame.slice(2), ['DataTransfer', { vendorId: 'second' }]);
          raw.send([3, secondFrame[1], { status: 'Accepted' }]);
          assert.deepEqual(await second, { status: 'Accepted' });
        } finally {
          await stationSide.close();
          await csms.close();
        }
      });

      test('a handler that awaits its own CALL to the peer completes (no deadlock)', async () => {
        const boot =
          protocol === 'ocpp1.6'
            ? { chargePointVendor: 'V', chargePointModel: 'M' }
            : { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } };
        const csms = await startLibraryServer({
          protocols: [protocol],
          setup(cp) {
            cp.handle('BootNotification', async () => {
              const answer = await cp.call('DataTransfer', { vendorId: 'csms', data: 'ping' });
              return {
                status: answer.data === 'pong' ? 'Accepted' : 'Rejected',
                currentTime: new Date().toISOString(),
                interval: 300,
              };
            });
          },
        });
        const transport = await connect({
          url: csms.url,
          identity: 'NESTED-1',
          protocols: [protocol],
          reconnect: false,
        });
        const stationSide = new ChargePoint<LooseActionMap>(transport);
        stationSide.handle('DataTransfer', (request) => ({
          status: 'Accepted',
          data: request.data === 'ping' ? 'pong' : 'what?',
        }));
        try {
          const result = await stationSide.call('BootNotification', boot, { timeoutMs: 2000 });
          assert.equal(result.status, 'Accepted');
        } finally {
          await stationSide.close();
          await csms.close();
        }
      });
    });

    describe('timeouts and abort', () => {
      test('a timed-out CALL rejects, the next proceeds, the late answer is dropped', async () => {
        const { peer, cp } = await open();
        const started = Date.now();
        const first = rejectsWith(
          cp.call('DataTransfer', { vendorId: 'first' }, { timeoutMs: 100 }),
          'OCPP_ERR_TIMEOUT',
        );
        const second = cp.call('DataTransfer', { vendorId: 'second' }, { timeoutMs: 2000 });
        const firstFrame = await peer.nextFrame();
        assert.deepEqual(firstFrame[3], { vendorId: 'first' });
        const error = await first;
        assert.match(error.message, /100 ms/);
        assert.ok(Date.now() - started >= 95, 'not before the timeout');
        const secondFrame = await peer.nextFrame();
        assert.deepEqual(secondFrame[3], { vendorId: 'second' });
        // The late answer to the first CALL must neither settle the second nor be answered.
        peer.send([3, firstFrame[1], { status: 'Rejected', data: 'late' }]);
        await peer.expectSilence(60);
        assert.equal(await isSettled(second), false);
        peer.send([3, secondFrame[1], { status: 'Accepted', data: 'on time' }]);
        assert.deepEqual(await second, { status: 'Accepted', data: 'on time' });
        assert.ok(peer.open);
      });

      test('callTimeoutMs sets the default timeout', async () => {
        const csms = await startLibraryServer({ protocols: [protocol], options: { callTimeoutMs: 80 } });
        const peer = await connectRawPeer(`${csms.url}/SHORT-1`, protocol);
        try {
          const cp = await csms.chargePoint('SHORT-1');
          const started = Date.now();
          const error = await rejectsWith(cp.call('DataTransfer', { vendorId: 'x' }), 'OCPP_ERR_TIMEOUT');
          assert.match(error.message, /80 ms/);
          assert.ok(Date.now() - started < 1500);
          assert.deepEqual((await peer.nextFrame()).slice(2), ['DataTransfer', { vendorId: 'x' }]);
        } finally {
          await peer.close();
          await csms.close();
        }
      });

      test('without options a CALL waits 30 s (clock mocked)', async (t) => {
        const { peer, cp } = await open();
        t.mock.timers.enable({ apis: ['setTimeout'] });
        try {
          const pending = cp.call('DataTransfer', { vendorId: 'patient' });
          await peer.nextFrame();
          t.mock.timers.tick(29_999);
          assert.equal(await isSettled(pending), false);
          t.mock.timers.tick(1);
          const error = await rejectsWith(pending, 'OCPP_ERR_TIMEOUT');
          assert.match(error.message, /30000 ms/);
        } finally {
          t.mock.timers.reset();
        }
      });

      test('aborting a queued CALL: it is never sent', async () => {
        const { peer, cp } = await open();
        const controller = new AbortController();
        const first = cp.call('DataTransfer', { vendorId: 'first' });
        const queued = cp.call('DataTransfer', { vendorId: 'queued' }, { signal: controller.signal });
        const third = cp.call('DataTransfer', { vendorId: 'third' });
        const firstFrame = await peer.nextFrame();
        controller.abort();
        await rejectsWith(queued, 'OCPP_ERR_ABORTED');
        peer.send([3, firstFrame[1], { status: 'Accepted' }]);
        await first;
        const next = await peer.nextFrame();
        assert.deepEqual(next[3], { vendorId: 'third' }, 'the aborted CALL was skipped');
        peer.send([3, next[1], { status: 'Accepted' }]);
        await third;
        await peer.expectSilence(50);
      });

      test('aborting the in-flight CALL rejects it and lets the next one go', async () => {
        const { peer, cp } = await open();
        const controller = new AbortController();
        const inFlight = cp.call('DataTransfer', { vendorId: 'inflight' }, { signal: controller.signal });
        const next = cp.call('DataTransfer', { vendorId: 'next' });
        const frame = await peer.nextFrame();
        assert.deepEqual(frame[3], { vendorId: 'inflight' });
        controller.abort(new Error('user gave up'));
        const error = await rejectsWith(inFlight, 'OCPP_ERR_ABORTED');
        assert.equal((error.cause as Error).message, 'user gave up');
        const nextFrame = await peer.nextFrame();
        assert.deepEqual(nextFrame[3], { vendorId: 'next' });
        peer.send([3, nextFrame[1], { status: 'Accepted' }]);
        assert.deepEqual(await next, { status: 'Accepted' });
      });

      test('an already aborted signal rejects at once and sends nothing', async () => {
        const { peer, cp } = await open();
        await rejectsWith(
          cp.call('DataTransfer', { vendorId: 'never' }, { signal: AbortSignal.abort() }),
          'OCPP_ERR_ABORTED',
        );
        await peer.expectSilence(50);
      });
    });

    describe('validation both ways', () => {
      test('our invalid request is refused locally and nothing is sent', async () => {
        const { peer, cp } = await open();
        const error = await rejectsWith(
          cp.call('DataTransfer', { vendorId: 5 } as never),
          'OCPP_ERR_REQUEST_INVALID',
        );
        assert.ok(error instanceof ValidationError);
        assert.equal(error.errorCode, 'TypeConstraintViolation');
        assert.equal(error.path, '/vendorId');
        await peer.expectSilence(60);
      });

      test('an action the version does not have is refused locally', async () => {
        const { peer, cp } = await open();
        const other = protocol === 'ocpp1.6' ? 'TransactionEvent' : 'StartTransaction';
        await rejectsWith(cp.call(other, {}), 'OCPP_ERR_UNKNOWN_ACTION');
        await peer.expectSilence(50);
      });

      test('a CALLRESULT that fails the schema rejects with OCPP_ERR_RESPONSE_INVALID', async () => {
        const { peer, cp } = await open();
        const pending = cp.call('DataTransfer', { vendorId: 'x' });
        const frame = await peer.nextFrame();
        peer.send([3, frame[1], { status: 'Maybe' }]);
        const error = await rejectsWith(pending, 'OCPP_ERR_RESPONSE_INVALID');
        assert.ok(error instanceof ValidationError);
        assert.equal(error.errorCode, 'PropertyConstraintViolation');
        // CALLRESULTERROR exists only in 2.1: nothing is sent back here.
        await peer.expectSilence(60);
      });

      const errorSpellings =
        protocol === 'ocpp1.6'
          ? [
              ['OccurenceConstraintViolation', 'OccurrenceConstraintViolation'],
              ['FormationViolation', 'FormatViolation'],
              ['SecurityError', 'SecurityError'],
            ]
          : [
              ['OccurrenceConstraintViolation', 'OccurrenceConstraintViolation'],
              ['FormatViolation', 'FormatViolation'],
              ['RpcFrameworkError', 'RpcFrameworkError'],
            ];
      for (const [raw, normal] of errorSpellings) {
        test(`a CALLERROR ${raw} rejects with CallErrorResponse ${normal}`, async () => {
          const { peer, cp } = await open();
          const pending = cp.call('DataTransfer', { vendorId: 'x' });
          const frame = await peer.nextFrame();
          peer.send([4, frame[1], raw, 'it went wrong', { field: 'vendorId' }]);
          const error = await rejectsWith(pending, 'OCPP_ERR_CALL_ERROR');
          assert.ok(error instanceof CallErrorResponse);
          assert.equal(error.errorCode, normal);
          assert.equal(error.rawErrorCode, raw);
          assert.equal(error.description, 'it went wrong');
          assert.deepEqual(error.details, { field: 'vendorId' });
        });
      }

      test("handle(…, { validate: false }) accepts a non-conformant request and returns what it's given", async () => {
        identityCounter += 1;
        const peer = await connectRawPeer(`${server.url}/ST-${identityCounter}-lenient`, protocol);
        peers.push(peer);
        const request = { vendorId: 5, unexpected: true };
        const reply = await peer.call('lenient-1', 'DataTransfer', request);
        assert.deepEqual(reply, [3, 'lenient-1', { status: 'Whatever', echo: request }]);
      });

      test('call(…, { validate: false }) sends a non-conformant request and accepts any answer', async () => {
        const { peer, cp } = await open();
        const pending = cp.call('DataTransfer', { vendorId: 5 } as never, { validate: false });
        const frame = await peer.nextFrame();
        assert.deepEqual(frame[3], { vendorId: 5 });
        peer.send([3, frame[1], { status: 'Maybe' }]);
        assert.deepEqual(await pending, { status: 'Maybe' });
      });

      test('strict: false switches validation off everywhere', async () => {
        const lax = await startLibraryServer({
          protocols: [protocol],
          options: { strict: false },
          setup(cp) {
            cp.handle('DataTransfer', () => ({ status: 'NotAStatus' }));
          },
        });
        const peer = await connectRawPeer(`${lax.url}/LAX-1`, protocol);
        try {
          const cp = await lax.chargePoint('LAX-1');
          // incoming request and our response unchecked
          assert.deepEqual(await peer.call('lax-1', 'DataTransfer', { vendorId: 5, extra: 1 }), [
            3,
            'lax-1',
            { status: 'NotAStatus' },
          ]);
          // outgoing request and the peer's response unchecked
          const pending = cp.call('DataTransfer', { vendorId: 7 } as never);
          const frame = await peer.nextFrame();
          assert.deepEqual(frame[3], { vendorId: 7 });
          peer.send([3, frame[1], { status: 42 }]);
          assert.deepEqual(await pending, { status: 42 });
        } finally {
          await peer.close();
          await lax.close();
        }
      });

      test('send() on a connection without SEND frames throws OCPP_ERR_UNSUPPORTED_FRAME', async () => {
        const { peer, cp } = await open();
        // The types already refuse send() where the version has no SEND messages; this checks the runtime guard.
        const untyped = cp as unknown as { send(action: string, payload: object): void };
        assert.throws(
          () => untyped.send('Heartbeat', {}),
          (error: unknown) => error instanceof OcppError && error.code === 'OCPP_ERR_UNSUPPORTED_FRAME',
        );
        await peer.expectSilence(50);
      });
    });
  });
}

describe('OCPP 2.1 frames', () => {
  let server: LibraryServer<v21.ChargePoint>;
  let peer: RawPeer;
  let cp: v21.ChargePoint;
  const logLines: string[] = [];
  const streamed: Array<{ payload: unknown; unconfirmed: boolean; messageId: string }> = [];
  const streamPayload = { id: 1, pending: 0, basetime: '2025-01-01T00:00:00Z', data: [{ t: 0, v: '230.1' }] };

  before(async () => {
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logLines.push(line) });
    server = await startLibraryServer({
      protocols: ['ocpp2.1'],
      create: (connection) => new v21.ChargePoint(connection, { logger }),
      setup(chargePoint) {
        chargePoint.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
        // NotifyPeriodicEventStream is SEND-only: it is in SendMap, handled with handleSend().
        chargePoint.handleSend('NotifyPeriodicEventStream', (payload, context) => {
          const { unconfirmed, messageId } = context;
          streamed.push({ payload, unconfirmed, messageId });
          if (payload.id === 666) throw new Error('stream handler failed');
        });
      },
    });
    peer = await connectRawPeer(`${server.url}/V21-1`, 'ocpp2.1');
    cp = await server.chargePoint('V21-1');
  });

  after(async () => {
    await peer.close();
    await server.close();
  });

  async function heartbeatWorks(id: string): Promise<void> {
    assert.deepEqual((await peer.call(id, 'Heartbeat', {})).slice(0, 2), [3, id]);
  }

  test('send() writes a SEND frame, even while a CALL is outstanding', async () => {
    const pending = cp.call('DataTransfer', { vendorId: 'x' });
    const callFrame = await peer.nextFrame();
    assert.equal(callFrame[0], 2);
    cp.send('NotifyPeriodicEventStream', streamPayload);
    const sendFrame = await peer.nextFrame();
    assert.deepEqual(
      [sendFrame[0], sendFrame[2], sendFrame[3]],
      [6, 'NotifyPeriodicEventStream', streamPayload],
    );
    assert.notEqual(sendFrame[1], callFrame[1]);
    peer.send([3, callFrame[1], { status: 'Accepted' }]);
    assert.deepEqual(await pending, { status: 'Accepted' });
  });

  test('send() validates its payload and sends nothing when it is invalid', async () => {
    assert.throws(
      () => cp.send('NotifyPeriodicEventStream', { ...streamPayload, id: -1 }),
      (error: unknown) => error instanceof OcppError && error.code === 'OCPP_ERR_REQUEST_INVALID',
    );
    await peer.expectSilence(50);
  });

  test('an incoming SEND reaches its handler and is never answered', async () => {
    streamed.length = 0;
    peer.send([6, 'send-1', 'NotifyPeriodicEventStream', streamPayload]);
    await peer.expectSilence(80);
    assert.deepEqual(streamed, [{ payload: streamPayload, unconfirmed: true, messageId: 'send-1' }]);
    // Nor when its handler throws, its payload is invalid, or its action is unknown.
    peer.send([6, 'send-2', 'NotifyPeriodicEventStream', { ...streamPayload, id: 666 }]);
    peer.send([6, 'send-3', 'NotifyPeriodicEventStream', { id: 'one' }]);
    peer.send([6, 'send-4', 'MakeCoffee', {}]);
    await peer.expectSilence(80);
    assert.deepEqual(
      streamed.map((s) => s.messageId),
      ['send-1', 'send-2'],
      'an invalid SEND does not reach the handler',
    );
    await heartbeatWorks('hb-send');
  });

  test('a CALLRESULT failing validation is answered with CALLRESULTERROR', async () => {
    const rejected = rejectsWith(cp.call('DataTransfer', { vendorId: 'x' }), 'OCPP_ERR_RESPONSE_INVALID');
    const frame = await peer.nextFrame();
    peer.send([3, frame[1], { status: 'Perhaps' }]);
    const answer = await peer.nextFrame();
    assert.equal(answer.length, 5);
    assert.deepEqual(
      [answer[0], answer[1], answer[2], answer[4]],
      [5, frame[1], 'PropertyConstraintViolation', {}],
    );
    assert.ok(typeof answer[3] === 'string' && answer[3].length <= 255);
    await rejected;
  });

  test('an incoming CALLRESULTERROR is logged and the connection keeps working', async () => {
    logLines.length = 0;
    peer.send([5, 'our-result-7', 'FormatViolation', 'could not read it', {}]);
    await peer.expectSilence(60);
    const logged = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.ok(
      logged.some((entry) => entry.messageId === 'our-result-7' && entry.errorCode === 'FormatViolation'),
      logLines.join('\n'),
    );
    await heartbeatWorks('hb-cre');
  });

  test('a CALL of a SEND-only action is NotImplemented; unknown message types are ignored', async () => {
    const reply = await peer.call('call-send-only', 'NotifyPeriodicEventStream', streamPayload);
    assert.deepEqual(reply.slice(0, 3), [4, 'call-send-only', 'NotImplemented']);
    peer.send([7, 'future-1', 'Heartbeat', {}]);
    await peer.expectSilence(60);
    await heartbeatWorks('hb-future');
  });
});
