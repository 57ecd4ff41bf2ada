/**
 * Every action of every version, both ways, over a real socket: our station-side client calls our
 * CSMS-side server and back, with validation on, for a minimal and a full sample of each message.
 * The receiving handler must see exactly the request sent and the caller exactly the response returned.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as schemas16 from 'typed-ocpp/dist/ocpp16/schemas.js';
import * as schemas201 from 'typed-ocpp/dist/ocpp20/schemas.js';
import * as schemas21 from 'typed-ocpp/dist/ocpp21/schemas.js';
import type { HandlerContext } from '../src/charge-point.js';
import { ValidationError } from '../src/errors/errors.js';
import type { OcppProtocol } from '../src/protocols.js';
import type { ClientConnection } from '../src/transport/client.js';
import { connect } from '../src/transport/client.js';
import { createServer, type OcppServer } from '../src/transport/server.js';
import type { ServerConnection } from '../src/transport/server-connection.js';
import type { Transport } from '../src/transport/transport.js';
import { getValidator } from '../src/validation/validator.js';
import * as v16 from '../src/versions/v16.js';
import * as v21 from '../src/versions/v21.js';
import * as v201 from '../src/versions/v201.js';
import { sampleFor, schemasByAction } from './support/samples.js';

type Payload = Record<string, unknown>;

/**
 * The loop below runs over every action of a version, so no single action's request/response types
 * apply; this view of a versioned `ChargePoint` takes plain objects instead.
 */
interface LoosePeer {
  handle(action: string, handler: (request: Payload, context: HandlerContext) => Payload): unknown;
  call(action: string, payload: Payload): Promise<unknown>;
  close(): Promise<void>;
}

interface Version {
  readonly protocol: OcppProtocol;
  readonly actions: readonly string[];
  readonly schemas: Readonly<Record<string, object>>;
  readonly peer: (transport: Transport) => LoosePeer;
}

const VERSIONS: readonly Version[] = [
  {
    protocol: v16.protocol,
    actions: v16.actions,
    schemas: schemas16,
    peer: (t) => new v16.ChargePoint(t) as unknown as LoosePeer,
  },
  {
    protocol: v201.protocol,
    actions: v201.actions,
    schemas: schemas201,
    peer: (t) => new v201.ChargePoint(t) as unknown as LoosePeer,
  },
  {
    protocol: v21.protocol,
    actions: v21.actions,
    schemas: schemas21,
    peer: (t) => new v21.ChargePoint(t) as unknown as LoosePeer,
  },
];

const MODES = [
  { name: 'minimal', full: false },
  { name: 'full', full: true },
] as const;

interface Samples {
  readonly request: Payload;
  readonly response: Payload;
}

/** Samples by mode name, then by action. */
function samplesOf(version: Version): Record<(typeof MODES)[number]['name'], Map<string, Samples>> {
  const byAction = schemasByAction(version.schemas, version.actions);
  const build = (full: boolean) =>
    new Map(
      [...byAction].map(([action, s]) => [
        action,
        {
          request: sampleFor(s.request, { full }) as Payload,
          response: sampleFor(s.response, { full }) as Payload,
        },
      ]),
    );
  return { minimal: build(false), full: build(true) };
}

describe('samples', () => {
  for (const version of VERSIONS) {
    test(`every ${version.protocol} sample is valid (${version.actions.length} actions, both modes)`, () => {
      const validator = getValidator(version.protocol);
      const byAction = schemasByAction(version.schemas, version.actions);
      for (const [action, schemas] of byAction) {
        for (const { name, full } of MODES) {
          for (const direction of ['request', 'response'] as const) {
            const sample = sampleFor(schemas[direction], { full });
            assert.equal(
              validator.validate(action, direction, sample),
              null,
              `${action} ${direction} (${name}): ${JSON.stringify(sample).slice(0, 300)}`,
            );
          }
        }
      }
    });
  }

  test('minimal samples hold only the required properties; full ones every property', () => {
    const minimal = sampleFor(schemas16.BootNotificationRequest);
    assert.deepEqual(minimal, {
      chargePointVendor: 'chargePointVendor',
      chargePointModel: 'chargePointModel',
    });
    const full = sampleFor(schemas16.BootNotificationRequest, { full: true }) as Payload;
    assert.equal(Object.keys(full).length, 9);
    // Strings at their maxLength in full mode: chargePointVendor is CiString20Type.
    assert.equal((full.chargePointVendor as string).length, 20);
  });

  test('customData is never generated (2.x)', () => {
    const full = JSON.stringify(sampleFor(schemas201.TransactionEventRequest, { full: true }));
    assert.equal(full.includes('customData'), false);
    assert.equal(full.includes('vendorId'), false);
  });
});

for (const version of VERSIONS) {
  describe(`round trip ${version.protocol}`, { timeout: 15_000 }, () => {
    const samples = samplesOf(version);
    let mode: (typeof MODES)[number]['name'] = 'minimal';
    let server: OcppServer;
    let transport: ClientConnection;
    let station: LoosePeer;
    let csms: LoosePeer;
    /** The last request each side's handler saw, by action. */
    const receivedByCsms = new Map<string, Payload>();
    const receivedByStation = new Map<string, Payload>();

    const register = (peer: LoosePeer, received: Map<string, Payload>) => {
      for (const action of version.actions) {
        peer.handle(action, (request, context) => {
          assert.equal(context.action, action);
          received.set(action, request);
          return samples[mode].get(action)!.response;
        });
      }
    };

    before(async () => {
      let accept: (peer: LoosePeer) => void = () => {};
      const accepted = new Promise<LoosePeer>((resolve) => {
        accept = resolve;
      });
      server = createServer({
        protocols: [version.protocol],
        pingIntervalMs: 0,
        onConnection: (connection: ServerConnection) => {
          const peer = version.peer(connection);
          register(peer, receivedByCsms);
          accept(peer);
        },
      });
      const { port } = await server.listen(0, '127.0.0.1');
      transport = await connect({
        url: `ws://127.0.0.1:${port}/ocpp`,
        identity: 'RT-1',
        protocols: [version.protocol],
        reconnect: false,
      });
      station = version.peer(transport);
      register(station, receivedByStation);
      csms = await accepted;
    });

    after(async () => {
      await station.close();
      await server.close();
    });

    for (const { name } of MODES) {
      for (const [direction, caller, received] of [
        ['station → CSMS', () => station, receivedByCsms],
        ['CSMS → station', () => csms, receivedByStation],
      ] as const) {
        test(`${name} samples, every action ${direction}`, async (t) => {
          mode = name;
          for (const action of version.actions) {
            await t.test(action, async () => {
              const { request, response } = samples[name].get(action)!;
              received.delete(action);
              const answer = await caller().call(action, request);
              assert.deepEqual(received.get(action), request, 'the handler got the request sent');
              assert.deepEqual(answer, response, 'the caller got the response returned');
            });
          }
        });
      }
    }

    test('validation is on: an invalid request is refused before it is sent', async () => {
      const first = version.actions.find((a) => a === 'BootNotification') ?? version.actions[0]!;
      await assert.rejects(station.call(first, { notAField: 1 }), (error: unknown) => {
        assert.ok(error instanceof ValidationError);
        assert.equal(error.code, 'OCPP_ERR_REQUEST_INVALID');
        return true;
      });
    });
  });
}

/**
 * 2.1's one SEND message (2.1 Part 4 §4.2.5) ships as schema `NotifyPeriodicEventStream`, with no
 * Request/Response suffix, so it is not in the generated `actions` (nor in the typed `send()`, hence
 * the loose view); the validator maps it by its bare name.
 */
test('ocpp2.1 SEND NotifyPeriodicEventStream reaches the CSMS handler, unanswered', {
  timeout: 5000,
}, async () => {
  let received: { request: Payload; unconfirmed: boolean } | undefined;
  const sentByCsms: string[] = [];
  let arrived: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const server = createServer({
    protocols: ['ocpp2.1'],
    pingIntervalMs: 0,
    onConnection: (connection) => {
      const csms = new v21.ChargePoint(connection);
      csms.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
      csms.onFrame((event) => {
        if (event.direction === 'out') sentByCsms.push(event.text);
      });
      (csms as unknown as LoosePeer).handle('NotifyPeriodicEventStream', (request, context) => {
        received = { request, unconfirmed: context.unconfirmed };
        arrived();
        return {};
      });
    },
  });
  const { port } = await server.listen(0, '127.0.0.1');
  const transport = await connect({
    url: `ws://127.0.0.1:${port}/ocpp`,
    identity: 'SEND-1',
    protocols: ['ocpp2.1'],
    reconnect: false,
  });
  const station = new v21.ChargePoint(transport);
  try {
    const payload = sampleFor(schemas21.NotifyPeriodicEventStream, { full: true }) as Payload;
    (station as unknown as { send(action: string, payload: Payload): void }).send(
      'NotifyPeriodicEventStream',
      payload,
    );
    await done;
    assert.deepEqual(received, { request: payload, unconfirmed: true });
    // A CALL after it is answered, and it is the only frame the CSMS sent: the SEND got no reply.
    await station.call('Heartbeat', {});
    assert.equal(sentByCsms.length, 1);
    assert.match(sentByCsms[0]!, /^\[3,/);
  } finally {
    await station.close();
    await server.close();
  }
});
