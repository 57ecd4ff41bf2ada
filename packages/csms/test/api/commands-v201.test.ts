/**
 * Every friendly command against a connected OCPP 2.0.1 station over real sockets: the same
 * version-neutral bodies as the 1.6 test, translated to the 2.0.1 actions and payloads.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import { refused, roundTrip } from './command-round-trip.js';
import { connectStation, type TestStation } from './station-peers.js';

const ID = 'CMD201-1';
const EXPIRES = '2030-06-01T12:00:00.000Z';
const PROFILE_201 = {
  id: 3,
  stackLevel: 0,
  chargingProfilePurpose: 'TxDefaultProfile',
  chargingProfileKind: 'Relative',
  chargingSchedule: [
    { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] },
  ],
};
const COMPOSITE = {
  status: 'Accepted',
  schedule: {
    evseId: 1,
    duration: 600,
    scheduleStart: '2030-01-01T00:00:00.000Z',
    chargingRateUnit: 'W',
    chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }],
  },
};

type Payload = Record<string, unknown>;
type VariableData = { component: object; variable: { name: string } };
const accepted = () => ({ status: 'Accepted' });

for (const kind of databaseKinds()) {
  describe(`friendly commands, OCPP 2.0.1 [${kind}]`, () => {
    let csms: TestCsms;
    let station: TestStation;
    before(async () => {
      csms = await startTestCsms(kind);
      station = await connectStation(csms, ID, 'ocpp2.0.1', {
        RequestStartTransaction: accepted,
        RequestStopTransaction: accepted,
        Reset: accepted,
        UnlockConnector: () => ({ status: 'Unlocked' }),
        ChangeAvailability: accepted,
        GetVariables: (request: Payload) => ({
          getVariableResult: (request.getVariableData as VariableData[]).map((d) =>
            d.variable.name === 'Unknown'
              ? { attributeStatus: 'UnknownVariable', component: d.component, variable: d.variable }
              : {
                  attributeStatus: 'Accepted',
                  attributeValue: '42',
                  component: d.component,
                  variable: d.variable,
                },
          ),
        }),
        SetVariables: (request: Payload) => ({
          setVariableResult: (request.setVariableData as VariableData[]).map((d) => ({
            attributeStatus: d.variable.name === 'ReadOnly' ? 'Rejected' : 'Accepted',
            component: d.component,
            variable: d.variable,
          })),
        }),
        TriggerMessage: accepted,
        SetChargingProfile: accepted,
        ClearChargingProfile: accepted,
        GetCompositeSchedule: () => COMPOSITE,
        ReserveNow: accepted,
        CancelReservation: accepted,
        SendLocalList: accepted,
        UpdateFirmware: accepted,
        GetLog: () => ({ status: 'Accepted', filename: 'log.tar' }),
        ClearCache: accepted,
        DataTransfer: (request: Payload) => ({ status: 'Accepted', data: { echo: request.data } }),
      });
    });
    after(async () => {
      await station?.close();
      await csms?.stop();
    });

    test('remote-start → RequestStartTransaction with a generated remoteStartId', async () => {
      await csms.stores.idTokens.create({ idToken: 'KEY-9', type: 'KeyCode' });
      const known = await roundTrip(
        csms,
        station,
        'remote-start',
        { idToken: 'KEY-9', evseId: 1 },
        {
          action: 'RequestStartTransaction',
        },
      );
      const remoteStartId = known.request.remoteStartId;
      assert.ok(Number.isInteger(remoteStartId) && (remoteStartId as number) > 0);
      assert.deepEqual(known.request, {
        idToken: { idToken: 'KEY-9', type: 'KeyCode' },
        evseId: 1,
        remoteStartId,
      });
      const unknown = await roundTrip(
        csms,
        station,
        'remote-start',
        { idToken: 'APP-1' },
        { action: 'RequestStartTransaction' },
      );
      assert.deepEqual(unknown.request.idToken, { idToken: 'APP-1', type: 'Central' });
      assert.equal(unknown.request.evseId, undefined);
      const typed = await roundTrip(
        csms,
        station,
        'remote-start',
        { idToken: 'EMAID-1', idTokenType: 'eMAID' },
        {
          action: 'RequestStartTransaction',
        },
      );
      assert.deepEqual(typed.request.idToken, { idToken: 'EMAID-1', type: 'eMAID' });
      await refused(
        csms,
        station,
        'remote-start',
        { idToken: 'A', connectorId: 1 },
        400,
        'VALIDATION_FAILED',
      );
    });

    test("remote-stop → RequestStopTransaction with the station's transaction id", async () => {
      const { transaction } = await csms.stores.transactions.recordTransactionEvent(ID, {
        eventType: 'Started',
        timestamp: new Date().toISOString(),
        triggerReason: 'RemoteStart',
        seqNo: 0,
        transactionInfo: { transactionId: 'station-tx-77' },
        evse: { id: 1, connectorId: 1 },
      });
      await roundTrip(
        csms,
        station,
        'remote-stop',
        { transactionId: transaction.id },
        {
          action: 'RequestStopTransaction',
          payload: { transactionId: 'station-tx-77' },
        },
      );
      await refused(csms, station, 'remote-stop', { transactionId: 999_999 }, 404, 'TRANSACTION_NOT_FOUND');
      await refused(
        csms,
        station,
        'remote-stop',
        { transactionId: 'station-tx-77' },
        400,
        'VALIDATION_FAILED',
      );
    });

    test('reset → Reset OnIdle / Immediate', async () => {
      await roundTrip(
        csms,
        station,
        'reset',
        { type: 'soft' },
        { action: 'Reset', payload: { type: 'OnIdle' } },
      );
      await roundTrip(
        csms,
        station,
        'reset',
        { type: 'hard', evseId: 1 },
        {
          action: 'Reset',
          payload: { type: 'Immediate', evseId: 1 },
        },
      );
    });

    test('unlock → UnlockConnector on an EVSE', async () => {
      await roundTrip(
        csms,
        station,
        'unlock',
        { evseId: 1 },
        { action: 'UnlockConnector', payload: { evseId: 1, connectorId: 1 } },
      );
      await roundTrip(
        csms,
        station,
        'unlock',
        { evseId: 2, connectorId: 2 },
        {
          action: 'UnlockConnector',
          payload: { evseId: 2, connectorId: 2 },
        },
      );
      await refused(csms, station, 'unlock', { connectorId: 1 }, 400, 'VALIDATION_FAILED');
    });

    test('change-availability → ChangeAvailability for the station or an EVSE', async () => {
      await roundTrip(
        csms,
        station,
        'change-availability',
        { status: 'Inoperative', evseId: 1, connectorId: 2 },
        {
          action: 'ChangeAvailability',
          payload: { operationalStatus: 'Inoperative', evse: { id: 1, connectorId: 2 } },
        },
      );
      await roundTrip(
        csms,
        station,
        'change-availability',
        { status: 'Operative' },
        {
          action: 'ChangeAvailability',
          payload: { operationalStatus: 'Operative' },
        },
      );
    });

    test('get-variables → GetVariables, accepted values stored', async () => {
      const reply = await roundTrip(
        csms,
        station,
        'get-variables',
        {
          variables: [
            { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
            {
              component: { name: 'EVSE', evse: { id: 1 } },
              variable: { name: 'Unknown' },
              attributeType: 'Actual',
            },
          ],
        },
        {
          action: 'GetVariables',
          payload: {
            getVariableData: [
              { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
              {
                component: { name: 'EVSE', evse: { id: 1 } },
                variable: { name: 'Unknown' },
                attributeType: 'Actual',
              },
            ],
          },
        },
      );
      assert.equal((reply.response.getVariableResult as unknown[]).length, 2);
      const stored = await csms.stores.deviceModel.list(ID);
      assert.deepEqual(
        stored.map((v) => [v.component_name, v.variable_name, v.value]),
        [['OCPPCommCtrlr', 'HeartbeatInterval', '42']],
      );
    });

    test('set-variables → SetVariables, accepted values stored, rejected ones not', async () => {
      await roundTrip(
        csms,
        station,
        'set-variables',
        {
          variables: [
            { component: { name: 'TxCtrlr' }, variable: { name: 'EVConnectionTimeOut' }, value: '90' },
            { component: { name: 'TxCtrlr' }, variable: { name: 'ReadOnly' }, value: 'x' },
          ],
        },
        {
          action: 'SetVariables',
          payload: {
            setVariableData: [
              {
                component: { name: 'TxCtrlr' },
                variable: { name: 'EVConnectionTimeOut' },
                attributeValue: '90',
              },
              { component: { name: 'TxCtrlr' }, variable: { name: 'ReadOnly' }, attributeValue: 'x' },
            ],
          },
        },
      );
      const stored = await csms.stores.deviceModel.list(ID, { componentName: 'TxCtrlr' });
      assert.deepEqual(
        stored.map((v) => [v.variable_name, v.value]),
        [['EVConnectionTimeOut', '90']],
      );
      await refused(csms, station, 'set-variables', { variables: [] }, 400, 'VALIDATION_FAILED');
    });

    test('trigger-message → TriggerMessage with an EVSE', async () => {
      await roundTrip(
        csms,
        station,
        'trigger-message',
        { message: 'StatusNotification', evseId: 1, connectorId: 1 },
        {
          action: 'TriggerMessage',
          payload: { requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 1 } },
        },
      );
      await refused(
        csms,
        station,
        'trigger-message',
        { message: 'DiagnosticsStatusNotification' },
        400,
        'INVALID_OCPP_REQUEST',
      );
    });

    test('set/clear charging profile and composite schedule (stored)', async () => {
      await roundTrip(
        csms,
        station,
        'set-charging-profile',
        { evseId: 1, chargingProfile: PROFILE_201 },
        {
          action: 'SetChargingProfile',
          payload: { evseId: 1, chargingProfile: PROFILE_201 },
        },
      );
      await roundTrip(
        csms,
        station,
        'clear-charging-profile',
        { evseId: 1, purpose: 'TxDefaultProfile', stackLevel: 0 },
        {
          action: 'ClearChargingProfile',
          payload: {
            chargingProfileCriteria: { evseId: 1, chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 0 },
          },
        },
      );
      await roundTrip(
        csms,
        station,
        'clear-charging-profile',
        { chargingProfileId: 3 },
        {
          action: 'ClearChargingProfile',
          payload: { chargingProfileId: 3 },
        },
      );
      await roundTrip(
        csms,
        station,
        'get-composite-schedule',
        { evseId: 1, duration: 600 },
        {
          action: 'GetCompositeSchedule',
          payload: { evseId: 1, duration: 600 },
        },
      );
      const reports = await csms.stores.chargingProfiles.list(ID, { kind: 'composite_schedule' });
      assert.deepEqual(reports.items[0]?.payload, COMPOSITE);
      assert.equal(reports.items[0]?.evse_id, 1);
    });

    test('reserve → ReserveNow with the reservation id; cancel-reservation', async () => {
      const reply = await roundTrip(
        csms,
        station,
        'reserve',
        { idToken: 'TAG-R2', evseId: 1, expiresAt: EXPIRES, connectorType: 'cType2' },
        { action: 'ReserveNow' },
      );
      const id = reply.request.id as number;
      assert.deepEqual(reply.request, {
        id,
        expiryDateTime: EXPIRES,
        idToken: { idToken: 'TAG-R2', type: 'Central' },
        evseId: 1,
        connectorType: 'cType2',
      });
      const row = await csms.stores.reservations.get(id);
      assert.equal(row?.status, 'Accepted');
      assert.equal(row?.evse_id, 1);
      assert.equal(row?.id_token_type, 'Central');
      await roundTrip(
        csms,
        station,
        'cancel-reservation',
        { reservationId: id },
        {
          action: 'CancelReservation',
          payload: { reservationId: id },
        },
      );
      assert.equal((await csms.stores.reservations.get(id))?.status, 'Cancelled');
    });

    test('send-local-list → SendLocalList with 2.0.1 id tokens', async () => {
      await roundTrip(
        csms,
        station,
        'send-local-list',
        {
          listVersion: 4,
          updateType: 'Full',
          entries: [{ idToken: 'A', type: 'KeyCode', status: 'Accepted', parentIdToken: 'G' }],
        },
        {
          action: 'SendLocalList',
          payload: {
            versionNumber: 4,
            updateType: 'Full',
            localAuthorizationList: [
              {
                idToken: { idToken: 'A', type: 'KeyCode' },
                idTokenInfo: { status: 'Accepted', groupIdToken: { idToken: 'G', type: 'KeyCode' } },
              },
            ],
          },
        },
      );
    });

    test('update-firmware and get-log carry generated request ids', async () => {
      const firmware = await roundTrip(
        csms,
        station,
        'update-firmware',
        { location: 'https://fw.example/2.bin', retrieveAt: EXPIRES, installAt: EXPIRES, retryInterval: 30 },
        { action: 'UpdateFirmware' },
      );
      assert.deepEqual(firmware.request, {
        retryInterval: 30,
        requestId: firmware.request.requestId,
        firmware: {
          location: 'https://fw.example/2.bin',
          retrieveDateTime: EXPIRES,
          installDateTime: EXPIRES,
        },
      });
      const log = await roundTrip(
        csms,
        station,
        'get-log',
        { location: 'https://logs.example/up', to: EXPIRES },
        {
          action: 'GetLog',
        },
      );
      assert.deepEqual(log.request, {
        log: { remoteLocation: 'https://logs.example/up', latestTimestamp: EXPIRES },
        logType: 'DiagnosticsLog',
        requestId: log.request.requestId,
      });
      assert.deepEqual(log.response, { status: 'Accepted', filename: 'log.tar' });
    });

    test('clear-cache and data-transfer (JSON data kept as JSON)', async () => {
      await roundTrip(csms, station, 'clear-cache', {}, { action: 'ClearCache', payload: {} });
      const reply = await roundTrip(
        csms,
        station,
        'data-transfer',
        { vendorId: 'acme', data: { n: [1, 2] } },
        {
          action: 'DataTransfer',
          payload: { vendorId: 'acme', data: { n: [1, 2] } },
        },
      );
      assert.deepEqual(reply.response, { status: 'Accepted', data: { echo: { n: [1, 2] } } });
    });

    test('1.6-only commands are refused and nothing is sent', async () => {
      const reply = await refused(csms, station, 'get-configuration', {}, 400, 'UNSUPPORTED_BY_PROTOCOL');
      assert.match(reply.message, /get-variables/);
      await refused(
        csms,
        station,
        'change-configuration',
        { key: 'A', value: 'B' },
        400,
        'UNSUPPORTED_BY_PROTOCOL',
      );
    });
  });
}
