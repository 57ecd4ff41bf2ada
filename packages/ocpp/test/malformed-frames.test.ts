/**
 * Every malformed or unanswerable frame gets the answer its version's OCPP-J spec asks for
 * (OCPP-J 1.6 §4.2.3, 2.0.1 Part 4 §4.2.3 / §4.3), and leaves the connection, and every other
 * connection, working. Raw text goes from a `ws` client to a library server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CallErrorReply } from '../src/errors/errors.js';
import {
  connectRawPeer,
  deferred,
  type LibraryServer,
  type LooseChargePoint,
  type RawPeer,
  startLibraryServer,
} from './support/raw-peer.js';

type Version = 'ocpp1.6' | 'ocpp2.0.1';

/** What differs between the versions: the code spellings and payloads that break each schema rule. */
interface Fixture {
  readonly protocol: Version;
  readonly invalidJson: string;
  readonly badFrame: string;
  readonly format: string;
  readonly occurrence: string;
  /** Answer to an unknown message type: a CALLERROR code, or null for "ignore it". */
  readonly unknownType: string | null;
  readonly validBoot: Record<string, unknown>;
  readonly bootMissingRequired: Record<string, unknown>;
  readonly bootWrongType: Record<string, unknown>;
  readonly bootTooLong: Record<string, unknown>;
  readonly bootExtraProperty: Record<string, unknown>;
  readonly badEnum: readonly [string, Record<string, unknown>];
  readonly badDateTime: readonly [string, Record<string, unknown>];
  readonly outOfRange: readonly [string, Record<string, unknown>];
  /** The same message with a value just inside the range. */
  readonly inRange: readonly [string, Record<string, unknown>];
  /** An action of the version this server does not handle. */
  readonly unhandled: readonly [string, Record<string, unknown>];
}

const v16ChargingProfile = (limit: number) => ({
  connectorId: 1,
  csChargingProfiles: {
    chargingProfileId: 1,
    stackLevel: 0,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Absolute',
    chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
  },
});

const v201EvSchedule = (ePriceLevel: number) => ({
  timeBase: '2025-01-01T00:00:00Z',
  evseId: 1,
  chargingSchedule: {
    id: 1,
    chargingRateUnit: 'A',
    chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
    salesTariff: { id: 1, salesTariffEntry: [{ relativeTimeInterval: { start: 0 }, ePriceLevel }] },
  },
});

const FIXTURES: readonly Fixture[] = [
  {
    protocol: 'ocpp1.6',
    invalidJson: 'FormationViolation',
    badFrame: 'ProtocolError',
    format: 'FormationViolation',
    occurrence: 'OccurenceConstraintViolation',
    unknownType: null,
    validBoot: { chargePointVendor: 'V', chargePointModel: 'M' },
    bootMissingRequired: { chargePointVendor: 'V' },
    bootWrongType: { chargePointVendor: 5, chargePointModel: 'M' },
    bootTooLong: { chargePointVendor: 'V'.repeat(21), chargePointModel: 'M' },
    bootExtraProperty: { chargePointVendor: 'V', chargePointModel: 'M', colour: 'red' },
    badEnum: ['StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Sleeping' }],
    badDateTime: [
      'StatusNotification',
      { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: 'yesterday' },
    ],
    // 1.6 limits are multipleOf 0.1: 0.15 is out of the value space.
    outOfRange: ['SetChargingProfile', v16ChargingProfile(0.15)],
    // 6.3 / 0.1 is 62.99999999999999 in floating point, yet 6.3 A is a valid limit.
    inRange: ['SetChargingProfile', v16ChargingProfile(6.3)],
    unhandled: ['Reset', { type: 'Soft' }],
  },
  {
    protocol: 'ocpp2.0.1',
    invalidJson: 'RpcFrameworkError',
    badFrame: 'RpcFrameworkError',
    format: 'FormatViolation',
    occurrence: 'OccurrenceConstraintViolation',
    unknownType: 'MessageTypeNotSupported',
    validBoot: { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } },
    bootMissingRequired: { reason: 'PowerUp' },
    bootWrongType: { reason: 'PowerUp', chargingStation: { model: 5, vendorName: 'V' } },
    bootTooLong: { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V'.repeat(51) } },
    bootExtraProperty: {
      reason: 'PowerUp',
      chargingStation: { model: 'M', vendorName: 'V' },
      colour: 'red',
    },
    badEnum: ['BootNotification', { reason: 'Sneezed', chargingStation: { model: 'M', vendorName: 'V' } }],
    badDateTime: [
      'StatusNotification',
      { timestamp: 'yesterday', connectorStatus: 'Available', evseId: 1, connectorId: 1 },
    ],
    // ePriceLevel has minimum 0.
    outOfRange: ['NotifyEVChargingSchedule', v201EvSchedule(-1)],
    inRange: ['NotifyEVChargingSchedule', v201EvSchedule(0)],
    unhandled: ['Reset', { type: 'Immediate' }],
  },
];

/** Text the peer sends that must never come back in an answer. */
const SECRET = 'hunter2-SECRET-7f3a';
const LEAKED_VALUE = 'LEAKED-RESPONSE-VALUE-51c2';

interface Case {
  readonly name: string;
  readonly send: string;
  /** `[id, code]` of the expected CALLERROR, or null when no answer at all is expected. */
  readonly answer: readonly [string, string] | null;
  /** Extra checks on the answer frame's description. */
  readonly description?: (description: string) => void;
}

const call = (id: string, action: string, payload: unknown) => JSON.stringify([2, id, action, payload]);

function casesFor(f: Fixture): Case[] {
  const unknownType = (id: string): readonly [string, string] | null =>
    f.unknownType === null ? null : [id, f.unknownType];
  return [
    {
      name: 'invalid JSON → id "-1" and is never echoed',
      send: `[2,"ij-1","Heartbeat",{"note":"${SECRET}"}`,
      answer: ['-1', f.invalidJson],
      description: (d) => assert.ok(!d.includes(SECRET) && !d.includes('Heartbeat'), d),
    },
    { name: 'not an array (object)', send: '{"messageTypeId":2}', answer: ['-1', f.badFrame] },
    { name: 'not an array (string)', send: '"hello"', answer: ['-1', f.badFrame] },
    { name: 'not an array (number)', send: '42', answer: ['-1', f.badFrame] },
    { name: 'not an array (null)', send: 'null', answer: ['-1', f.badFrame] },
    { name: 'empty array', send: '[]', answer: ['-1', f.badFrame] },
    { name: 'missing id', send: '[2]', answer: ['-1', f.badFrame] },
    { name: 'numeric id', send: '[2,17,"Heartbeat",{}]', answer: ['-1', f.badFrame] },
    { name: 'null id', send: '[2,null,"Heartbeat",{}]', answer: ['-1', f.badFrame] },
    { name: 'empty id', send: call('', 'Heartbeat', {}), answer: ['-1', f.badFrame] },
    { name: 'id of 37 characters', send: call('x'.repeat(37), 'Heartbeat', {}), answer: ['-1', f.badFrame] },
    { name: 'CALL with 3 elements', send: '[2,"wc-1","Heartbeat"]', answer: ['wc-1', f.badFrame] },
    { name: 'CALL with 5 elements', send: '[2,"wc-2","Heartbeat",{},{}]', answer: ['wc-2', f.badFrame] },
    { name: 'CALL with a numeric action', send: '[2,"wc-3",7,{}]', answer: ['wc-3', f.badFrame] },
    { name: 'unknown message type 9', send: '[9,"ut-1","Heartbeat",{}]', answer: unknownType('ut-1') },
    { name: 'unknown message type 0', send: '[0,"ut-2"]', answer: unknownType('ut-2') },
    { name: 'message type as a string', send: '["2","ut-3","Heartbeat",{}]', answer: unknownType('ut-3') },
    {
      name: '2.1 CALLRESULTERROR frame',
      send: '[5,"r5-1","FormatViolation","x",{}]',
      answer: unknownType('r5-1'),
    },
    { name: '2.1 SEND frame', send: '[6,"s6-1","Heartbeat",{}]', answer: unknownType('s6-1') },
    // Types 5 and 6 mean nothing before 2.1, so their shape does not matter either.
    { name: 'short 2.1 SEND frame', send: '[6,"s6-2"]', answer: unknownType('s6-2') },
    {
      name: 'short 2.1 CALLRESULTERROR frame',
      send: '[5,"r5-2","FormatViolation"]',
      answer: unknownType('r5-2'),
    },
    { name: 'unknown action', send: call('ua-1', 'MakeCoffee', {}), answer: ['ua-1', 'NotImplemented'] },
    {
      name: 'unknown action of 1000 characters',
      send: call('ua-2', 'A'.repeat(1000), {}),
      answer: ['ua-2', 'NotImplemented'],
    },
    {
      name: 'known action without a handler',
      send: call('ns-1', f.unhandled[0], f.unhandled[1]),
      answer: ['ns-1', 'NotSupported'],
    },
    {
      name: 'missing required property',
      send: call('sv-1', 'BootNotification', f.bootMissingRequired),
      answer: ['sv-1', f.occurrence],
    },
    {
      name: 'wrong JSON type',
      send: call('sv-2', 'BootNotification', f.bootWrongType),
      answer: ['sv-2', 'TypeConstraintViolation'],
    },
    {
      name: 'value not in the enum',
      send: call('sv-3', f.badEnum[0], f.badEnum[1]),
      answer: ['sv-3', 'PropertyConstraintViolation'],
    },
    {
      name: 'string too long',
      send: call('sv-4', 'BootNotification', f.bootTooLong),
      answer: ['sv-4', 'PropertyConstraintViolation'],
    },
    {
      name: 'number out of range',
      send: call('sv-5', f.outOfRange[0], f.outOfRange[1]),
      answer: ['sv-5', 'PropertyConstraintViolation'],
    },
    {
      name: 'date-time not a date-time',
      send: call('sv-6', f.badDateTime[0], f.badDateTime[1]),
      answer: ['sv-6', 'PropertyConstraintViolation'],
    },
    {
      name: 'extra property',
      send: call('sv-7', 'BootNotification', f.bootExtraProperty),
      answer: ['sv-7', f.format],
    },
    { name: 'payload is an array', send: call('po-1', 'Heartbeat', []), answer: ['po-1', f.format] },
    { name: 'payload is a string', send: call('po-2', 'Heartbeat', 'x'), answer: ['po-2', f.format] },
    { name: 'payload is null', send: call('po-3', 'Heartbeat', null), answer: ['po-3', f.format] },
    {
      name: 'handler throws → InternalError without message or stack',
      send: call('hf-1', 'DataTransfer', { vendorId: 'throw' }),
      answer: ['hf-1', 'InternalError'],
      description: (d) => {
        assert.ok(!d.includes(SECRET), d);
        assert.ok(!/\bat\s|\.js:\d|Error:/.test(d), `stack-like text in ${d}`);
      },
    },
    {
      name: 'handler returns an invalid response → InternalError, not the response',
      send: call('hf-2', 'FirmwareStatusNotification', { status: 'Downloaded' }),
      answer: ['hf-2', 'InternalError'],
      description: (d) => assert.ok(!d.includes(LEAKED_VALUE), d),
    },
    {
      name: "handler throws CallErrorReply('SecurityError')",
      send: call('ce-1', 'DataTransfer', { vendorId: 'security' }),
      answer: ['ce-1', 'SecurityError'],
      description: (d) => assert.equal(d, 'x'),
    },
    {
      name: 'CallErrorReply with a 1000-character description is cut to 255',
      send: call('ce-2', 'DataTransfer', { vendorId: 'long' }),
      answer: ['ce-2', 'GenericError'],
      description: (d) => assert.equal(d, 'd'.repeat(255)),
    },
    { name: 'CALLRESULT for an unknown id is dropped', send: '[3,"nobody-1",{}]', answer: null },
    {
      name: 'CALLERROR for an unknown id is dropped',
      send: '[4,"nobody-2","GenericError","",{}]',
      answer: null,
    },
  ];
}

for (const f of FIXTURES) {
  describe(`malformed input on ${f.protocol}`, () => {
    let server: LibraryServer<LooseChargePoint>;
    let peer: RawPeer;
    let bystander: RawPeer;
    const slowStarted = deferred();
    const releaseSlow = deferred();
    let heartbeatCount = 0;

    before(async () => {
      server = await startLibraryServer({
        protocols: [f.protocol],
        setup(cp) {
          const now = () => new Date().toISOString();
          cp.handle('Heartbeat', () => ({ currentTime: now() }));
          cp.handle('BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 300 }));
          cp.handle('StatusNotification', () => ({}));
          cp.handle('SetChargingProfile', () => ({ status: 'Accepted' }));
          cp.handle('NotifyEVChargingSchedule', () => ({ status: 'Accepted' }));
          cp.handle('FirmwareStatusNotification', () => ({ note: LEAKED_VALUE }));
          cp.handle('DataTransfer', async (request) => {
            switch (request.vendorId) {
              case 'throw':
                throw new Error(`cannot reach postgres://admin:${SECRET}@db`);
              case 'security':
                throw new CallErrorReply('SecurityError', 'x');
              case 'long':
                throw new CallErrorReply('GenericError', 'd'.repeat(1000));
              case 'slow':
                slowStarted.resolve();
                await releaseSlow.promise;
                return { status: 'Accepted' };
              default:
                return { status: 'Accepted' };
            }
          });
        },
      });
      peer = await connectRawPeer(`${server.url}/RAW-${f.protocol}`, f.protocol);
      bystander = await connectRawPeer(`${server.url}/BYSTANDER-${f.protocol}`, f.protocol);
      assert.equal(peer.protocol, f.protocol);
    });

    after(async () => {
      await peer.close();
      await bystander.close();
      await server.close();
    });

    /** Both connections still answer a valid Heartbeat. */
    async function assertStillWorking(): Promise<void> {
      for (const p of [peer, bystander]) {
        heartbeatCount += 1;
        const id = `hb-${heartbeatCount}`;
        const reply = await p.call(id, 'Heartbeat', {});
        assert.equal(reply[0], 3, JSON.stringify(reply));
        assert.equal(reply[1], id);
        assert.equal(typeof (reply[2] as { currentTime?: unknown }).currentTime, 'string');
        assert.ok(p.open);
      }
    }

    for (const c of casesFor(f)) {
      test(c.name, async () => {
        peer.send(c.send);
        if (c.answer === null) {
          await peer.expectSilence(60);
        } else {
          const text = await peer.nextMessage();
          const frame = JSON.parse(text) as unknown[];
          assert.equal(frame.length, 5, text);
          const [type, id, code, description, details] = frame;
          assert.deepEqual([type, id, code], [4, ...c.answer], text);
          assert.equal(typeof description, 'string');
          assert.ok(
            (description as string).length <= 255,
            `description of ${(description as string).length}`,
          );
          assert.deepEqual(details, {});
          c.description?.(description as string);
        }
        await assertStillWorking();
      });
    }

    test('an id of exactly 36 characters is accepted', async () => {
      const id = 'y'.repeat(36);
      const reply = await peer.call(id, 'Heartbeat', {});
      assert.deepEqual(reply.slice(0, 2), [3, id]);
    });

    test('the valid neighbours of the broken payloads are answered with a CALLRESULT', async () => {
      assert.deepEqual((await peer.call('ok-1', 'BootNotification', f.validBoot)).slice(0, 2), [3, 'ok-1']);
      assert.deepEqual((await peer.call('ok-2', ...f.inRange)).slice(0, 2), [3, 'ok-2']);
    });

    test('a second CALL with the id of a CALL still being handled is refused', async () => {
      const duplicateCode = f.protocol === 'ocpp1.6' ? 'ProtocolError' : 'RpcFrameworkError';
      peer.send(call('dup-1', 'DataTransfer', { vendorId: 'slow' }));
      await slowStarted.promise;
      peer.send(call('dup-1', 'DataTransfer', { vendorId: 'slow' }));
      const refusal = await peer.nextFrame();
      assert.deepEqual(refusal.slice(0, 3), [4, 'dup-1', duplicateCode]);
      releaseSlow.resolve();
      assert.deepEqual(await peer.nextFrame(), [3, 'dup-1', { status: 'Accepted' }]);
      await peer.expectSilence(50);
      // Once answered, the id is free again (uniqueness is the sender's business, not a lasting ban).
      assert.deepEqual(await peer.call('dup-1', 'Heartbeat', {}).then((r) => r.slice(0, 2)), [3, 'dup-1']);
      await assertStillWorking();
    });
  });
}
