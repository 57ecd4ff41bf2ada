/**
 * Every friendly command against a connected OCPP 1.6 station over real sockets: the HTTP body is
 * translated to the 1.6 action, the station receives exactly that payload, and what it answers is
 * returned (and stored where the command stores it).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import { refused, roundTrip } from './command-round-trip.js';
import { connectStation, type TestStation } from './station-peers.js';

const ID = 'CMD16-1';
const EXPIRES = '2030-06-01T12:00:00.000Z';
const PROFILE_16 = {
  chargingProfileId: 7,
  stackLevel: 0,
  chargingProfilePurpose: 'TxDefaultProfile',
  chargingProfileKind: 'Relative',
  chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] },
};
const COMPOSITE = {
  status: 'Accepted',
  connectorId: 1,
  scheduleStart: '2030-01-01T00:00:00.000Z',
  chargingSchedule: {
    duration: 3600,
    chargingRateUnit: 'W',
    chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }],
  },
};

const accepted = () => ({ status: 'Accepted' });

for (const kind of databaseKinds()) {
  describe(`friendly commands, OCPP 1.6 [${kind}]`, () => {
    let csms: TestCsms;
    let station: TestStation;
    before(async () => {
      csms = await startTestCsms(kind);
      station = await connectStation(csms, ID, 'ocpp1.6', {
        RemoteStartTransaction: accepted,
        RemoteStopTransaction: accepted,
        Reset: accepted,
        UnlockConnector: () => ({ status: 'Unlocked' }),
        ChangeAvailability: accepted,
        GetConfiguration: () => ({
          configurationKey: [
            { key: 'HeartbeatInterval', readonly: false, value: '300' },
            { key: 'NumberOfConnectors', readonly: true, value: '2' },
          ],
          unknownKey: ['NoSuchKey'],
        }),
        ChangeConfiguration: accepted,
        TriggerMessage: accepted,
        ExtendedTriggerMessage: accepted,
        SetChargingProfile: accepted,
        ClearChargingProfile: accepted,
        GetCompositeSchedule: () => COMPOSITE,
        ReserveNow: accepted,
        CancelReservation: accepted,
        SendLocalList: accepted,
        UpdateFirmware: () => ({}),
        SignedUpdateFirmware: accepted,
        GetDiagnostics: () => ({ fileName: 'diagnostics.zip' }),
        GetLog: () => ({ status: 'Accepted', filename: 'security.log' }),
        ClearCache: accepted,
        DataTransfer: (request) => ({ status: 'Accepted', data: `echo ${String(request.data)}` }),
      });
    });
    after(async () => {
      await station?.close();
      await csms?.stop();
    });

    test('remote-start → RemoteStartTransaction', async () => {
      const reply = await roundTrip(
        csms,
        station,
        'remote-start',
        { idToken: 'TAG-1', connectorId: 2 },
        {
          action: 'RemoteStartTransaction',
          payload: { idTag: 'TAG-1', connectorId: 2 },
        },
      );
      assert.deepEqual(reply.response, { status: 'Accepted' });
      await roundTrip(
        csms,
        station,
        'remote-start',
        {
          idToken: 'TAG-1',
          evseId: 1,
          chargingProfile: { ...PROFILE_16, chargingProfilePurpose: 'TxProfile' },
        },
        {
          action: 'RemoteStartTransaction',
          payload: {
            idTag: 'TAG-1',
            connectorId: 1,
            chargingProfile: { ...PROFILE_16, chargingProfilePurpose: 'TxProfile' },
          },
        },
      );
      await refused(csms, station, 'remote-start', { idToken: 'x'.repeat(21) }, 400, 'INVALID_OCPP_REQUEST');
    });

    test('remote-stop → RemoteStopTransaction with the CSMS transaction id', async () => {
      const { transactionId } = await csms.stores.transactions.startTransaction16(ID, {
        connectorId: 1,
        idTag: 'TAG-1',
        meterStart: 0,
        timestamp: new Date().toISOString(),
      });
      await roundTrip(
        csms,
        station,
        'remote-stop',
        { transactionId },
        {
          action: 'RemoteStopTransaction',
          payload: { transactionId },
        },
      );
      await csms.stores.stations.create({ identity: 'OTHER-16' });
      const other = await csms.stores.transactions.startTransaction16('OTHER-16', {
        connectorId: 1,
        idTag: 'TAG-1',
        meterStart: 0,
        timestamp: new Date().toISOString(),
      });
      await refused(
        csms,
        station,
        'remote-stop',
        { transactionId: other.transactionId },
        404,
        'TRANSACTION_NOT_FOUND',
      );
    });

    test('reset → Reset Soft / Hard', async () => {
      await roundTrip(
        csms,
        station,
        'reset',
        { type: 'soft' },
        { action: 'Reset', payload: { type: 'Soft' } },
      );
      await roundTrip(
        csms,
        station,
        'reset',
        { type: 'hard' },
        { action: 'Reset', payload: { type: 'Hard' } },
      );
      await refused(csms, station, 'reset', { type: 'hard', evseId: 1 }, 400, 'VALIDATION_FAILED');
      await refused(csms, station, 'reset', { type: 'warm' }, 400, 'VALIDATION_FAILED');
    });

    test('unlock → UnlockConnector', async () => {
      const reply = await roundTrip(
        csms,
        station,
        'unlock',
        { connectorId: 1 },
        {
          action: 'UnlockConnector',
          payload: { connectorId: 1 },
        },
      );
      assert.deepEqual(reply.response, { status: 'Unlocked' });
      await refused(csms, station, 'unlock', {}, 400, 'VALIDATION_FAILED');
    });

    test('change-availability → ChangeAvailability (connector 0 = the station)', async () => {
      await roundTrip(
        csms,
        station,
        'change-availability',
        { status: 'Inoperative', connectorId: 2 },
        {
          action: 'ChangeAvailability',
          payload: { connectorId: 2, type: 'Inoperative' },
        },
      );
      await roundTrip(
        csms,
        station,
        'change-availability',
        { status: 'Operative' },
        {
          action: 'ChangeAvailability',
          payload: { connectorId: 0, type: 'Operative' },
        },
      );
    });

    test('get-configuration → GetConfiguration, keys stored', async () => {
      const reply = await roundTrip(
        csms,
        station,
        'get-configuration',
        { keys: ['HeartbeatInterval', 'NoSuchKey'] },
        {
          action: 'GetConfiguration',
          payload: { key: ['HeartbeatInterval', 'NoSuchKey'] },
        },
      );
      assert.deepEqual(reply.response.unknownKey, ['NoSuchKey']);
      await roundTrip(csms, station, 'get-configuration', undefined, {
        action: 'GetConfiguration',
        payload: {},
      });
      const stored = await csms.stores.configuration.list(ID);
      assert.deepEqual(
        stored.map((k) => [k.key, k.value, k.readonly]),
        [
          ['HeartbeatInterval', '300', false],
          ['NumberOfConnectors', '2', true],
        ],
      );
    });

    test('change-configuration → ChangeConfiguration, the accepted value stored', async () => {
      await roundTrip(
        csms,
        station,
        'change-configuration',
        { key: 'MeterValueSampleInterval', value: '60' },
        {
          action: 'ChangeConfiguration',
          payload: { key: 'MeterValueSampleInterval', value: '60' },
        },
      );
      const stored = await csms.stores.configuration.list(ID);
      assert.equal(stored.find((k) => k.key === 'MeterValueSampleInterval')?.value, '60');
    });

    test('trigger-message → TriggerMessage, or ExtendedTriggerMessage for security messages', async () => {
      await roundTrip(
        csms,
        station,
        'trigger-message',
        { message: 'StatusNotification', connectorId: 1 },
        {
          action: 'TriggerMessage',
          payload: { requestedMessage: 'StatusNotification', connectorId: 1 },
        },
      );
      await roundTrip(
        csms,
        station,
        'trigger-message',
        { message: 'LogStatusNotification' },
        {
          action: 'ExtendedTriggerMessage',
          payload: { requestedMessage: 'LogStatusNotification' },
        },
      );
      await refused(
        csms,
        station,
        'trigger-message',
        { message: 'TransactionEvent' },
        400,
        'INVALID_OCPP_REQUEST',
      );
    });

    test('set/clear charging profile and composite schedule (stored)', async () => {
      await roundTrip(
        csms,
        station,
        'set-charging-profile',
        { connectorId: 1, chargingProfile: PROFILE_16 },
        {
          action: 'SetChargingProfile',
          payload: { connectorId: 1, csChargingProfiles: PROFILE_16 },
        },
      );
      await refused(
        csms,
        station,
        'set-charging-profile',
        { chargingProfile: { id: 1 } },
        400,
        'INVALID_OCPP_REQUEST',
      );
      await roundTrip(
        csms,
        station,
        'clear-charging-profile',
        { chargingProfileId: 7 },
        {
          action: 'ClearChargingProfile',
          payload: { id: 7 },
        },
      );
      await roundTrip(
        csms,
        station,
        'clear-charging-profile',
        { connectorId: 1, purpose: 'TxDefaultProfile', stackLevel: 0 },
        {
          action: 'ClearChargingProfile',
          payload: { connectorId: 1, chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 0 },
        },
      );
      const reply = await roundTrip(
        csms,
        station,
        'get-composite-schedule',
        { connectorId: 1, duration: 3600, chargingRateUnit: 'W' },
        {
          action: 'GetCompositeSchedule',
          payload: { connectorId: 1, duration: 3600, chargingRateUnit: 'W' },
        },
      );
      assert.deepEqual(reply.response, COMPOSITE);
      const reports = await csms.stores.chargingProfiles.list(ID, { kind: 'composite_schedule' });
      assert.equal(reports.total, 1);
      assert.deepEqual(reports.items[0]?.payload, COMPOSITE);
    });

    test('reserve → ReserveNow with the new reservation id; cancel-reservation', async () => {
      const reply = await roundTrip(
        csms,
        station,
        'reserve',
        { idToken: 'TAG-R', connectorId: 1, expiresAt: EXPIRES, groupIdToken: 'FLEET' },
        {
          action: 'ReserveNow',
        },
      );
      const reservationId = reply.request.reservationId as number;
      assert.deepEqual(reply.request, {
        connectorId: 1,
        expiryDate: EXPIRES,
        idTag: 'TAG-R',
        parentIdTag: 'FLEET',
        reservationId,
      });
      const row = await csms.stores.reservations.get(reservationId);
      assert.equal(row?.station_identity, ID);
      assert.equal(row?.status, 'Accepted');
      assert.equal(row?.connector_id, 1);
      await roundTrip(
        csms,
        station,
        'cancel-reservation',
        { reservationId },
        {
          action: 'CancelReservation',
          payload: { reservationId },
        },
      );
      assert.equal((await csms.stores.reservations.get(reservationId))?.status, 'Cancelled');
      await refused(
        csms,
        station,
        'cancel-reservation',
        { reservationId: 999_999 },
        404,
        'RESERVATION_NOT_FOUND',
      );
      const before = await csms.stores.reservations.list({ stationIdentity: ID });
      await refused(
        csms,
        station,
        'reserve',
        { idToken: 'x'.repeat(25), expiresAt: EXPIRES },
        400,
        'INVALID_OCPP_REQUEST',
      );
      assert.equal(
        (await csms.stores.reservations.list({ stationIdentity: ID })).total,
        before.total,
        'no reservation row',
      );
    });

    test('send-local-list → SendLocalList', async () => {
      await roundTrip(
        csms,
        station,
        'send-local-list',
        {
          listVersion: 3,
          updateType: 'Differential',
          entries: [
            { idToken: 'A', status: 'Accepted', expiresAt: EXPIRES, parentIdToken: 'G' },
            { idToken: 'B' },
          ],
        },
        {
          action: 'SendLocalList',
          payload: {
            listVersion: 3,
            updateType: 'Differential',
            localAuthorizationList: [
              { idTag: 'A', idTagInfo: { status: 'Accepted', expiryDate: EXPIRES, parentIdTag: 'G' } },
              { idTag: 'B' },
            ],
          },
        },
      );
    });

    test('update-firmware → UpdateFirmware, or SignedUpdateFirmware when signed', async () => {
      await roundTrip(
        csms,
        station,
        'update-firmware',
        { location: 'https://fw.example/1.2.bin', retrieveAt: EXPIRES, retries: 2 },
        {
          action: 'UpdateFirmware',
          payload: { location: 'https://fw.example/1.2.bin', retrieveDate: EXPIRES, retries: 2 },
        },
      );
      const signed = await roundTrip(
        csms,
        station,
        'update-firmware',
        {
          location: 'https://fw.example/1.3.bin',
          retrieveAt: EXPIRES,
          signingCertificate: 'PEM',
          signature: 'c2ln',
        },
        { action: 'SignedUpdateFirmware' },
      );
      assert.deepEqual(signed.request, {
        requestId: signed.request.requestId,
        firmware: {
          location: 'https://fw.example/1.3.bin',
          retrieveDateTime: EXPIRES,
          signingCertificate: 'PEM',
          signature: 'c2ln',
        },
      });
    });

    test('get-log → GetDiagnostics, or GetLog for the security log', async () => {
      const diagnostics = await roundTrip(
        csms,
        station,
        'get-log',
        { location: 'ftp://logs.example/', from: EXPIRES },
        {
          action: 'GetDiagnostics',
          payload: { location: 'ftp://logs.example/', startTime: EXPIRES },
        },
      );
      assert.deepEqual(diagnostics.response, { fileName: 'diagnostics.zip' });
      const security = await roundTrip(
        csms,
        station,
        'get-log',
        { location: 'ftp://logs.example/', logType: 'SecurityLog' },
        {
          action: 'GetLog',
        },
      );
      assert.deepEqual(security.request, {
        log: { remoteLocation: 'ftp://logs.example/' },
        logType: 'SecurityLog',
        requestId: security.request.requestId,
      });
    });

    test('clear-cache (no body) and data-transfer (JSON data sent as text)', async () => {
      await roundTrip(csms, station, 'clear-cache', undefined, { action: 'ClearCache', payload: {} });
      const reply = await roundTrip(
        csms,
        station,
        'data-transfer',
        { vendorId: 'acme', messageId: 'ping', data: { n: 1 } },
        {
          action: 'DataTransfer',
          payload: { vendorId: 'acme', messageId: 'ping', data: '{"n":1}' },
        },
      );
      assert.deepEqual(reply.response, { status: 'Accepted', data: 'echo {"n":1}' });
    });

    test('2.0.1-only commands are refused and nothing is sent', async () => {
      const body = { variables: [{ component: { name: 'X' }, variable: { name: 'Y' } }] };
      const reply = await refused(csms, station, 'get-variables', body, 400, 'UNSUPPORTED_BY_PROTOCOL');
      assert.match(reply.message, /get-configuration/);
      await refused(
        csms,
        station,
        'set-variables',
        { variables: [{ ...body.variables[0], value: '1' }] },
        400,
        'UNSUPPORTED_BY_PROTOCOL',
      );
    });
  });
}
