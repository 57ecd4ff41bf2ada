/**
 * What OCPP 1.6 stations report besides transactions: StatusNotification, the firmware,
 * diagnostics and log status notifications, SecurityEventNotification, SignCertificate and
 * DataTransfer — each answered and stored (cf. OCTT 2.0.1 TC_A security events, TC_F_20 Heartbeat,
 * TC_F_23 StatusNotification for the CSMS).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import { eventually } from '../support/eventually.js';
import { eventsDuring, nextTimestamp, Stations } from './stations.js';

const CSR = '-----BEGIN CERTIFICATE REQUEST-----\nMIIBfake\n-----END CERTIFICATE REQUEST-----';

for (const kind of databaseKinds()) {
  describe(`OCPP 1.6 station reports [${kind}]`, () => {
    let csms: TestCsms;
    const stations = new Stations(() => csms);
    before(async () => {
      csms = await startTestCsms(kind);
    });
    after(async () => {
      await stations.closeAll();
      await csms.stop();
    });

    test('StatusNotification stores the current status and its history; connector 0 is the station', async () => {
      const { identity, station } = await stations.booted();
      const first = nextTimestamp();
      const second = nextTimestamp();
      const events = await eventsDuring(csms, identity, async () => {
        await station.call('StatusNotification', {
          connectorId: 0,
          errorCode: 'NoError',
          status: 'Available',
          timestamp: first,
        });
        await station.call('StatusNotification', {
          connectorId: 1,
          errorCode: 'NoError',
          status: 'Available',
          timestamp: first,
        });
        const answer = await station.call('StatusNotification', {
          connectorId: 1,
          errorCode: 'GroundFailure',
          status: 'Faulted',
          timestamp: second,
          info: 'RCD tripped',
          vendorId: 'com.example',
          vendorErrorCode: 'E42',
        });
        assert.deepEqual(answer, {});
      });
      assert.deepEqual(
        events.map((e) => (e.type === 'connector' ? [e.connectorId, e.evseId, e.status] : e.type)),
        [
          [0, 0, 'Available'],
          [1, 1, 'Available'],
          [1, 1, 'Faulted'],
        ],
      );
      const current = await csms.stores.connectorStatus.listCurrent(identity);
      assert.deepEqual(
        current.map((c) => [c.connector_id, c.status, c.error_code]),
        [
          [0, 'Available', 'NoError'],
          [1, 'Faulted', 'GroundFailure'],
        ],
      );
      const faulted = current[1];
      assert.deepEqual(
        [faulted?.info, faulted?.vendor_id, faulted?.vendor_error_code, faulted?.status_at.toISOString()],
        ['RCD tripped', 'com.example', 'E42', second],
      );
      const history = await csms.stores.connectorStatus.listHistory(identity, { connectorId: 1 });
      assert.equal(history.total, 2);
    });

    test('a StatusNotification delivered late goes to the history only', async () => {
      const { identity, station } = await stations.booted();
      const older = nextTimestamp();
      const newer = nextTimestamp();
      await station.call('StatusNotification', {
        connectorId: 1,
        errorCode: 'NoError',
        status: 'Charging',
        timestamp: newer,
      });
      const events = await eventsDuring(csms, identity, () =>
        station.call('StatusNotification', {
          connectorId: 1,
          errorCode: 'NoError',
          status: 'Preparing',
          timestamp: older,
        }),
      );
      assert.deepEqual(events, [], 'not news for the dashboard');
      const [current] = await csms.stores.connectorStatus.listCurrent(identity);
      assert.equal(current?.status, 'Charging');
      assert.equal((await csms.stores.connectorStatus.listHistory(identity)).total, 2);
    });

    test('a StatusNotification without timestamp is stored as of its arrival', async () => {
      const { identity, station } = await stations.booted();
      const before = Date.now();
      await station.call('StatusNotification', {
        connectorId: 1,
        errorCode: 'NoError',
        status: 'Unavailable',
      });
      const [current] = await csms.stores.connectorStatus.listCurrent(identity);
      assert.ok(current && current.status_at.getTime() >= before - 1000);
    });

    test('firmware, diagnostics, signed firmware and log status notifications are stored', async () => {
      const { identity, station } = await stations.booted();
      assert.deepEqual(await station.call('FirmwareStatusNotification', { status: 'Downloading' }), {});
      assert.deepEqual(await station.call('DiagnosticsStatusNotification', { status: 'Uploaded' }), {});
      assert.deepEqual(
        await station.call('SignedFirmwareStatusNotification', { status: 'Installed', requestId: 7 }),
        {},
      );
      assert.deepEqual(
        await station.call('LogStatusNotification', { status: 'Uploading', requestId: 3 }),
        {},
      );
      const latest = async (k: 'firmware' | 'diagnostics' | 'log') => {
        const row = await csms.stores.statusEvents.latest(identity, k);
        return [row?.status, row?.request_id];
      };
      assert.deepEqual(await latest('firmware'), ['Installed', 7]);
      assert.deepEqual(await latest('diagnostics'), ['Uploaded', null]);
      assert.deepEqual(await latest('log'), ['Uploading', 3]);
      const firmware = await csms.stores.statusEvents.list(identity, { kind: 'firmware' });
      assert.deepEqual(
        firmware.items.map((e) => [e.status, (e.details as { action: string }).action]),
        [
          ['Installed', 'SignedFirmwareStatusNotification'],
          ['Downloading', 'FirmwareStatusNotification'],
        ],
      );
    });

    test('SecurityEventNotification is stored, critical per the security events list', async () => {
      const { identity, station } = await stations.booted();
      const tamper = nextTimestamp();
      const answer = await station.call('SecurityEventNotification', {
        type: 'TamperDetectionActivated',
        timestamp: tamper,
        techInfo: 'lid opened',
      });
      assert.deepEqual(answer, {});
      await station.call('SecurityEventNotification', {
        type: 'InvalidMessages',
        timestamp: nextTimestamp(),
      });
      // The 1.6 whitepaper spelling of 2.0.1's InvalidCsmsCertificate (critical).
      await station.call('SecurityEventNotification', {
        type: 'InvalidCentralSystemCertificate',
        timestamp: nextTimestamp(),
      });
      await station.call('SecurityEventNotification', {
        type: 'com.example.VendorEvent',
        timestamp: nextTimestamp(),
      });
      // Resent: stored once.
      await station.call('SecurityEventNotification', {
        type: 'TamperDetectionActivated',
        timestamp: tamper,
        techInfo: 'lid opened',
      });
      const { items } = await csms.stores.securityEvents.list(identity);
      assert.deepEqual(items.map((e) => [e.type, e.critical]).reverse(), [
        ['TamperDetectionActivated', true],
        ['InvalidMessages', false],
        ['InvalidCentralSystemCertificate', true],
        ['com.example.VendorEvent', false],
      ]);
      assert.equal(items.at(-1)?.tech_info, 'lid opened');
      assert.equal(items.at(-1)?.event_at.toISOString(), tamper);
    });

    test('SignCertificate is Rejected (no certificate authority) and the CSR is kept', async () => {
      const { identity, station } = await stations.booted();
      assert.deepEqual(await station.call('SignCertificate', { csr: CSR }), { status: 'Rejected' });
      const { items } = await csms.stores.stationReports.list(identity);
      assert.deepEqual(
        items.map((r) => [r.kind, r.payload]),
        [['certificate_signing_request', { csr: CSR }]],
      );
      assert.equal((await csms.stores.securityEvents.list(identity)).total, 0, 'not a security event');
    });

    test('DataTransfer of an unknown vendor is answered UnknownVendorId without data', async () => {
      const { station } = await stations.booted();
      const answer = await station.call('DataTransfer', {
        vendorId: 'com.example',
        messageId: 'Hello',
        data: 'x',
      });
      assert.deepEqual(answer, { status: 'UnknownVendorId' });
    });

    test('every message counts as contact (§4.6), written in one statement a second', async () => {
      const { identity, station } = await stations.booted();
      const lastContact = async () => (await csms.stores.stations.get(identity))?.last_contact_at?.getTime();
      const atBoot = await eventually(lastContact, 'the last contact of the boot');
      await new Promise((resolve) => setTimeout(resolve, 20));
      const sent = Date.now();
      await station.call('Authorize', { idTag: 'ANY' });
      const afterAuthorize = await eventually(async () => {
        const at = await lastContact();
        return at !== undefined && at >= sent ? at : undefined;
      }, 'the Authorize to count as contact');
      assert.ok(afterAuthorize > atBoot);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const beat = Date.now();
      await station.call('Heartbeat', {});
      await eventually(async () => {
        const at = await lastContact();
        return at !== undefined && at >= beat;
      }, 'the Heartbeat to count as contact');
    });
  });
}
