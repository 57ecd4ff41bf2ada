import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as schemas16 from 'typed-ocpp/dist/ocpp16/schemas.js';
import * as schemas20 from 'typed-ocpp/dist/ocpp20/schemas.js';
import * as schemas21 from 'typed-ocpp/dist/ocpp21/schemas.js';
import * as v16 from '../src/generated/v16.js';
import * as v21 from '../src/generated/v21.js';
import * as v201 from '../src/generated/v201.js';

// The compiled test lives in packages/ocpp/dist/test/, the generator in packages/ocpp/scripts/.
const scriptPath = fileURLToPath(new URL('../../scripts/generate.mjs', import.meta.url));

/** Action names as the generator derives them: every XRequest export with a matching XResponse, sorted. */
function actionsOf(schemas: object): string[] {
  const names = new Set(Object.keys(schemas));
  return [...names]
    .filter((n) => n.endsWith('Request') && names.has(`${n.slice(0, -'Request'.length)}Response`))
    .map((n) => n.slice(0, -'Request'.length))
    .sort();
}

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

test('generated files are up to date (generate.mjs --check)', () => {
  const r = spawnSync(process.execPath, [scriptPath, '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `generate.mjs --check failed:\n${r.stdout}${r.stderr}`);
});

test('actions match the typed-ocpp schema exports', () => {
  assert.deepEqual([...v16.actions], actionsOf(schemas16));
  assert.deepEqual([...v201.actions], actionsOf(schemas20));
  assert.deepEqual([...v21.actions], actionsOf(schemas21));
  assert.equal(v16.protocol, 'ocpp1.6');
  assert.equal(v201.protocol, 'ocpp2.0.1');
  assert.equal(v21.protocol, 'ocpp2.1');
});

test('concrete facts about the generated modules', () => {
  for (const a of [
    'BootNotification',
    'SignCertificate',
    'SecurityEventNotification',
    'RemoteStartTransaction',
  ]) {
    assert.ok((v16.actions as readonly string[]).includes(a), `v16 lacks ${a}`);
  }
  for (const a of ['TransactionEvent', 'NotifyReport', 'Get15118EVCertificate']) {
    assert.ok((v201.actions as readonly string[]).includes(a), `v201 lacks ${a}`);
  }
  assert.equal(v16.actions.length, 39);
  assert.equal(v201.actions.length, 64);
  assert.equal(v21.actions.length, 90);
  assert.ok(v21.actions.length > v201.actions.length);
  // OCPP 2.1's one SEND message has no response, so it is a payload type but not an action.
  assert.ok('NotifyPeriodicEventStream' in schemas21);
  assert.ok(!(v21.actions as readonly string[]).includes('NotifyPeriodicEventStream'));

  assert.equal(v201.RegistrationStatusEnumType.Accepted, 'Accepted');
  assert.deepEqual(Object.values(v201.RegistrationStatusEnumType), ['Accepted', 'Pending', 'Rejected']);
  assert.equal(v16.BootNotificationResponseStatus.Pending, 'Pending');
  assert.equal(
    v16.MeterValuesRequestMeterValueSampledValueMeasurand['Energy.Active.Import.Register'],
    'Energy.Active.Import.Register',
  );
  assert.equal(v16.MeterValuesRequestMeterValueSampledValuePhase['L1-N'], 'L1-N');
});

test('type-level checks (enforced by tsc when this file compiles)', () => {
  const exact: [
    Equal<v16.Action, (typeof v16.actions)[number]>,
    Equal<v201.Action, (typeof v201.actions)[number]>,
    Equal<v21.Action, (typeof v21.actions)[number]>,
    Equal<v201.ActionMap['BootNotification']['request'], v201.BootNotificationRequest>,
    Equal<
      v16.StopTransactionRequestTransactionDataSampledValueMeasurand,
      v16.MeterValuesRequestMeterValueSampledValueMeasurand
    >,
  ] = [true, true, true, true, true];

  const boot16: v16.BootNotificationRequest = { chargePointVendor: 'ACME', chargePointModel: 'X1' };
  const bootResponse201: v201.BootNotificationResponse = {
    currentTime: '2024-01-01T00:00:00Z',
    interval: 300,
    status: v201.RegistrationStatusEnumType.Accepted,
  };
  const meter16: v16.MeterValuesRequest = {
    connectorId: 1,
    meterValue: [
      {
        timestamp: '2024-01-01T00:00:00Z',
        sampledValue: [{ value: '42', measurand: 'Energy.Active.Import.Register', phase: 'L1-N' }],
      },
    ],
  };
  const data201: v201.DataTransferRequest = { vendorId: 'ACME', data: { anything: [1, 2, 3] } };
  const good: unknown[] = [boot16, bootResponse201, meter16, data201];

  // @ts-expect-error chargePointModel is required
  const noModel: v16.BootNotificationRequest = { chargePointVendor: 'ACME' };
  // @ts-expect-error 'Maybe' is not a RegistrationStatusEnumType
  const maybe: v201.BootNotificationResponse = { currentTime: '', interval: 1, status: 'Maybe' };
  // @ts-expect-error unknown property
  const extra: v201.HeartbeatResponse = { currentTime: '2024-01-01T00:00:00Z', bogus: true };
  // @ts-expect-error interval is a number
  const textInterval: v16.BootNotificationResponse = { status: 'Accepted', currentTime: '', interval: '1' };
  // @ts-expect-error 'Kilowatts' is not a measurand
  const badMeasurand: v16.MeterValuesRequestMeterValueSampledValue = { value: '1', measurand: 'Kilowatts' };
  // @ts-expect-error 'Foo' is not an action
  const badAction: v201.Action = 'Foo';
  const bad: unknown[] = [noModel, maybe, extra, textInterval, badMeasurand, badAction];

  assert.deepEqual(exact, [true, true, true, true, true]);
  assert.equal(good.length, 4);
  assert.equal(bad.length, 6);
});
