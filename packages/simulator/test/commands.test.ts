/**
 * The CSMS commands a simulated station answers like a real one, sent through the CSMS API
 * (POST /api/v1/stations/{id}/call/{action}): remote start/stop run real transactions, configuration
 * and device-model changes take effect, triggered and follow-up messages arrive.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Station } from '../src/station.js';
import { simulateStation } from '../src/station.js';
import { recordCalls, startTestCsms, type TestCsms, waitFor } from './support/helpers.js';

const TOKEN = 'SIM-CMD-TAG';

describe('a simulated station answers the CSMS', { concurrency: true }, () => {
  let csms: TestCsms;
  const stations: Station[] = [];
  before(async () => {
    csms = await startTestCsms('pglite');
    await csms.stores.idTokens.create({ idToken: TOKEN });
  });
  after(async () => {
    await Promise.all(stations.map((s) => s.close()));
    await csms.stop();
  });

  async function start(identity: string, protocol: 'ocpp1.6' | 'ocpp2.0.1') {
    await csms.stores.stations.create({ identity, registrationStatus: 'Accepted' });
    const recorder = recordCalls();
    const station = await simulateStation({
      url: csms.ocppUrl,
      identity,
      protocol,
      meterIntervalS: 1,
      speed: 60,
      stepDelayMs: 30,
      bootRetryS: 1,
      onEvent: recorder.listener,
    });
    stations.push(station);
    /** Sends a command through the API and returns the station's answer. */
    const command = async (action: string, body: object = {}) => {
      const reply = await csms.api(`/api/v1/stations/${identity}/call/${action}`, { method: 'POST', body });
      assert.equal(reply.status, 200, `${action}: ${JSON.stringify(reply.body)}`);
      // biome-ignore lint/suspicious/noExplicitAny: an OCPP answer of any action, checked field by field
      return reply.body.response as Record<string, any>;
    };
    const sent = (action: string) => recorder.calls.filter((c) => c.action === action).map((c) => c.payload);
    return { station, command, sent };
  }

  test('OCPP 1.6', async () => {
    const { station, command, sent } = await start('SIM-CMD-16', 'ocpp1.6');

    assert.equal(
      (await command('RemoteStartTransaction', { connectorId: 1, idTag: TOKEN })).status,
      'Accepted',
    );
    const tx = await waitFor('the remote start', () => station.transactions[0]?.transactionId);
    assert.equal((await command('RemoteStopTransaction', { transactionId: 999_999 })).status, 'Rejected');
    assert.equal((await command('RemoteStopTransaction', { transactionId: tx })).status, 'Accepted');
    await waitFor(
      'the stored stop',
      async () => (await csms.stores.transactions.get(Number(tx)))?.status === 'Ended',
    );
    assert.equal(station.transactions.length, 0);

    assert.equal(
      (await command('ChangeConfiguration', { key: 'HeartbeatInterval', value: '7' })).status,
      'Accepted',
    );
    assert.equal(station.heartbeatIntervalS, 7);
    assert.equal(
      (await command('ChangeConfiguration', { key: 'NumberOfConnectors', value: '9' })).status,
      'Rejected',
    );
    assert.equal(
      (await command('ChangeConfiguration', { key: 'NoSuchKey', value: '1' })).status,
      'NotSupported',
    );
    const config = await command('GetConfiguration', { key: ['HeartbeatInterval', 'NoSuchKey'] });
    assert.deepEqual(config.configurationKey, [{ key: 'HeartbeatInterval', readonly: false, value: '7' }]);
    assert.deepEqual(config.unknownKey, ['NoSuchKey']);

    assert.equal(
      (await command('ChangeAvailability', { connectorId: 2, type: 'Inoperative' })).status,
      'Accepted',
    );
    await waitFor('connector 2 Unavailable', () =>
      sent('StatusNotification').some((s) => s.connectorId === 2 && s.status === 'Unavailable'),
    );
    await command('ChangeAvailability', { connectorId: 2, type: 'Operative' });
    assert.equal(station.connectors[1]!.status, 'Available');

    const expiryDate = new Date(Date.now() + 60_000).toISOString();
    assert.equal(
      (await command('ReserveNow', { connectorId: 2, expiryDate, idTag: TOKEN, reservationId: 5 })).status,
      'Accepted',
    );
    assert.equal(station.connectors[1]!.status, 'Reserved');
    assert.equal((await command('CancelReservation', { reservationId: 5 })).status, 'Accepted');
    assert.equal((await command('CancelReservation', { reservationId: 5 })).status, 'Rejected');

    const list = [{ idTag: 'LOCAL1', idTagInfo: { status: 'Accepted' } }];
    assert.equal(
      (await command('SendLocalList', { listVersion: 3, updateType: 'Full', localAuthorizationList: list }))
        .status,
      'Accepted',
    );
    assert.equal((await command('GetLocalListVersion')).listVersion, 3);

    const profile = {
      chargingProfileId: 11,
      stackLevel: 0,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Relative',
      chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] },
    };
    assert.equal(
      (await command('SetChargingProfile', { connectorId: 0, csChargingProfiles: profile })).status,
      'Accepted',
    );
    const schedule = await command('GetCompositeSchedule', {
      connectorId: 1,
      duration: 600,
      chargingRateUnit: 'A',
    });
    assert.deepEqual(schedule.chargingSchedule.chargingSchedulePeriod, [{ startPeriod: 0, limit: 10 }]);
    assert.equal((await command('ClearChargingProfile', { id: 11 })).status, 'Accepted');

    await command('TriggerMessage', { requestedMessage: 'Heartbeat' });
    await waitFor('the triggered Heartbeat', () => sent('Heartbeat').length > 0);
    await command('TriggerMessage', { requestedMessage: 'MeterValues', connectorId: 2 });
    await waitFor('the triggered MeterValues', () => sent('MeterValues').some((m) => m.connectorId === 2));

    await command('ChangeConfiguration', { key: 'ClockAlignedDataInterval', value: '1' });
    const clock = (m: Record<string, unknown>) => JSON.stringify(m).includes('Sample.Clock');
    await waitFor('clock-aligned meter values', () => sent('MeterValues').filter(clock).length >= 2);
    await command('ChangeConfiguration', { key: 'ClockAlignedDataInterval', value: '0' });

    await command('UpdateFirmware', {
      location: 'https://example.com/fw.bin',
      retrieveDate: new Date().toISOString(),
    });
    await waitFor('firmware installed', () => sent('FirmwareStatusNotification').length === 4);
    assert.deepEqual(
      sent('FirmwareStatusNotification').map((s) => s.status),
      ['Downloading', 'Downloaded', 'Installing', 'Installed'],
    );
    assert.ok((await command('GetDiagnostics', { location: 'ftp://example.com/' })).fileName);
    await waitFor('diagnostics uploaded', () => sent('DiagnosticsStatusNotification').length === 2);

    assert.equal((await command('DataTransfer', { vendorId: 'someone-else' })).status, 'UnknownVendorId');
    assert.equal((await command('UnlockConnector', { connectorId: 3 })).status, 'NotSupported');
    assert.equal((await command('ClearCache')).status, 'Accepted');

    assert.equal((await command('Reset', { type: 'Soft' })).status, 'Accepted');
    await waitFor(
      'the boot after the reset',
      () => sent('BootNotification').length === 2 && station.registrationStatus === 'Accepted',
    );
  });

  test('OCPP 2.0.1', async () => {
    const { station, command, sent } = await start('SIM-CMD-201', 'ocpp2.0.1');
    const idToken = { idToken: TOKEN, type: 'ISO14443' };

    assert.equal(
      (await command('RequestStartTransaction', { evseId: 1, idToken, remoteStartId: 7 })).status,
      'Accepted',
    );
    const tx = await waitFor('the remote start', () => station.transactions[0]?.transactionId);
    const stored = await waitFor('the stored start', () =>
      csms.stores.transactions.findByStationTransactionId('SIM-CMD-201', String(tx)),
    );
    assert.equal(stored.remote_start_id, 7);
    assert.equal((await command('RequestStopTransaction', { transactionId: 'nope' })).status, 'Rejected');
    assert.equal((await command('RequestStopTransaction', { transactionId: tx })).status, 'Accepted');
    await waitFor(
      'the stored end',
      async () => (await csms.stores.transactions.get(Number(stored.id)))?.status === 'Ended',
    );

    const heartbeat = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } };
    const set = await command('SetVariables', { setVariableData: [{ ...heartbeat, attributeValue: '9' }] });
    assert.equal(set.setVariableResult[0].attributeStatus, 'Accepted');
    assert.equal(station.heartbeatIntervalS, 9);
    const got = await command('GetVariables', {
      getVariableData: [heartbeat, { component: { name: 'NoSuchCtrlr' }, variable: { name: 'X' } }],
    });
    assert.deepEqual(
      got.getVariableResult.map((r: { attributeStatus: string; attributeValue?: string }) => [
        r.attributeStatus,
        r.attributeValue,
      ]),
      [
        ['Accepted', '9'],
        ['UnknownComponent', undefined],
      ],
    );

    assert.equal(
      (await command('GetBaseReport', { requestId: 42, reportBase: 'FullInventory' })).status,
      'Accepted',
    );
    const parts = await waitFor('the whole report', () => {
      const reports = sent('NotifyReport');
      return reports.at(-1)?.tbc === false ? reports : undefined;
    });
    assert.deepEqual(
      parts.map((p) => p.seqNo),
      parts.map((_, i) => i),
    );
    assert.ok(parts.every((p) => p.requestId === 42));

    assert.equal(
      (await command('TriggerMessage', { requestedMessage: 'BootNotification' })).status,
      'Rejected',
    );
    assert.equal((await command('TriggerMessage', { requestedMessage: 'Heartbeat' })).status, 'Accepted');
    const aligned = { component: { name: 'AlignedDataCtrlr' }, variable: { name: 'Interval' } };
    await command('SetVariables', { setVariableData: [{ ...aligned, attributeValue: '1' }] });
    await waitFor('clock-aligned MeterValues', () => sent('MeterValues').length >= 2);
    await command('SetVariables', { setVariableData: [{ ...aligned, attributeValue: '0' }] });
    assert.ok(sent('MeterValues').every((m) => JSON.stringify(m).includes('Sample.Clock')));

    assert.equal(
      (await command('ChangeAvailability', { evse: { id: 2 }, operationalStatus: 'Inoperative' })).status,
      'Accepted',
    );
    await waitFor('EVSE 2 Unavailable', () =>
      sent('StatusNotification').some((s) => s.evseId === 2 && s.connectorStatus === 'Unavailable'),
    );
    await command('ChangeAvailability', { evse: { id: 2 }, operationalStatus: 'Operative' });

    const expiryDateTime = new Date(Date.now() + 60_000).toISOString();
    assert.equal(
      (await command('ReserveNow', { id: 3, expiryDateTime, idToken, evseId: 2 })).status,
      'Accepted',
    );
    assert.equal(station.connectors[1]!.status, 'Reserved');
    assert.equal((await command('CancelReservation', { reservationId: 3 })).status, 'Accepted');

    const entry = { idToken: { idToken: 'LOCAL1', type: 'ISO14443' }, idTokenInfo: { status: 'Accepted' } };
    assert.equal(
      (
        await command('SendLocalList', {
          versionNumber: 4,
          updateType: 'Full',
          localAuthorizationList: [entry],
        })
      ).status,
      'Accepted',
    );
    assert.equal((await command('GetLocalListVersion')).versionNumber, 4);

    const chargingProfile = {
      id: 12,
      stackLevel: 0,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Relative',
      chargingSchedule: [
        { id: 1, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 7400 }] },
      ],
    };
    assert.equal((await command('SetChargingProfile', { evseId: 0, chargingProfile })).status, 'Accepted');
    const composite = await command('GetCompositeSchedule', {
      evseId: 1,
      duration: 600,
      chargingRateUnit: 'W',
    });
    assert.deepEqual(composite.schedule.chargingSchedulePeriod, [{ startPeriod: 0, limit: 7400 }]);

    const firmware = { location: 'https://example.com/fw.bin', retrieveDateTime: new Date().toISOString() };
    assert.equal((await command('UpdateFirmware', { requestId: 5, firmware })).status, 'Accepted');
    await waitFor('firmware installed', () => sent('FirmwareStatusNotification').length === 4);
    assert.deepEqual(
      sent('FirmwareStatusNotification').map((s) => [s.status, s.requestId]),
      ['Downloading', 'Downloaded', 'Installing', 'Installed'].map((s) => [s, 5]),
    );
    const log = { remoteLocation: 'https://example.com/logs' };
    assert.equal(
      (await command('GetLog', { log, logType: 'DiagnosticsLog', requestId: 6 })).status,
      'Accepted',
    );
    await waitFor(
      'log uploaded',
      () =>
        sent('LogStatusNotification')
          .map((s) => s.status)
          .join() === 'Uploading,Uploaded',
    );

    assert.equal(
      (await command('UnlockConnector', { evseId: 9, connectorId: 1 })).status,
      'UnknownConnector',
    );
    assert.equal((await command('DataTransfer', { vendorId: 'someone-else' })).status, 'UnknownVendorId');

    assert.equal((await command('Reset', { type: 'Immediate' })).status, 'Accepted');
    await waitFor('the boot after the reset', () =>
      sent('BootNotification').some((b) => b.reason === 'RemoteReset'),
    );
    await waitFor('accepted again', () => station.registrationStatus === 'Accepted');
  });
});
