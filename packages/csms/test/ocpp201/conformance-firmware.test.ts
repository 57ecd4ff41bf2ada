/**
 * OCTT CSMS test cases of Part 6 §3.13 "L Firmware Management" (L01 secure firmware update): the
 * operator asks at POST /update-firmware with a signing certificate and signature; the station
 * answers and reports its progress with FirmwareStatusNotification (reboot and security events
 * included), and the CSMS's record of that progress, linked by the requestId it generated, is checked.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type * as v201 from 'ocppkit/v201';
import { databaseKinds } from '../support/csms.js';
import { answer, booted, conformanceSuite, Session } from './conformance-support.js';
import { BOOT, nextTimestamp, notifyConnector } from './stations.js';

type Status = v201.FirmwareStatusEnumType;

/** The operator's configured firmware: where it is, the certificate it is signed with, the signature. */
const FIRMWARE = {
  location: 'https://firmware.example.com/station-2.0.bin',
  signingCertificate:
    '-----BEGIN CERTIFICATE-----\nMIIBfirmwareSigningCertificate\n-----END CERTIFICATE-----',
  signature: Buffer.from('firmware signature').toString('base64'),
};
const DOWNLOAD: Status[] = ['Downloading', 'Downloaded', 'SignatureVerified'];
const INSTALL: Status[] = ['Installing', 'InstallRebooting'];

for (const kind of databaseKinds()) {
  describe(`OCTT L Firmware Management [${kind}]`, () => {
    const { csms, stations, operator } = conformanceSuite(kind);

    /** The operator's update, answered `status`; returns the UpdateFirmwareRequest the station got. */
    async function updateFirmware(
      station: v201.ChargePoint,
      status: v201.UpdateFirmwareStatusEnumType,
      times: { retrieveAt?: string; installAt?: string } = {},
    ): Promise<v201.UpdateFirmwareRequest> {
      const received = answer(station, 'UpdateFirmware', { status });
      const result = await operator.command(station.identity, 'update-firmware', {
        ...FIRMWARE,
        retrieveAt: times.retrieveAt ?? new Date().toISOString(),
        ...(times.installAt && { installAt: times.installAt }),
      });
      assert.equal(result.response.status, status);
      const request = received[0] as v201.UpdateFirmwareRequest;
      // L01.FR.01: a secure update carries the signing certificate and the signature.
      assert.equal(request.firmware.signingCertificate, FIRMWARE.signingCertificate);
      assert.equal(request.firmware.signature, FIRMWARE.signature);
      assert.equal(request.firmware.location, FIRMWARE.location);
      return request;
    }

    async function progress(station: v201.ChargePoint, requestId: number, statuses: Status[]): Promise<void> {
      for (const status of statuses) {
        assert.deepEqual(await station.call('FirmwareStatusNotification', { status, requestId }), {});
      }
    }

    /** InstallRebooting is followed by a boot (reason FirmwareUpdate, Accepted) and the connectors. */
    async function rebooted(station: v201.ChargePoint, evses = 1): Promise<void> {
      const boot = await station.call('BootNotification', { ...BOOT, reason: 'FirmwareUpdate' });
      assert.equal(boot.status, 'Accepted');
      for (let evseId = 1; evseId <= evses; evseId++) await notifyConnector(station, 'Available', evseId);
    }

    /** The firmware progress the CSMS recorded, oldest first, as `status@requestId`. */
    async function recorded(identity: string): Promise<string[]> {
      const page = await csms().stores.statusEvents.list(identity, { kind: 'firmware', limit: 100 });
      return page.items.reverse().map((row) => `${row.status}@${row.request_id}`);
    }
    const at = (requestId: number, statuses: Status[]) => statuses.map((status) => `${status}@${requestId}`);

    async function securityEvent(station: v201.ChargePoint, type: string): Promise<void> {
      await station.call('SecurityEventNotification', { type, timestamp: nextTimestamp() });
      const events = await csms().stores.securityEvents.list(station.identity);
      assert.deepEqual(
        events.items.map((event) => event.type),
        [type],
      );
    }

    /**
     * The rest of an update up to Installed: the statuses before the reboot, the boot, Installed;
     * `earlier` is what the CSMS recorded before (of another request).
     */
    async function installed(
      station: v201.ChargePoint,
      request: v201.UpdateFirmwareRequest,
      before: Status[],
      earlier: string[] = [],
    ): Promise<void> {
      await progress(station, request.requestId, before);
      await rebooted(station);
      await progress(station, request.requestId, ['Installed']);
      assert.deepEqual(await recorded(station.identity), [
        ...earlier,
        ...at(request.requestId, [...before, 'Installed']),
      ]);
      assert.equal((await csms().stores.stations.get(station.identity))?.boot_reason, 'FirmwareUpdate');
    }

    test('TC_L_01_CSMS: Secure Firmware Update - Installation successful', async () => {
      const station = await booted(stations, 'L01-STATION');
      const request = await updateFirmware(station, 'Accepted');
      await installed(station, request, [...DOWNLOAD, ...INSTALL]);
    });

    test('TC_L_02_CSMS: Secure Firmware Update - InstallScheduled', async () => {
      const station = await booted(stations, 'L02-STATION');
      const installAt = new Date(Date.now() + 3_600_000).toISOString();
      const request = await updateFirmware(station, 'Accepted', { installAt });
      assert.ok(
        Date.parse(request.firmware.installDateTime ?? '') > Date.now(),
        'installDateTime in the future',
      );
      await installed(station, request, [...DOWNLOAD, 'InstallScheduled', ...INSTALL]);
    });

    test('TC_L_03_CSMS: Secure Firmware Update - DownloadScheduled', async () => {
      const station = await booted(stations, 'L03-STATION');
      const retrieveAt = new Date(Date.now() + 3_600_000).toISOString();
      const request = await updateFirmware(station, 'Accepted', { retrieveAt });
      assert.ok(Date.parse(request.firmware.retrieveDateTime) > Date.now(), 'retrieveDateTime in the future');
      await installed(station, request, ['DownloadScheduled', ...DOWNLOAD, ...INSTALL]);
    });

    test('TC_L_04_CSMS: Secure Firmware Update - RevokedCertificate', async () => {
      const station = await booted(stations, 'L04-STATION');
      await updateFirmware(station, 'RevokedCertificate');
      assert.deepEqual(await recorded('L04-STATION'), []);
    });

    test('TC_L_05_CSMS: Secure Firmware Update - InvalidCertificate', async () => {
      const station = await booted(stations, 'L05-STATION');
      await updateFirmware(station, 'InvalidCertificate');
      await securityEvent(station, 'InvalidFirmwareSigningCertificate');
    });

    test('TC_L_06_CSMS: Secure Firmware Update - InvalidSignature', async () => {
      const station = await booted(stations, 'L06-STATION');
      const { requestId } = await updateFirmware(station, 'Accepted');
      await progress(station, requestId, ['Downloading', 'Downloaded', 'InvalidSignature']);
      await securityEvent(station, 'InvalidFirmwareSignature');
      assert.deepEqual(
        await recorded('L06-STATION'),
        at(requestId, ['Downloading', 'Downloaded', 'InvalidSignature']),
      );
    });

    test('TC_L_07_CSMS: Secure Firmware Update - DownloadFailed', async () => {
      const station = await booted(stations, 'L07-STATION');
      const { requestId } = await updateFirmware(station, 'Accepted');
      await progress(station, requestId, ['Downloading', 'DownloadFailed']);
      assert.deepEqual(await recorded('L07-STATION'), at(requestId, ['Downloading', 'DownloadFailed']));
    });

    test('TC_L_08_CSMS: Secure Firmware Update - InstallVerificationFailed', async () => {
      const station = await booted(stations, 'L08-STATION');
      const { requestId } = await updateFirmware(station, 'Accepted');
      const statuses: Status[] = [...DOWNLOAD, 'Installing', 'InstallVerificationFailed'];
      await progress(station, requestId, statuses);
      assert.deepEqual(await recorded('L08-STATION'), at(requestId, statuses));
    });

    test('TC_L_09_CSMS: Secure Firmware Update - InstallationFailed', async () => {
      const station = await booted(stations, 'L09-STATION');
      const { requestId } = await updateFirmware(station, 'Accepted');
      await progress(station, requestId, [...DOWNLOAD, ...INSTALL]);
      await rebooted(station);
      await progress(station, requestId, ['InstallationFailed']);
      assert.deepEqual(
        await recorded('L09-STATION'),
        at(requestId, [...DOWNLOAD, ...INSTALL, 'InstallationFailed']),
      );
    });

    test('TC_L_10_CSMS: Secure Firmware Update - AcceptedCanceled', async () => {
      const station = await booted(stations, 'L10-STATION');
      const first = await updateFirmware(station, 'Accepted');
      await progress(station, first.requestId, ['Downloading']);
      // Step 5: a second update while the first is under way; the station cancels the first.
      const second = await updateFirmware(station, 'AcceptedCanceled');
      assert.notEqual(second.requestId, first.requestId);
      await installed(station, second, [...DOWNLOAD, ...INSTALL], at(first.requestId, ['Downloading']));
    });

    test('TC_L_11_CSMS: Secure Firmware Update - Unable to cancel', async () => {
      const station = await booted(stations, 'L11-STATION');
      const first = await updateFirmware(station, 'Accepted');
      await progress(station, first.requestId, ['Downloading']);
      await updateFirmware(station, 'Rejected');
      // The first update carries on.
      await installed(
        station,
        first,
        ['Downloaded', 'SignatureVerified', ...INSTALL],
        at(first.requestId, ['Downloading']),
      );
    });

    test('TC_L_13_CSMS: Secure Firmware Update - Unable to download/install firmware with ongoing transaction', async () => {
      const session = await new Session(
        await booted(stations, 'L13-STATION', 2),
        'L13-TX',
      ).energyTransferStarted();
      const { station } = session;
      const { requestId } = await updateFirmware(station, 'Accepted');
      await progress(station, requestId, ['DownloadScheduled']);
      // Step 5: the connector without a transaction goes Unavailable until the update is done.
      await notifyConnector(station, 'Unavailable', 2);
      await session.end();
      await progress(station, requestId, [...DOWNLOAD, ...INSTALL]);
      await rebooted(station, 2);
      await progress(station, requestId, ['Installed']);
      assert.deepEqual(
        await recorded('L13-STATION'),
        at(requestId, ['DownloadScheduled', ...DOWNLOAD, ...INSTALL, 'Installed']),
      );
      assert.equal((await session.stored(csms())).status, 'Ended');
    });
  });
}
