/**
 * The typed API refuses wrong payloads at compile time. Each `// @ts-expect-error` below must meet a
 * type error on the next line, or tsc fails the build: a typed `call()` that accepts a wrong payload
 * is a bug. The runtime tests at the end exercise the same typed API on a real socket.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { HandlerContext } from '../src/charge-point.js';
import { connect } from '../src/transport/client.js';
import type { ChargePoint as V16SendCheck } from '../src/versions/v16.js';
import * as v16 from '../src/versions/v16.js';
import type { ChargePoint as V21ChargePoint } from '../src/versions/v21.js';
import * as v201 from '../src/versions/v201.js';
import { type LibraryServer, startLibraryServer } from './support/raw-peer.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const typeIs = <T extends true>(ok: T): T => ok;

const boot16: v16.BootNotificationRequest = { chargePointVendor: 'V', chargePointModel: 'M' };
const boot201: v201.BootNotificationRequest = {
  reason: 'PowerUp',
  chargingStation: { model: 'M', vendorName: 'V' },
};

/** Never called: it exists for tsc. */
export async function compileTimeChecks(cp16: v16.ChargePoint, cp201: v201.ChargePoint): Promise<void> {
  // --- call(): the request payload -------------------------------------------------------------
  // @ts-expect-error chargePointModel is required
  await cp16.call('BootNotification', { chargePointVendor: 'V' });
  await cp201.call('BootNotification', {
    // @ts-expect-error 'Sneezed' is not a BootReasonEnumType
    reason: 'Sneezed',
    chargingStation: { model: 'M', vendorName: 'V' },
  });
  await cp16.call('BootNotification', {
    chargePointVendor: 'V',
    chargePointModel: 'M',
    // @ts-expect-error no such property in BootNotificationRequest
    colour: 'red',
  });
  // @ts-expect-error chargePointVendor is a string
  await cp16.call('BootNotification', { chargePointVendor: 5, chargePointModel: 'M' });
  // @ts-expect-error misspelt action
  await cp16.call('BootNotifcation', boot16);
  // @ts-expect-error TransactionEvent is an OCPP 2.0.1 action, not a 1.6 one
  await cp16.call('TransactionEvent', {});
  // @ts-expect-error StartTransaction is an OCPP 1.6 action, not a 2.0.1 one
  await cp201.call('StartTransaction', { connectorId: 1, idTag: 'T', meterStart: 0, timestamp: '' });
  // @ts-expect-error the 2.0.1 request on a 1.6 ChargePoint
  await cp16.call('BootNotification', boot201);

  // --- call(): the result --------------------------------------------------------------------
  const res = await cp16.call('BootNotification', boot16);
  const status: v16.BootNotificationResponseStatus = res.status;
  typeIs<Equal<typeof res, v16.BootNotificationResponse>>(true);
  // @ts-expect-error no such property in BootNotificationResponse
  void res.nonexistent;
  // @ts-expect-error the status is an enum, not any string
  const wrongStatus: 'Maybe' = res.status;
  const res201 = await cp201.call('BootNotification', boot201);
  const status201: v201.RegistrationStatusEnumType = res201.status;
  void [status, wrongStatus, status201];

  // --- handle(): the handler's response ------------------------------------------------------
  cp16.handle('BootNotification', () => ({ status: 'Accepted', currentTime: '', interval: 60 }));
  cp16.handle('BootNotification', async (request, context) => ({
    status:
      request.chargePointVendor === 'V' && context.action === 'BootNotification' ? 'Accepted' : 'Rejected',
    currentTime: '',
    interval: 60,
  }));
  // @ts-expect-error 'Maybe' is not a RegistrationStatus
  cp16.handle('BootNotification', () => ({ status: 'Maybe', currentTime: '', interval: 60 }));
  // @ts-expect-error interval is missing
  cp16.handle('BootNotification', () => ({ status: 'Accepted', currentTime: '' }));
  // @ts-expect-error a Heartbeat response for a BootNotification
  cp201.handle('BootNotification', async () => ({ currentTime: '' }));
  cp16.handle('BootNotification', (request) => ({
    status: 'Accepted',
    // @ts-expect-error the request is typed: BootNotificationRequest has no currentTime
    currentTime: request.currentTime,
    interval: 1,
  }));
  // @ts-expect-error TransactionEvent is not a 1.6 action
  cp16.handle('TransactionEvent', () => ({}));
  cp16.after('BootNotification', (request, response) => {
    typeIs<Equal<typeof request, v16.BootNotificationRequest>>(true);
    typeIs<Equal<typeof response, v16.BootNotificationResponse>>(true);
  });

  // --- @on / @after decorators ---------------------------------------------------------------
  class TypedCsms extends v16.ChargePoint {
    @v16.on('BootNotification')
    boot(
      _request: v16.BootNotificationRequest,
      context: HandlerContext<TypedCsms>,
    ): v16.BootNotificationResponse {
      return { status: context.chargePoint === this ? 'Accepted' : 'Rejected', currentTime: '', interval: 1 };
    }

    // @ts-expect-error the method returns a Heartbeat response for BootNotification
    @v16.on('BootNotification')
    wrongResponse(): v16.HeartbeatResponse {
      return { currentTime: '' };
    }

    // @ts-expect-error the status is not a RegistrationStatus
    @v16.on('BootNotification')
    async wrongStatus(): Promise<{ status: 'Maybe'; currentTime: string; interval: number }> {
      return { status: 'Maybe', currentTime: '', interval: 1 };
    }

    // @ts-expect-error TransactionEvent is not a 1.6 action
    @v16.on('TransactionEvent')
    transactionEvent(): object {
      return {};
    }

    @v16.after('BootNotification')
    afterBoot(_request: v16.BootNotificationRequest, response: v16.BootNotificationResponse): void {
      void response.interval;
    }

    // @ts-expect-error the response of an after-hook of Heartbeat has no status
    @v16.after('Heartbeat')
    afterHeartbeat(_request: v16.HeartbeatRequest, response: v16.BootNotificationResponse): void {
      void response.status;
    }
  }
  void TypedCsms;
}

let server: LibraryServer<v16.ChargePoint | v201.ChargePoint>;
before(async () => {
  server = await startLibraryServer<v16.ChargePoint | v201.ChargePoint>({
    protocols: ['ocpp1.6', 'ocpp2.0.1'],
    create(connection) {
      if (connection.protocol === 'ocpp1.6') {
        return new v16.ChargePoint(connection).handle('BootNotification', (request) => ({
          status: request.chargePointModel === 'M' ? 'Accepted' : 'Rejected',
          currentTime: new Date().toISOString(),
          interval: 60,
        }));
      }
      return new v201.ChargePoint(connection).handle('BootNotification', (request) => ({
        status: request.reason === 'PowerUp' ? 'Pending' : 'Rejected',
        currentTime: new Date().toISOString(),
        interval: 30,
      }));
    },
  });
});
after(() => server.close());

test('typed calls round-trip on 1.6 and 2.0.1', async () => {
  const t16 = await connect({
    url: server.url,
    identity: 'TYPED-16',
    protocols: ['ocpp1.6'],
    reconnect: false,
  });
  const cp16 = new v16.ChargePoint(t16);
  const res16 = await cp16.call('BootNotification', boot16);
  const status16: v16.BootNotificationResponseStatus = res16.status;
  assert.equal(status16, v16.BootNotificationResponseStatus.Accepted);
  assert.equal(res16.interval, 60);
  await cp16.close();

  const t201 = await connect({
    url: server.url,
    identity: 'TYPED-201',
    protocols: ['ocpp2.0.1'],
    reconnect: false,
  });
  const cp201 = new v201.ChargePoint(t201);
  const res201 = await cp201.call('BootNotification', boot201);
  const status201: v201.RegistrationStatusEnumType = res201.status;
  assert.equal(status201, v201.RegistrationStatusEnumType.Pending);
  assert.ok(Object.values(v201.RegistrationStatusEnumType).includes(status201));
  await cp201.close();
});

test('the enums and action lists the types come from exist at runtime', () => {
  assert.deepEqual(Object.values(v16.BootNotificationResponseStatus), ['Accepted', 'Pending', 'Rejected']);
  assert.ok((v16.actions as readonly string[]).includes('BootNotification'));
  assert.ok(!(v16.actions as readonly string[]).includes('TransactionEvent'));
  assert.ok((v201.actions as readonly string[]).includes('TransactionEvent'));
  assert.ok(!(v201.actions as readonly string[]).includes('StartTransaction'));
  assert.equal(typeof compileTimeChecks, 'function');
});

test('SEND messages are typed by the version SendMap', () => {
  const v21cp = null as unknown as V21ChargePoint;
  const v16cp = null as unknown as V16SendCheck;
  if (v21cp) {
    v21cp.send('NotifyPeriodicEventStream', {
      id: 1,
      pending: 0,
      basetime: '2025-01-01T00:00:00Z',
      data: [],
    });
    // @ts-expect-error a CALL action is not a SEND message
    v21cp.send('Heartbeat', {});
    // @ts-expect-error NotifyPeriodicEventStream requires basetime
    v21cp.send('NotifyPeriodicEventStream', { id: 1, pending: 0, data: [] });
    // @ts-expect-error OCPP 1.6 has no SEND messages at all
    v16cp.send('NotifyPeriodicEventStream', {});
  }
  assert.equal(v21cp, null);
});
