/**
 * Routing: `@on` / `@after` decorators and their explicit forms `handle()` / `after()`, guards, the
 * handler context, `onFrame`, and a typed ChargePoint refusing a connection of another version.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HandlerContext } from '../src/charge-point.js';
import { CallErrorReply, OcppError } from '../src/errors/errors.js';
import type { FrameEvent } from '../src/rpc/session.js';
import * as v16 from '../src/versions/v16.js';
import * as v201 from '../src/versions/v201.js';
import { connectRawPeer, deferred, type LibraryServer, startLibraryServer } from './support/raw-peer.js';

const now = () => new Date().toISOString();

/** A 1.6 CSMS written with decorators; `events` records what happened, in order. */
class DecoratedCsms extends v16.ChargePoint {
  readonly events: string[] = [];
  readonly contexts: Array<HandlerContext<DecoratedCsms>> = [];
  readonly afterArgs: unknown[] = [];
  readonly asyncAfterDone = deferred<string>();
  configuration: unknown;

  @v16.on('BootNotification')
  boot(
    request: v16.BootNotificationRequest,
    context: HandlerContext<DecoratedCsms>,
  ): v16.BootNotificationResponse {
    this.events.push(`handler ${request.chargePointVendor}`);
    this.contexts.push(context);
    return { status: 'Accepted', currentTime: now(), interval: 300 };
  }

  /** Synchronous after-hook: runs once the CALLRESULT is on the wire, then asks the station something. */
  @v16.after('BootNotification')
  afterBoot(
    request: v16.BootNotificationRequest,
    response: v16.BootNotificationResponse,
    context: HandlerContext<DecoratedCsms>,
  ): void {
    this.events.push('after');
    this.afterArgs.push(request, response, context.messageId);
    void this.call('GetConfiguration', { key: ['HeartbeatInterval'] }).then((r) => {
      this.configuration = r;
    });
  }

  @v16.on('Heartbeat')
  async heartbeat(): Promise<v16.HeartbeatResponse> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { currentTime: '2025-01-01T00:00:00.000Z' };
  }

  @v16.after('Heartbeat')
  async afterHeartbeat(_request: v16.HeartbeatRequest, response: v16.HeartbeatResponse): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.events.push('async after');
    this.asyncAfterDone.resolve(response.currentTime);
  }
}

describe('decorators on a subclass', () => {
  let server: LibraryServer<DecoratedCsms>;
  before(async () => {
    server = await startLibraryServer({
      protocols: ['ocpp1.6'],
      create(connection) {
        const cp = new DecoratedCsms(connection);
        cp.onFrame((event) => cp.events.push(`${event.direction} ${String(event.frame?.[0])}`));
        return cp;
      },
    });
  });
  after(() => server.close());

  test('@on answers and @after runs after the CALLRESULT was sent, with request and response', async () => {
    const peer = await connectRawPeer(`${server.url}/DECO-1`, 'ocpp1.6');
    try {
      const cp = await server.chargePoint('DECO-1');
      assert.ok(cp.handles('BootNotification') && cp.handles('Heartbeat'));
      assert.equal(cp.handles('Authorize'), false);
      const request = { chargePointVendor: 'Acme', chargePointModel: 'One' };
      peer.send([2, 'boot-1', 'BootNotification', request]);
      // The peer sees the CALLRESULT first, then the CALL the after-hook made.
      const result = await peer.nextFrame();
      assert.deepEqual(result.slice(0, 2), [3, 'boot-1']);
      const ask = await peer.nextFrame();
      assert.deepEqual([ask[0], ask[2], ask[3]], [2, 'GetConfiguration', { key: ['HeartbeatInterval'] }]);
      peer.send([3, ask[1], { unknownKey: ['HeartbeatInterval'] }]);
      assert.deepEqual(cp.events.slice(0, 4), ['in 2', 'handler Acme', 'out 3', 'after']);
      assert.deepEqual(cp.afterArgs, [request, result[2], 'boot-1']);
      const [context] = cp.contexts;
      assert.ok(context);
      assert.equal(context.chargePoint, cp);
      assert.equal(context.messageId, 'boot-1');
      assert.equal(context.action, 'BootNotification');
      await peer.call('hb-sync', 'Heartbeat', {});
      assert.deepEqual(cp.configuration, { unknownKey: ['HeartbeatInterval'] });
    } finally {
      await peer.close();
    }
  });

  test('async @on and async @after: the hook runs after the result and receives the response', async () => {
    const peer = await connectRawPeer(`${server.url}/DECO-2`, 'ocpp1.6');
    try {
      const cp = await server.chargePoint('DECO-2');
      const reply = await peer.call('hb-1', 'Heartbeat', {});
      assert.deepEqual(reply, [3, 'hb-1', { currentTime: '2025-01-01T00:00:00.000Z' }]);
      assert.equal(await cp.asyncAfterDone.promise, '2025-01-01T00:00:00.000Z');
      assert.deepEqual(cp.events, ['in 2', 'out 3', 'async after']);
    } finally {
      await peer.close();
    }
  });
});

for (const protocol of ['ocpp1.6', 'ocpp2.0.1'] as const) {
  describe(`explicit handle(), after() and guard() on ${protocol}`, () => {
    const boot =
      protocol === 'ocpp1.6'
        ? { chargePointVendor: 'V', chargePointModel: 'M' }
        : { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } };
    let server: LibraryServer<v16.ChargePoint | v201.ChargePoint>;
    const handled: string[] = [];
    const guarded: Array<[string, unknown]> = [];
    const afterSeen: unknown[] = [];
    const contexts: Array<{ messageId: string; action: string; chargePoint: unknown; unconfirmed: boolean }> =
      [];
    const frames: FrameEvent[] = [];

    before(async () => {
      server = await startLibraryServer({
        protocols: [protocol],
        create(connection) {
          // Without subclassing: the typed class, then handle() / after() / guard().
          let accepted = false;
          const refuseUntilAccepted = (action: string, payload: Record<string, unknown>) => {
            guarded.push([action, payload]);
            // 2.0.1 B01.FR.10 / 1.6 errata §3.8: nothing but BootNotification before Accepted.
            if (!accepted && action !== 'BootNotification') {
              throw new CallErrorReply('SecurityError', 'Station not accepted');
            }
          };
          if (protocol === 'ocpp1.6') {
            const cp = new v16.ChargePoint(connection);
            cp.handle('BootNotification', (_request, context) => {
              handled.push('BootNotification');
              contexts.push(context);
              accepted = true;
              return { status: 'Accepted', currentTime: now(), interval: 60 };
            })
              .handle('Heartbeat', () => {
                handled.push('Heartbeat');
                return { currentTime: now() };
              })
              .after('BootNotification', (request, response) => void afterSeen.push(request, response))
              .guard(refuseUntilAccepted);
            cp.onFrame((event) => frames.push(event));
            return cp;
          }
          const cp = new v201.ChargePoint(connection);
          cp.handle('BootNotification', (_request, context) => {
            handled.push('BootNotification');
            contexts.push(context);
            accepted = true;
            return { status: 'Accepted', currentTime: now(), interval: 60 };
          })
            .handle('Heartbeat', () => {
              handled.push('Heartbeat');
              return { currentTime: now() };
            })
            .after('BootNotification', (request, response) => void afterSeen.push(request, response))
            .guard(refuseUntilAccepted);
          cp.onFrame((event) => frames.push(event));
          return cp;
        },
      });
    });
    after(() => server.close());

    test('a guard refuses CALLs with SecurityError until the station is accepted', async () => {
      const peer = await connectRawPeer(`${server.url}/GUARD-${protocol}`, protocol);
      try {
        const cp = await server.chargePoint(`GUARD-${protocol}`);
        const refused = await peer.call('hb-early', 'Heartbeat', {});
        assert.deepEqual(refused, [4, 'hb-early', 'SecurityError', 'Station not accepted', {}]);
        assert.deepEqual(handled, [], 'the handler did not run');
        assert.deepEqual(guarded, [['Heartbeat', {}]]);

        const accepted = await peer.call('boot-1', 'BootNotification', boot);
        assert.deepEqual(accepted.slice(0, 2), [3, 'boot-1']);
        assert.deepEqual((await peer.call('hb-late', 'Heartbeat', {})).slice(0, 2), [3, 'hb-late']);
        assert.deepEqual(handled, ['BootNotification', 'Heartbeat']);

        // The after-hook saw the request and the response that went out.
        assert.deepEqual(afterSeen, [boot, accepted[2]]);
        // The handler context.
        const [context] = contexts;
        assert.ok(context);
        assert.equal(context.messageId, 'boot-1');
        assert.equal(context.action, 'BootNotification');
        assert.equal(context.chargePoint, cp);
        assert.equal(context.unconfirmed, false);
      } finally {
        await peer.close();
      }
    });

    test('onFrame sees frames in both directions, and stops when told', async () => {
      const identity = `FRAMES-${protocol}`;
      const peer = await connectRawPeer(`${server.url}/${identity}`, protocol);
      try {
        const cp = await server.chargePoint(identity);
        frames.length = 0;
        await peer.call('boot-f', 'BootNotification', boot);
        const request = { vendorId: 'frames' };
        const pending =
          cp instanceof v16.ChargePoint ? cp.call('DataTransfer', request) : cp.call('DataTransfer', request);
        const ask = await peer.nextFrame();
        peer.send([3, ask[1], { status: 'Accepted' }]);
        await pending;
        // A CALL refused (no handler) is answered with a CALLERROR that names its action.
        assert.equal((await peer.call('auth-f', 'Authorize', {}))[0], 4);
        peer.send('not json');
        await peer.nextFrame();
        assert.deepEqual(
          frames.map((e) => [e.direction, e.frame?.[0], e.action]),
          [
            ['in', 2, 'BootNotification'],
            ['out', 3, 'BootNotification'],
            ['out', 2, 'DataTransfer'],
            ['in', 3, 'DataTransfer'],
            ['in', 2, 'Authorize'],
            ['out', 4, 'Authorize'],
            ['in', undefined, undefined],
            ['out', 4, undefined],
          ],
        );
        assert.equal(frames[6]?.text, 'not json');
        assert.equal(frames[0]?.text, JSON.stringify([2, 'boot-f', 'BootNotification', boot]));

        const stop = cp.onFrame(() => assert.fail('stopped listener called'));
        stop();
        await peer.call('hb-f', 'Heartbeat', {});
      } finally {
        await peer.close();
      }
    });
  });
}

describe('a typed ChargePoint and the negotiated version', () => {
  test('v16.ChargePoint refuses an ocpp2.0.1 connection, v201.ChargePoint an ocpp1.6 one', async () => {
    const server = await startLibraryServer<v16.ChargePoint | v201.ChargePoint>({
      protocols: ['ocpp2.0.1', 'ocpp1.6'],
      create: (connection) =>
        connection.identity.startsWith('WANTS16')
          ? new v16.ChargePoint(connection)
          : new v201.ChargePoint(connection),
    });
    try {
      for (const [identity, offered] of [
        ['WANTS16-got201', 'ocpp2.0.1'],
        ['WANTS201-got16', 'ocpp1.6'],
      ] as const) {
        const peer = await connectRawPeer(`${server.url}/${identity}`, offered);
        await assert.rejects(
          server.chargePoint(identity),
          (error: unknown) =>
            error instanceof OcppError &&
            error.code === 'OCPP_ERR_BAD_OPTIONS' &&
            error.message.includes(offered),
        );
        await peer.close();
      }
      // The matching pairs are fine.
      const peer = await connectRawPeer(`${server.url}/WANTS16-got16`, 'ocpp1.6');
      const cp = await server.chargePoint('WANTS16-got16');
      assert.ok(cp instanceof v16.ChargePoint);
      assert.equal(cp.protocol, 'ocpp1.6');
      await peer.close();
    } finally {
      await server.close();
    }
  });
});
