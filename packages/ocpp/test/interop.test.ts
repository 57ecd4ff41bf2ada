/**
 * Interoperability with ocpp-rpc (mikuso/ocpp-rpc), an independent OCPP-J implementation:
 * (a) its RPCClient in strict mode as the station against our server, (b) our client against its
 * RPCServer in strict mode as the CSMS. Real sockets on 127.0.0.1, no mocks.
 *
 * ocpp-rpc quirks found here (each asserted below, so a change in either library shows up):
 * - Its RPCServer picks the subprotocol in the *server's* order. OCPP-J 2.0.1 Part 4 §3.1.3 calls the
 *   station's list its order of preference (RFC 6455 lets a server pick any offered value); our
 *   server follows the station's order.
 * - In strict mode on an ocpp1.6 connection it answers a missing required field with
 *   `OccurrenceConstraintViolation` (2.x spelling): its 1.6 "workaround" translates the 1.6 spelling
 *   *into* the 2.x one. OCPP-J 1.6 errata §5.1 keeps `OccurenceConstraintViolation` on 1.6 ("Do not
 *   fix"). We read either spelling.
 * - It maps maxLength / minimum failures to FormatViolation (FormationViolation on 1.6); the 2.0.1
 *   Part 4 §4.3 table (and we) call a too-long value a PropertyConstraintViolation.
 * - It answers every method without a handler with NotImplemented, also known OCPP actions, where the
 *   spec wants NotSupported (NotImplemented is for unknown actions).
 * - It answers an unknown message type with MessageTypeNotSupported on 1.6 as well, a code 1.6 does
 *   not define (OCPP-J 1.6 §4.2.3; we ignore such frames on 1.6), and always with id "-1", even when
 *   the frame's id was readable (2.0.1 Part 4 §4.2.3 keeps "-1" for ids that cannot be read).
 * - Its `.d.ts` marks every RPCClient option required, hence the `rpcClient()` helper's cast; in ESM
 *   only a few names are named exports (the error classes come through the default export).
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import ocppRpc from 'ocpp-rpc';
import { CallErrorResponse } from '../src/errors/errors.js';
import type { ClientConnection } from '../src/transport/client.js';
import { connect, HandshakeError } from '../src/transport/client.js';
import { createServer, type OcppServer } from '../src/transport/server.js';
import type { ServerConnection } from '../src/transport/server-connection.js';
import * as v16 from '../src/versions/v16.js';
import * as v201 from '../src/versions/v201.js';

const { RPCClient, RPCServer, RPCError } = ocppRpc;

type RpcClient = InstanceType<typeof RPCClient>;
type RpcClientOptions = ConstructorParameters<typeof RPCClient>[0];
/** The server-side client ocpp-rpc emits on 'client' (its type is not exported from the package root). */
type RpcServerClient = RpcClient & {
  readonly handshake: { readonly identity: string; readonly password: Buffer | undefined };
};

const PASSWORD = 'interop-Password-0001';
const NOW = '2025-01-02T03:04:05.678Z';

/** ocpp-rpc's typings require every option; its runtime fills the defaults. */
function rpcClient(options: Partial<RpcClientOptions> & Pick<RpcClientOptions, 'identity'>): RpcClient {
  return new RPCClient({ reconnect: false, ...options } as RpcClientOptions);
}

/** Resolves with the next inbound raw message of an ocpp-rpc client that matches. */
function nextInbound(client: RpcClient, match: (text: string) => boolean): Promise<string> {
  return new Promise((resolve) => {
    const listener = (event: { message: Buffer | string; outbound: boolean }) => {
      const text = event.message.toString();
      if (event.outbound || !match(text)) return;
      client.off('message', listener);
      resolve(text);
    };
    client.on('message', listener);
  });
}

/** Fails instead of hanging when an awaited answer never comes. */
function within<T>(promise: Promise<T>, ms = 2000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Asserts that an ocpp-rpc call rejected with an RPCError of this wire code. */
async function rejectsWith(call: Promise<unknown>, rpcErrorCode: string): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    assert.ok(error instanceof RPCError, `expected an RPCError, got ${String(error)}`);
    assert.equal(error.rpcErrorCode, rpcErrorCode, error.message);
    return true;
  });
}

/** Hands out what `onConnection` created, by identity, whichever comes first: the waiter or the value. */
class Arrivals<T> {
  readonly #values = new Map<string, T>();
  readonly #waiters = new Map<string, (value: T) => void>();

  set(identity: string, value: T): void {
    this.#values.set(identity, value);
    this.#waiters.get(identity)?.(value);
  }

  get(identity: string): Promise<T> {
    const value = this.#values.get(identity);
    if (value !== undefined) return Promise.resolve(value);
    return new Promise((resolve) => this.#waiters.set(identity, resolve));
  }
}

describe('ocpp-rpc RPCClient (strict) → our server', { timeout: 15_000 }, () => {
  let server: OcppServer;
  let url: string;
  const clients: RpcClient[] = [];
  const received: Array<{ identity: string; action: string; request: unknown }> = [];
  const passwords = new Map<string, string | undefined>();
  const csms16 = new Arrivals<{ cp: v16.ChargePoint; connection: ServerConnection }>();
  const csms201 = new Arrivals<v201.ChargePoint>();

  const start = async (options: Partial<RpcClientOptions> & Pick<RpcClientOptions, 'identity'>) => {
    const client = rpcClient({ endpoint: url, ...options });
    clients.push(client);
    await client.connect();
    return client;
  };

  before(async () => {
    server = createServer({
      protocols: ['ocpp1.6', 'ocpp2.0.1'],
      pingIntervalMs: 0,
      authenticate: ({ identity, password }) => {
        passwords.set(identity, password);
        return true;
      },
      onConnection: (connection) => {
        const record = (action: string, request: unknown) =>
          received.push({ identity: connection.identity, action, request });
        if (connection.protocol === 'ocpp1.6') {
          const cp = new v16.ChargePoint(connection)
            .handle('BootNotification', (request) => {
              record('BootNotification', request);
              return { status: 'Accepted' as const, currentTime: NOW, interval: 300 };
            })
            .handle('Heartbeat', () => ({ currentTime: NOW }))
            .handle('StatusNotification', (request) => {
              record('StatusNotification', request);
              return {};
            });
          csms16.set(connection.identity, { cp, connection });
        } else {
          const cp = new v201.ChargePoint(connection)
            .handle('BootNotification', (request) => {
              record('BootNotification', request);
              return { status: 'Accepted' as const, currentTime: NOW, interval: 300 };
            })
            .handle('Heartbeat', () => ({ currentTime: NOW }))
            .handle('StatusNotification', (request) => {
              record('StatusNotification', request);
              return {};
            });
          csms201.set(connection.identity, cp);
        }
      },
    });
    const { port } = await server.listen(0, '127.0.0.1');
    url = `ws://127.0.0.1:${port}/ocpp`;
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server.close();
  });

  test('ocpp1.6: Boot, Heartbeat, StatusNotification, and our RemoteStartTransaction', async () => {
    const client = await start({
      identity: 'RPC16',
      protocols: ['ocpp1.6'],
      strictMode: true,
      password: PASSWORD,
    });
    assert.equal(client.protocol, 'ocpp1.6');
    assert.equal(passwords.get('RPC16'), PASSWORD, 'the Basic Auth password reached authenticate()');

    const boot = await client.call('BootNotification', {
      chargePointVendor: 'ocpp-rpc',
      chargePointModel: 'interop',
    });
    assert.deepEqual(boot, { status: 'Accepted', currentTime: NOW, interval: 300 });
    assert.deepEqual(await client.call('Heartbeat', {}), { currentTime: NOW });
    const status = { connectorId: 0, errorCode: 'NoError', status: 'Available' };
    assert.deepEqual(await client.call('StatusNotification', status), {});
    assert.deepEqual(
      received.filter((r) => r.identity === 'RPC16').map((r) => [r.action, r.request]),
      [
        ['BootNotification', { chargePointVendor: 'ocpp-rpc', chargePointModel: 'interop' }],
        ['StatusNotification', status],
      ],
    );

    let remoteStart: unknown;
    client.handle('RemoteStartTransaction', async ({ params }) => {
      remoteStart = params;
      return { status: 'Accepted' };
    });
    const { cp: csms, connection } = await csms16.get('RPC16');
    const answer = await csms.call('RemoteStartTransaction', { idTag: 'TAG-1', connectorId: 1 });
    assert.deepEqual(answer, { status: 'Accepted' });
    assert.deepEqual(remoteStart, { idTag: 'TAG-1', connectorId: 1 });

    // Quirk: a message type unknown to 1.6, sent raw through our transport, gets MessageTypeNotSupported,
    // and with id "-1" although the id was readable (it checks the type before it reads the id).
    const reply = new Promise<unknown>((resolve) => {
      const stop = csms.onFrame((event) => {
        if (event.direction === 'in' && event.frame?.[0] === 4) {
          stop();
          resolve(event.frame);
        }
      });
    });
    connection.send('[7,"raw-7",{}]');
    assert.deepEqual(((await within(reply)) as unknown[]).slice(0, 3), [4, '-1', 'MessageTypeNotSupported']);
  });

  test('ocpp2.0.1: Boot, Heartbeat, StatusNotification, and our RequestStartTransaction', async () => {
    const client = await start({ identity: 'RPC201', protocols: ['ocpp2.0.1'], strictMode: true });
    assert.equal(client.protocol, 'ocpp2.0.1');
    assert.equal(passwords.get('RPC201'), undefined);

    const bootRequest = { reason: 'PowerUp', chargingStation: { model: 'interop', vendorName: 'ocpp-rpc' } };
    assert.deepEqual(await client.call('BootNotification', bootRequest), {
      status: 'Accepted',
      currentTime: NOW,
      interval: 300,
    });
    assert.deepEqual(await client.call('Heartbeat', {}), { currentTime: NOW });
    const status = { timestamp: NOW, connectorStatus: 'Available', evseId: 1, connectorId: 1 };
    assert.deepEqual(await client.call('StatusNotification', status), {});
    assert.deepEqual(
      received.filter((r) => r.identity === 'RPC201').map((r) => r.request),
      [bootRequest, status],
    );

    let startRequest: unknown;
    client.handle('RequestStartTransaction', async ({ params }) => {
      startRequest = params;
      return { status: 'Accepted', transactionId: 'tx-1' };
    });
    const csms = await csms201.get('RPC201');
    const request = { idToken: { idToken: 'TAG-1', type: 'ISO14443' as const }, remoteStartId: 7, evseId: 1 };
    assert.deepEqual(await csms.call('RequestStartTransaction', request), {
      status: 'Accepted',
      transactionId: 'tx-1',
    });
    assert.deepEqual(startRequest, request);
  });

  test("the station's order of preference picks the subprotocol", async () => {
    // Our server lists ocpp1.6 first; the station prefers 2.0.1 (OCPP-J 2.0.1 Part 4 §3.1.3).
    const client = await start({ identity: 'RPC-PREF', protocols: ['ocpp2.0.1', 'ocpp1.6'] });
    assert.equal(client.protocol, 'ocpp2.0.1');
  });

  for (const protocol of ['ocpp1.6', 'ocpp2.0.1'] as const) {
    const is16 = protocol === 'ocpp1.6';
    const boot = is16
      ? { chargePointVendor: 'ocpp-rpc', chargePointModel: 'interop' }
      : { reason: 'PowerUp', chargingStation: { model: 'interop', vendorName: 'ocpp-rpc' } };

    test(`${protocol}: malformed CALLs get our CALLERROR, surfaced by ocpp-rpc as RPCError`, async () => {
      // strictMode off: ocpp-rpc sends what it is given, and we judge it.
      const client = await start({ identity: `LAX-${protocol}`, protocols: [protocol], strictMode: false });
      const missing = is16 ? { chargePointVendor: 'ocpp-rpc' } : { reason: 'PowerUp' };
      await rejectsWith(
        client.call('BootNotification', missing),
        is16 ? 'OccurenceConstraintViolation' : 'OccurrenceConstraintViolation',
      );
      const wrongType = is16
        ? { ...boot, chargePointVendor: 5 }
        : { ...boot, chargingStation: { model: 5, vendorName: 'x' } };
      await rejectsWith(client.call('BootNotification', wrongType), 'TypeConstraintViolation');
      const tooLong = is16
        ? { ...boot, chargePointVendor: 'x'.repeat(21) }
        : { ...boot, chargingStation: { model: 'x'.repeat(21), vendorName: 'x' } };
      await rejectsWith(client.call('BootNotification', tooLong), 'PropertyConstraintViolation');
      await rejectsWith(
        client.call('BootNotification', { ...boot, extra: true }),
        is16 ? 'FormationViolation' : 'FormatViolation',
      );
      await rejectsWith(client.call('NoSuchAction', {}), 'NotImplemented');
      await rejectsWith(client.call('Authorize', is16 ? { idTag: 'T' } : {}), 'NotSupported');
      // The connection is still usable after the refusals.
      assert.equal(((await client.call('BootNotification', boot)) as { status: string }).status, 'Accepted');
    });

    test(`${protocol}: unparseable frames sent raw get our CALLERROR with id "-1"`, async () => {
      const client = await start({ identity: `RAW-${protocol}`, protocols: [protocol], strictMode: false });
      const badMessages: string[] = [];
      client.on('badMessage', ({ error }: { error: Error }) => badMessages.push(error.message));

      const answer = nextInbound(client, (text) => text.startsWith('[4,"-1"'));
      client.sendRaw('this is not json');
      const frame = JSON.parse(await within(answer)) as unknown[];
      assert.deepEqual(frame.slice(0, 3), [4, '-1', is16 ? 'FormationViolation' : 'RpcFrameworkError']);
      // ocpp-rpc has no CALL with id "-1": it reports the CALLERROR as a bad message and does not answer it.
      await new Promise((resolve) => setImmediate(resolve));
      assert.match(badMessages.join('\n'), /unrecognised message ID: -1/);

      // An unknown message type: 2.0.1 answers MessageTypeNotSupported, 1.6 ignores it.
      const typeAnswer = nextInbound(client, (text) => text.includes('"raw-9"'));
      client.sendRaw('[9,"raw-9","Heartbeat",{}]');
      if (is16) {
        // Nothing comes back; a CALL afterwards is answered normally.
        assert.deepEqual(await client.call('Heartbeat', {}), { currentTime: NOW });
      } else {
        assert.deepEqual(JSON.parse(await within(typeAnswer)).slice(0, 3), [
          4,
          'raw-9',
          'MessageTypeNotSupported',
        ]);
      }
    });
  }
});

describe('our client → ocpp-rpc RPCServer (strict)', { timeout: 15_000 }, () => {
  let rpcServer: InstanceType<typeof RPCServer>;
  let url: string;
  const serverClients = new Arrivals<RpcServerClient>();
  const bootRequests: unknown[] = [];
  const authSeen: Array<{ identity: string; password: string | undefined }> = [];
  const transports: ClientConnection[] = [];

  const station = async (identity: string, protocols: Array<'ocpp1.6' | 'ocpp2.0.1'>, password?: string) => {
    const transport = await connect({ url, identity, protocols, password, reconnect: false });
    transports.push(transport);
    return transport;
  };

  before(async () => {
    rpcServer = new RPCServer({
      protocols: ['ocpp1.6', 'ocpp2.0.1'],
      strictMode: true,
      pingIntervalMs: 60_000,
    });
    rpcServer.auth((accept, reject, handshake) => {
      const password = handshake.password?.toString('utf8');
      authSeen.push({ identity: handshake.identity, password });
      if (handshake.identity.startsWith('AUTH') && password !== PASSWORD) return reject(401, 'Unauthorized');
      accept();
    });
    rpcServer.on('client', (client: RpcServerClient) => {
      client.handle('BootNotification', async ({ params }) => {
        bootRequests.push(params);
        return { status: 'Accepted', currentTime: NOW, interval: 300 };
      });
      serverClients.set(client.identity!, client);
    });
    const http = await rpcServer.listen(0, '127.0.0.1');
    url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ocpp`;
  });

  after(async () => {
    await Promise.all(transports.map((t) => t.close()));
    await rpcServer.close({});
  });

  test('ocpp1.6: BootNotification, and a GetConfiguration from ocpp-rpc handled by our ChargePoint', async () => {
    const cp = new v16.ChargePoint(await station('OURS16', ['ocpp1.6']));
    cp.handle('GetConfiguration', (request) => ({
      configurationKey: (request.key ?? []).map((key) => ({ key, readonly: true, value: '300' })),
      unknownKey: [],
    }));
    const boot = await cp.call('BootNotification', {
      chargePointVendor: 'ocppkit',
      chargePointModel: 'interop',
    });
    assert.deepEqual(boot, { status: 'Accepted', currentTime: NOW, interval: 300 });
    assert.deepEqual(bootRequests.at(-1), { chargePointVendor: 'ocppkit', chargePointModel: 'interop' });

    const remote = await serverClients.get('OURS16');
    assert.deepEqual(await remote.call('GetConfiguration', { key: ['HeartbeatInterval'] }), {
      configurationKey: [{ key: 'HeartbeatInterval', readonly: true, value: '300' }],
      unknownKey: [],
    });
    // A known action our ChargePoint has no handler for: NotSupported.
    await rejectsWith(remote.call('Reset', { type: 'Soft' }), 'NotSupported');
  });

  test('ocpp2.0.1: BootNotification, and a GetVariables from ocpp-rpc handled by our ChargePoint', async () => {
    const cp = new v201.ChargePoint(await station('OURS201', ['ocpp2.0.1']));
    cp.handle('GetVariables', (request) => ({
      getVariableResult: request.getVariableData.map(({ component, variable }) => ({
        attributeStatus: 'Accepted' as const,
        attributeValue: '300',
        component,
        variable,
      })),
    }));
    const boot = await cp.call('BootNotification', {
      reason: 'PowerUp',
      chargingStation: { model: 'interop', vendorName: 'ocppkit' },
    });
    assert.equal(boot.status, 'Accepted');

    const remote = await serverClients.get('OURS201');
    const query = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } };
    assert.deepEqual(await remote.call('GetVariables', { getVariableData: [query] }), {
      getVariableResult: [{ attributeStatus: 'Accepted', attributeValue: '300', ...query }],
    });
  });

  test("Basic Auth: our client's password reaches ocpp-rpc's auth callback; a wrong one gets 401", async () => {
    const transport = await station('AUTH-1', ['ocpp1.6'], PASSWORD);
    assert.equal(transport.connected, true);
    assert.deepEqual(authSeen.at(-1), { identity: 'AUTH-1', password: PASSWORD });

    await assert.rejects(station('AUTH-2', ['ocpp1.6'], 'wrong-password-0000'), (error: unknown) => {
      assert.ok(error instanceof HandshakeError);
      assert.equal(error.status, 401);
      return true;
    });
    assert.deepEqual(authSeen.at(-1), { identity: 'AUTH-2', password: 'wrong-password-0000' });
  });

  test("quirk: ocpp-rpc picks the subprotocol in the server's order, not the station's", async () => {
    const transport = await station('PREF', ['ocpp2.0.1', 'ocpp1.6']);
    assert.equal(transport.protocol, 'ocpp1.6');
  });

  test('quirks in its CALLERRORs: 2.x spelling on 1.6, NotImplemented for known actions', async () => {
    const cp = new v16.ChargePoint(await station('ERR16', ['ocpp1.6']));
    // Missing chargePointModel, sent without our validation so ocpp-rpc's strict mode judges it.
    const missing = { chargePointVendor: 'ocppkit' } as v16.BootNotificationRequest;
    await assert.rejects(cp.call('BootNotification', missing, { validate: false }), (error: unknown) => {
      assert.ok(error instanceof CallErrorResponse);
      // OCPP-J 1.6 errata §5.1 keeps "OccurenceConstraintViolation" on 1.6; ocpp-rpc sends the 2.x form.
      assert.equal(error.rawErrorCode, 'OccurrenceConstraintViolation');
      assert.equal(error.errorCode, 'OccurrenceConstraintViolation');
      return true;
    });
    const tooLong = { chargePointVendor: 'x'.repeat(21), chargePointModel: 'm' };
    await assert.rejects(cp.call('BootNotification', tooLong, { validate: false }), (error: unknown) => {
      assert.ok(error instanceof CallErrorResponse);
      // A maxLength failure: ocpp-rpc says FormationViolation where we say PropertyConstraintViolation.
      assert.equal(error.rawErrorCode, 'FormationViolation');
      assert.equal(error.errorCode, 'FormatViolation');
      return true;
    });
    // Authorize is a 1.6 action ocpp-rpc has no handler for: it says NotImplemented, where OCPP-J 1.6
    // §4.2.3 keeps NotImplemented for an action "not known" and NotSupported for "recognized but not supported".
    await assert.rejects(cp.call('Authorize', { idTag: 'TAG-1' }), (error: unknown) => {
      assert.ok(error instanceof CallErrorResponse);
      assert.equal(error.errorCode, 'NotImplemented');
      return true;
    });
  });
});
