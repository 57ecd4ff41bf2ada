/**
 * `Routes`: one route table shared by many ChargePoints (`{ routes }`), on real sockets. Handlers
 * find the station in `context.chargePoint`; a ChargePoint's own `handle()` answers instead of the
 * shared handler, on that ChargePoint only; the after-hooks of both run, the shared ones first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CloseInfo, HandlerContext } from '../src/charge-point.js';
import { CallErrorReply, OcppError } from '../src/errors/errors.js';
import type { FrameEvent } from '../src/rpc/session.js';
import * as v16 from '../src/versions/v16.js';
import * as v21 from '../src/versions/v21.js';
import * as v201 from '../src/versions/v201.js';
import { connectRawPeer, type LibraryServer, startLibraryServer } from './support/raw-peer.js';

const TIME = '2025-01-01T00:00:00.000Z';

/** Never called: it exists for tsc. */
export function compileTimeChecks(): void {
  const routes = new v16.Routes()
    .handle('Heartbeat', () => ({ currentTime: TIME }))
    .handle('BootNotification', (request, context) => {
      const cp: v16.ChargePoint = context.chargePoint;
      return {
        status: request.chargePointModel === cp.identity ? 'Accepted' : 'Rejected',
        currentTime: TIME,
        interval: 1,
      };
    })
    .after('BootNotification', (request, response) => {
      void [request.chargePointVendor, response.interval];
    });
  // @ts-expect-error 'Maybe' is not a RegistrationStatus
  routes.handle('BootNotification', () => ({ status: 'Maybe', currentTime: TIME, interval: 1 }));
  // @ts-expect-error interval is missing from the response
  routes.handle('BootNotification', () => ({ status: 'Accepted', currentTime: TIME }));
  // @ts-expect-error the request is typed: HeartbeatRequest has no idTag
  routes.handle('Heartbeat', (request) => ({ currentTime: request.idTag }));
  // @ts-expect-error TransactionEvent is not a 1.6 action
  routes.handle('TransactionEvent', () => ({}));
  // @ts-expect-error the response of an after-hook of Heartbeat has no status
  routes.after('Heartbeat', (_request, response) => void response.status);
  // @ts-expect-error OCPP 1.6 has no SEND messages
  routes.handleSend('NotifyPeriodicEventStream', () => {});

  // A subclass types context.chargePoint.
  class Csms extends v16.ChargePoint {
    readonly accepted = true;
  }
  const csmsRoutes = new v16.Routes<Csms>().handle('Heartbeat', (_request, { chargePoint }) => ({
    currentTime: chargePoint.accepted ? TIME : '',
  }));

  const transport = null as unknown as ConstructorParameters<typeof v16.ChargePoint>[0];
  new v16.ChargePoint(transport, { routes });
  new Csms(transport, { routes: csmsRoutes });
  // @ts-expect-error routes of OCPP 2.0.1 for a 1.6 ChargePoint
  new v16.ChargePoint(transport, { routes: new v201.Routes() });
  const sends = new v21.Routes().handleSend('NotifyPeriodicEventStream', (payload, context) => {
    void [payload.basetime, context.unconfirmed];
  });
  new v21.ChargePoint(transport, { routes: sends });
  new v201.ChargePoint(transport, {
    routes: new v201.Routes().handle('Heartbeat', () => ({ currentTime: TIME })),
  });
  // @ts-expect-error a Heartbeat response for a 2.1 BootNotification
  new v21.Routes().handle('BootNotification', () => ({ currentTime: TIME }));
  void sends;
}

describe('Routes shared by two ChargePoints', () => {
  const seen: Array<[string, string]> = [];
  const afters: string[] = [];
  const routes = new v16.Routes()
    .handle('Heartbeat', (_request, context: HandlerContext<v16.ChargePoint>) => {
      seen.push([context.chargePoint.identity, context.messageId]);
      return { currentTime: TIME };
    })
    .handle('BootNotification', async (request, { chargePoint }) => {
      await new Promise((resolve) => setImmediate(resolve));
      return {
        status: request.chargePointModel === chargePoint.identity ? 'Accepted' : 'Rejected',
        currentTime: TIME,
        interval: 60,
      };
    })
    .after(
      'Heartbeat',
      (_request, _response, { chargePoint }) => void afters.push(`shared ${chargePoint.identity}`),
    );
  let server: LibraryServer<v16.ChargePoint>;

  before(async () => {
    server = await startLibraryServer({
      protocols: ['ocpp1.6'],
      create: (connection) => {
        const cp = new v16.ChargePoint(connection, { routes });
        if (connection.identity === 'OWN') {
          cp.handle('Heartbeat', () => ({ currentTime: '2030-01-01T00:00:00.000Z' }));
          cp.after('Heartbeat', () => void afters.push('own OWN'));
        }
        return cp;
      },
    });
  });
  after(() => server.close());

  test('each station is answered by the shared handlers, with itself as context.chargePoint', async () => {
    const a = await connectRawPeer(`${server.url}/STATION-A`, 'ocpp1.6');
    const b = await connectRawPeer(`${server.url}/STATION-B`, 'ocpp1.6');
    try {
      const [cpA, cpB] = await Promise.all([
        server.chargePoint('STATION-A'),
        server.chargePoint('STATION-B'),
      ]);
      assert.ok(cpA.handles('Heartbeat') && cpB.handles('BootNotification'));
      assert.equal(cpA.handles('Authorize'), false);
      assert.deepEqual(await a.call('hb-a', 'Heartbeat', {}), [3, 'hb-a', { currentTime: TIME }]);
      assert.deepEqual(await b.call('hb-b', 'Heartbeat', {}), [3, 'hb-b', { currentTime: TIME }]);
      assert.deepEqual(seen, [
        ['STATION-A', 'hb-a'],
        ['STATION-B', 'hb-b'],
      ]);
      // An async shared handler: each station gets its own answer.
      const [bootA, bootB] = await Promise.all([
        a.call('boot-a', 'BootNotification', { chargePointVendor: 'V', chargePointModel: 'STATION-A' }),
        b.call('boot-b', 'BootNotification', { chargePointVendor: 'V', chargePointModel: 'nope' }),
      ]);
      assert.equal((bootA[2] as { status: string }).status, 'Accepted');
      assert.equal((bootB[2] as { status: string }).status, 'Rejected');
      assert.deepEqual(afters.splice(0), ['shared STATION-A', 'shared STATION-B']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test("a ChargePoint's own handle() answers instead of the shared one, for itself only; both afters run", async () => {
    const own = await connectRawPeer(`${server.url}/OWN`, 'ocpp1.6');
    const other = await connectRawPeer(`${server.url}/OTHER`, 'ocpp1.6');
    try {
      afters.length = 0;
      assert.deepEqual(await own.call('hb-1', 'Heartbeat', {}), [
        3,
        'hb-1',
        { currentTime: '2030-01-01T00:00:00.000Z' },
      ]);
      assert.deepEqual(await other.call('hb-2', 'Heartbeat', {}), [3, 'hb-2', { currentTime: TIME }]);
      // The shared Heartbeat handler never ran for OWN; the shared after-hook did, before its own.
      assert.deepEqual(seen.at(-1), ['OTHER', 'hb-2']);
      assert.deepEqual(afters, ['shared OWN', 'own OWN', 'shared OTHER']);
      // Actions OWN did not override still come from the shared routes.
      const boot = await own.call('boot', 'BootNotification', {
        chargePointVendor: 'V',
        chargePointModel: 'OWN',
      });
      assert.equal((boot[2] as { status: string }).status, 'Accepted');
    } finally {
      await Promise.all([own.close(), other.close()]);
    }
  });

  test('routes are looked up, not copied: a handler added later answers existing ChargePoints', async () => {
    const peer = await connectRawPeer(`${server.url}/LATER`, 'ocpp1.6');
    try {
      const cp = await server.chargePoint('LATER');
      assert.deepEqual((await peer.call('dt-1', 'DataTransfer', { vendorId: 'x' })).slice(0, 3), [
        4,
        'dt-1',
        'NotSupported',
      ]);
      routes.handle('DataTransfer', () => ({ status: 'Accepted' }));
      assert.equal(cp.handles('DataTransfer'), true);
      assert.deepEqual(await peer.call('dt-2', 'DataTransfer', { vendorId: 'x' }), [
        3,
        'dt-2',
        { status: 'Accepted' },
      ]);
    } finally {
      await peer.close();
    }
  });

  test('handle(…, { validate: false }) in shared routes lets a non-conformant request through', async () => {
    const lenient = new v16.Routes().handle('Heartbeat', () => ({ currentTime: TIME }), { validate: false });
    const strict = await startLibraryServer({
      protocols: ['ocpp1.6'],
      create: (connection) => new v16.ChargePoint(connection, { routes: lenient }),
    });
    const peer = await connectRawPeer(`${strict.url}/LENIENT`, 'ocpp1.6');
    try {
      assert.deepEqual(await peer.call('hb', 'Heartbeat', { extra: 1 }), [3, 'hb', { currentTime: TIME }]);
    } finally {
      await peer.close();
      await strict.close();
    }
  });
});

test('routes of another version are refused at construction', async () => {
  const server = await startLibraryServer<v16.ChargePoint>({
    protocols: ['ocpp1.6'],
    create: (connection) =>
      new v16.ChargePoint(connection, { routes: new v201.Routes() as unknown as v16.Routes }),
  });
  const peer = await connectRawPeer(`${server.url}/MIXED`, 'ocpp1.6');
  try {
    await assert.rejects(
      server.chargePoint('MIXED'),
      (error: unknown) =>
        error instanceof OcppError &&
        error.code === 'OCPP_ERR_BAD_OPTIONS' &&
        /ocpp2\.0\.1/.test(error.message),
    );
  } finally {
    await peer.close();
    await server.close();
  }
});

describe('guard, onFrame and onClosed as options: one function for every station', () => {
  const guarded: Array<[string, string]> = [];
  const frames: string[] = [];
  const closes: Array<[string, number]> = [];
  const ownGuard: string[] = [];
  const accepted = new WeakSet<object>();
  const options = {
    routes: new v16.Routes()
      .handle('Heartbeat', () => ({ currentTime: TIME }))
      .handle('BootNotification', (_request, { chargePoint }) => {
        accepted.add(chargePoint);
        return { status: 'Accepted' as const, currentTime: TIME, interval: 60 };
      }),
    guard(action: string, _payload: Record<string, unknown>, chargePoint: v16.ChargePoint) {
      guarded.push([chargePoint.identity, action]);
      if (action !== 'BootNotification' && !accepted.has(chargePoint)) {
        throw new CallErrorReply('SecurityError', `${chargePoint.identity} is not accepted`);
      }
    },
    onFrame(event: FrameEvent, chargePoint: v16.ChargePoint) {
      frames.push(`${chargePoint.identity} ${event.direction} ${event.frame?.[0]} ${event.action}`);
    },
    onClosed(info: CloseInfo, chargePoint: v16.ChargePoint) {
      closes.push([chargePoint.identity, info.code]);
    },
  } satisfies v16.ChargePointOptions;
  let server: LibraryServer<v16.ChargePoint>;

  before(async () => {
    server = await startLibraryServer({
      protocols: ['ocpp1.6'],
      create: (connection) => {
        const cp = new v16.ChargePoint(connection, options);
        // guard() adds to the option's guard, and runs after it.
        if (connection.identity === 'TWO')
          cp.guard((action, _payload, self) => void ownGuard.push(`${self.identity} ${action}`));
        return cp;
      },
    });
  });
  after(() => server.close());

  test('each is called with the ChargePoint concerned, in order; onClosed once per station', async () => {
    const one = await connectRawPeer(`${server.url}/ONE`, 'ocpp1.6');
    const two = await connectRawPeer(`${server.url}/TWO`, 'ocpp1.6');
    const [cpOne, cpTwo] = await Promise.all([server.chargePoint('ONE'), server.chargePoint('TWO')]);
    assert.deepEqual(await one.call('h0', 'Heartbeat', {}), [
      4,
      'h0',
      'SecurityError',
      'ONE is not accepted',
      {},
    ]);
    const boot = { chargePointVendor: 'V', chargePointModel: 'M' };
    assert.equal((await one.call('b1', 'BootNotification', boot))[0], 3);
    assert.equal((await two.call('b2', 'BootNotification', boot))[0], 3);
    assert.deepEqual(await one.call('h1', 'Heartbeat', {}), [3, 'h1', { currentTime: TIME }]);
    assert.deepEqual(await two.call('h2', 'Heartbeat', {}), [3, 'h2', { currentTime: TIME }]);
    assert.deepEqual(guarded, [
      ['ONE', 'Heartbeat'],
      ['ONE', 'BootNotification'],
      ['TWO', 'BootNotification'],
      ['ONE', 'Heartbeat'],
      ['TWO', 'Heartbeat'],
    ]);
    assert.deepEqual(ownGuard, ['TWO BootNotification', 'TWO Heartbeat']);
    assert.deepEqual(frames, [
      'ONE in 2 Heartbeat',
      'ONE out 4 Heartbeat',
      'ONE in 2 BootNotification',
      'ONE out 3 BootNotification',
      'TWO in 2 BootNotification',
      'TWO out 3 BootNotification',
      'ONE in 2 Heartbeat',
      'ONE out 3 Heartbeat',
      'TWO in 2 Heartbeat',
      'TWO out 3 Heartbeat',
    ]);
    assert.deepEqual(closes, []);
    await one.close();
    await cpOne.closed;
    assert.deepEqual(closes, [['ONE', 1000]]);
    await cpTwo.close(4000, 'bye');
    await two.close();
    assert.deepEqual(closes, [
      ['ONE', 1000],
      ['TWO', 4000],
    ]);
  });

  test('an onFrame listener added with onFrame() joins the option, and leaves it again', async () => {
    const peer = await connectRawPeer(`${server.url}/THREE`, 'ocpp1.6');
    try {
      const cp = await server.chargePoint('THREE');
      const extra: string[] = [];
      const stop = cp.onFrame((event, self) => void extra.push(`${self.identity} ${event.direction}`));
      frames.length = 0;
      await peer.call('b3', 'BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
      stop();
      await peer.call('h3', 'Heartbeat', {});
      assert.deepEqual(extra, ['THREE in', 'THREE out']);
      assert.equal(frames.length, 4, 'the option saw all four frames');
    } finally {
      await peer.close();
    }
  });
});

describe('one options object for ChargePoints of different classes', () => {
  const LATER = '2031-01-01T00:00:00.000Z';
  class Decorated extends v16.ChargePoint {
    @v16.on('Heartbeat')
    heartbeat(): v16.HeartbeatResponse {
      return { currentTime: LATER };
    }
  }
  // What the ChargePoints share is made once per options object, class and protocol: each class
  // must keep its own decorated table, and other options objects their own settings.
  const options = {
    routes: new v16.Routes().handle('Heartbeat', () => ({ currentTime: TIME })),
  } satisfies v16.ChargePointOptions;
  const lax = { ...options, strict: false } satisfies v16.ChargePointOptions;
  let server: LibraryServer<v16.ChargePoint>;

  before(async () => {
    server = await startLibraryServer({
      protocols: ['ocpp1.6'],
      create: (connection) => {
        if (connection.identity.startsWith('DECORATED')) return new Decorated(connection, options);
        return new v16.ChargePoint(connection, connection.identity === 'LAX' ? lax : options);
      },
    });
  });
  after(() => server.close());

  test("each class answers with its own @on; another options object's strict stays its own", async () => {
    const peers = await Promise.all(
      ['DECORATED-1', 'PLAIN', 'DECORATED-2', 'LAX'].map((id) =>
        connectRawPeer(`${server.url}/${id}`, 'ocpp1.6'),
      ),
    );
    try {
      const [decorated1, plain, decorated2, laxPeer] = peers;
      assert.deepEqual(await decorated1!.call('d1', 'Heartbeat', {}), [3, 'd1', { currentTime: LATER }]);
      assert.deepEqual(await plain!.call('p1', 'Heartbeat', {}), [3, 'p1', { currentTime: TIME }]);
      assert.deepEqual(await decorated2!.call('d2', 'Heartbeat', {}), [3, 'd2', { currentTime: LATER }]);
      // A Heartbeat with a property its schema forbids: refused when strict (the default), not when lax.
      assert.equal((await plain!.call('p2', 'Heartbeat', { extra: 1 }))[0], 4);
      assert.deepEqual(await laxPeer!.call('l1', 'Heartbeat', { extra: 1 }), [
        3,
        'l1',
        { currentTime: TIME },
      ]);
    } finally {
      await Promise.all(peers.map((peer) => peer.close()));
    }
  });
});
