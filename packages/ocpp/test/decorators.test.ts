/**
 * `@on` / `@after` build one route table per class, shared by its instances: each handler must still
 * run with `this` = the instance that received the CALL, and class hierarchies must behave as when
 * every instance registered its own handlers (a subclass's `@on` wins, every `@after` runs, the
 * base's first; an override without a decorator does not change the route).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HandlerContext } from '../src/charge-point.js';
import * as v16 from '../src/versions/v16.js';
import { connectRawPeer, type LibraryServer, startLibraryServer } from './support/raw-peer.js';

const TIME = '2025-01-01T00:00:00.000Z';
const boot = { chargePointVendor: 'V', chargePointModel: 'M' };

class BaseCsms extends v16.ChargePoint {
  readonly log: string[] = [];

  @v16.on('Heartbeat')
  heartbeat(_request: v16.HeartbeatRequest, context: HandlerContext<BaseCsms>): v16.HeartbeatResponse {
    this.log.push(`base heartbeat ${this.identity} ${context.chargePoint === this}`);
    return { currentTime: TIME };
  }

  @v16.on('BootNotification')
  boot(): v16.BootNotificationResponse {
    this.log.push(`base boot ${this.identity}`);
    return { status: 'Pending', currentTime: TIME, interval: 10 };
  }

  @v16.after('BootNotification')
  afterBoot(): void {
    this.log.push(`base after ${this.identity}`);
  }

  @v16.on('DataTransfer')
  dataTransfer(): v16.DataTransferResponse {
    return { status: 'Accepted', data: 'base' };
  }

  @v16.on('Authorize')
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: called through @on, per instance
  #authorize(request: v16.AuthorizeRequest): v16.AuthorizeResponse {
    this.log.push(`private authorize ${this.identity}`);
    return { idTagInfo: { status: request.idTag === this.identity ? 'Accepted' : 'Invalid' } };
  }
}

class SubCsms extends BaseCsms {
  /** A second `@on` for an action the base handles: the subclass answers. */
  @v16.on('BootNotification')
  bootAccepted(): v16.BootNotificationResponse {
    this.log.push(`sub boot ${this.identity}`);
    return { status: 'Accepted', currentTime: TIME, interval: 300 };
  }

  @v16.after('BootNotification')
  afterBootToo(): void {
    this.log.push(`sub after ${this.identity}`);
  }

  /** Overridden without a decorator: the base's decorated method still answers, as before. */
  override dataTransfer(): v16.DataTransferResponse {
    return { status: 'Rejected', data: 'sub' };
  }
}

describe('decorated classes with several instances on real sockets', () => {
  let server: LibraryServer<BaseCsms>;
  before(async () => {
    server = await startLibraryServer<BaseCsms>({
      protocols: ['ocpp1.6'],
      create: (connection) =>
        connection.identity.startsWith('SUB') ? new SubCsms(connection) : new BaseCsms(connection),
    });
  });
  after(() => server.close());

  test('two instances of one class: each handler runs on the instance that received the CALL', async () => {
    const one = await connectRawPeer(`${server.url}/BASE-1`, 'ocpp1.6');
    const two = await connectRawPeer(`${server.url}/BASE-2`, 'ocpp1.6');
    try {
      const [cp1, cp2] = await Promise.all([server.chargePoint('BASE-1'), server.chargePoint('BASE-2')]);
      await one.call('hb-1', 'Heartbeat', {});
      await two.call('hb-2', 'Heartbeat', {});
      await two.call('hb-3', 'Heartbeat', {});
      assert.deepEqual(cp1.log, ['base heartbeat BASE-1 true']);
      assert.deepEqual(cp2.log, ['base heartbeat BASE-2 true', 'base heartbeat BASE-2 true']);
      const accepted = await one.call('auth-1', 'Authorize', { idTag: 'BASE-1' });
      assert.deepEqual(accepted[2], { idTagInfo: { status: 'Accepted' } });
      const invalid = await two.call('auth-2', 'Authorize', { idTag: 'BASE-1' });
      assert.deepEqual(invalid[2], { idTagInfo: { status: 'Invalid' } });
      assert.ok(cp1.handles('Authorize') && cp2.handles('Heartbeat'));
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  test("a subclass's @on wins, both @after hooks run (base first), an undecorated override is ignored", async () => {
    const sub = await connectRawPeer(`${server.url}/SUB-1`, 'ocpp1.6');
    const base = await connectRawPeer(`${server.url}/BASE-3`, 'ocpp1.6');
    try {
      const [subCp, baseCp] = await Promise.all([server.chargePoint('SUB-1'), server.chargePoint('BASE-3')]);
      const subBoot = await sub.call('boot-s', 'BootNotification', boot);
      assert.equal((subBoot[2] as { status: string }).status, 'Accepted');
      const baseBoot = await base.call('boot-b', 'BootNotification', boot);
      assert.equal((baseBoot[2] as { status: string }).status, 'Pending');
      await sub.call('hb-s', 'Heartbeat', {});
      assert.deepEqual(subCp.log, [
        'sub boot SUB-1',
        'base after SUB-1',
        'sub after SUB-1',
        'base heartbeat SUB-1 true',
      ]);
      await base.call('hb-b', 'Heartbeat', {});
      assert.deepEqual(baseCp.log, ['base boot BASE-3', 'base after BASE-3', 'base heartbeat BASE-3 true']);
      assert.deepEqual((await sub.call('dt', 'DataTransfer', { vendorId: 'x' }))[2], {
        status: 'Accepted',
        data: 'base',
      });
      // The inherited #private handler works on subclass instances too.
      assert.deepEqual((await sub.call('auth', 'Authorize', { idTag: 'SUB-1' }))[2], {
        idTagInfo: { status: 'Accepted' },
      });
    } finally {
      await Promise.all([sub.close(), base.close()]);
    }
  });

  test('handle() on one instance overrides its class @on for that instance only', async () => {
    const mine = await connectRawPeer(`${server.url}/BASE-OWN`, 'ocpp1.6');
    const theirs = await connectRawPeer(`${server.url}/BASE-4`, 'ocpp1.6');
    try {
      const cp = await server.chargePoint('BASE-OWN');
      cp.handle('Heartbeat', () => ({ currentTime: '2030-01-01T00:00:00.000Z' }));
      assert.deepEqual((await mine.call('hb-o', 'Heartbeat', {}))[2], {
        currentTime: '2030-01-01T00:00:00.000Z',
      });
      assert.deepEqual((await theirs.call('hb-t', 'Heartbeat', {}))[2], { currentTime: TIME });
      assert.deepEqual(cp.log, []);
    } finally {
      await Promise.all([mine.close(), theirs.close()]);
    }
  });
});
