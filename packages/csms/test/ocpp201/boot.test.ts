/**
 * OCPP 2.0.1 BootNotification and Heartbeat (B01–B03), with the OCTT CSMS test cases of "Cold Boot
 * Charging Station" (Part 6 §3.3), against real stations over real sockets, on every database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type * as v201 from 'ocppkit/v201';
import type { CsmsEvent } from '../../src/events.js';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import { eventually } from '../support/eventually.js';
import { BOOT, callErrorCode, nextTimestamp, notifyConnector, StationPool } from './stations.js';

const FULL_BOOT: v201.BootNotificationRequest = {
  reason: 'PowerUp',
  chargingStation: {
    model: 'Model-201',
    vendorName: 'Vendor-201',
    serialNumber: 'SN-0001',
    firmwareVersion: '1.2.3',
    modem: { iccid: '8931000000000000001', imsi: '204000000000001' },
  },
};

for (const kind of databaseKinds()) {
  describe(`OCPP 2.0.1 boot [${kind}]`, () => {
    let csms: TestCsms;
    const stations = new StationPool(() => csms);
    before(async () => {
      csms = await startTestCsms(kind);
    });
    after(async () => {
      await stations.closeAll();
      await csms.stop();
    });

    test('TC_B_01_CSMS: Cold Boot Charging Station - Accepted; the boot data is stored', async () => {
      const seen: CsmsEvent[] = [];
      const unsubscribe = csms.events.subscribe((event) => seen.push(event));
      const station = await stations.connect('B01-STATION');
      const response = await station.call('BootNotification', FULL_BOOT);
      unsubscribe();
      assert.equal(response.status, 'Accepted');
      assert.equal(response.interval, 300, 'the configured heartbeat interval (B01.FR.04)');
      assert.ok(Math.abs(Date.parse(response.currentTime) - Date.now()) < 10_000);

      const stored = await csms.stores.stations.get('B01-STATION');
      assert.equal(stored?.registration_status, 'Accepted');
      assert.equal(stored?.protocol, 'ocpp2.0.1');
      assert.equal(stored?.vendor, 'Vendor-201');
      assert.equal(stored?.model, 'Model-201');
      assert.equal(stored?.serial_number, 'SN-0001');
      assert.equal(stored?.firmware_version, '1.2.3');
      assert.equal(stored?.iccid, '8931000000000000001');
      assert.equal(stored?.imsi, '204000000000001');
      assert.equal(stored?.boot_reason, 'PowerUp');
      assert.deepEqual(stored?.boot_payload, FULL_BOOT);
      assert.ok(
        seen.some((e) => e.type === 'boot' && e.identity === 'B01-STATION' && e.status === 'Accepted'),
      );

      // Reusable State Booted, step 3: the connector states are served once Accepted.
      await notifyConnector(station, 'Available');
      const [connector] = await csms.stores.connectorStatus.listCurrent('B01-STATION');
      assert.equal(connector?.status, 'Available');
    });

    test('a reboot stores its reason (B01.FR.09)', async () => {
      const station = await stations.booted('B01-REBOOT');
      await station.call('BootNotification', { ...BOOT, reason: 'RemoteReset' });
      assert.equal((await csms.stores.stations.get('B01-REBOOT'))?.boot_reason, 'RemoteReset');
    });

    test('TC_B_02_CSMS: Cold Boot Charging Station - Pending, then Accepted by the operator', async () => {
      await csms.stores.stations.create({ identity: 'B02-STATION', registrationStatus: 'Pending' });
      const station = await stations.connect('B02-STATION');
      const first = await station.call('BootNotification', BOOT);
      assert.equal(first.status, 'Pending');
      assert.ok(first.interval > 0, 'the station waits this long before booting again (B02.FR.08)');

      // B02.FR.02: while Pending the station may answer what the CSMS asked for (GetBaseReport).
      await station.call('NotifyReport', {
        requestId: 7,
        generatedAt: nextTimestamp(),
        seqNo: 0,
        reportData: [
          {
            component: { name: 'OCPPCommCtrlr' },
            variable: { name: 'HeartbeatInterval' },
            variableAttribute: [{ type: 'Actual', value: '300', mutability: 'ReadWrite' }],
          },
        ],
      });
      assert.equal((await csms.stores.deviceModel.list('B02-STATION'))[0]?.value, '300');

      await csms.stores.stations.setRegistrationStatus('B02-STATION', 'Accepted');
      const second = await station.call('BootNotification', BOOT);
      assert.equal(second.status, 'Accepted');
      assert.ok(station.connected, 'the connection stayed open while Pending (B02.FR.06)');
      await notifyConnector(station, 'Available');
    });

    test('TC_B_30_CSMS: Pending/Rejected - SecurityError for every CALL but BootNotification', async () => {
      for (const status of ['Pending', 'Rejected'] as const) {
        const identity = `B30-${status.toUpperCase()}`;
        await csms.stores.stations.create({ identity, registrationStatus: status });
        const station = await stations.connect(identity);
        assert.equal((await station.call('BootNotification', BOOT)).status, status);

        const timestamp = nextTimestamp();
        const statusCall = station.call('StatusNotification', {
          timestamp,
          connectorStatus: 'Available',
          evseId: 1,
          connectorId: 1,
        });
        assert.equal(await callErrorCode(statusCall), 'SecurityError');
        const eventCall = station.call('NotifyEvent', {
          generatedAt: timestamp,
          seqNo: 0,
          eventData: [
            {
              eventId: 1,
              timestamp,
              trigger: 'Delta',
              actualValue: 'Available',
              eventNotificationType: 'HardWiredNotification',
              component: { name: 'Connector', evse: { id: 1, connectorId: 1 } },
              variable: { name: 'AvailabilityState' },
            },
          ],
        });
        assert.equal(await callErrorCode(eventCall), 'SecurityError');
        assert.equal(await callErrorCode(station.call('Heartbeat', {})), 'SecurityError');
        // B03.FR.07: NotifyReport too, once Rejected.
        if (status === 'Rejected') {
          const report = station.call('NotifyReport', { requestId: 1, generatedAt: timestamp, seqNo: 0 });
          assert.equal(await callErrorCode(report), 'SecurityError');
        }
        assert.deepEqual(await csms.stores.connectorStatus.listCurrent(identity), [], 'nothing was stored');
      }
    });

    test('a station that has not booted yet gets SecurityError (B01.FR.08, B02.FR.09)', async () => {
      const station = await stations.connect('B-NOT-BOOTED');
      assert.equal(await callErrorCode(station.call('Heartbeat', {})), 'SecurityError');
      const tx = station.call('TransactionEvent', {
        eventType: 'Started',
        triggerReason: 'CablePluggedIn',
        seqNo: 0,
        timestamp: nextTimestamp(),
        transactionInfo: { transactionId: 'NOT-BOOTED-TX' },
      });
      assert.equal(await callErrorCode(tx), 'SecurityError');
      assert.equal((await csms.stores.transactions.list({ stationIdentity: 'B-NOT-BOOTED' })).total, 0);
    });

    test('a station Accepted before reconnects without booting and is served', async () => {
      const first = await stations.booted('B-RECONNECT');
      await first.close();
      const again = await stations.connect('B-RECONNECT');
      const heartbeat = await again.call('Heartbeat', {});
      assert.ok(Date.parse(heartbeat.currentTime) > 0);
    });

    test('Heartbeat answers the CSMS time and records the contact within a second', async () => {
      const station = await stations.booted('B-HEARTBEAT');
      const before = (await csms.stores.stations.get('B-HEARTBEAT'))?.last_contact_at;
      assert.ok(before);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const sent = Date.now();
      const response = await station.call('Heartbeat', {});
      assert.ok(Math.abs(Date.parse(response.currentTime) - Date.now()) < 10_000);
      const after = await eventually(async () => {
        const at = (await csms.stores.stations.get('B-HEARTBEAT'))?.last_contact_at;
        return at && at.getTime() >= sent ? at : undefined;
      }, 'last_contact_at to move to the Heartbeat');
      assert.ok(after > before);
      assert.ok(Date.now() - sent < 3000, 'written within about a second');
    });
  });

  describe(`OCPP 2.0.1 boot under the 'pending' policy [${kind}]`, () => {
    let csms: TestCsms;
    const stations = new StationPool(() => csms);
    before(async () => {
      csms = await startTestCsms(kind, { unknownStations: 'pending' });
    });
    after(async () => {
      await stations.closeAll();
      await csms.stop();
    });

    test('an unknown station stays Pending until an operator accepts it', async () => {
      const station = await stations.connect('POLICY-PENDING');
      assert.equal((await station.call('BootNotification', BOOT)).status, 'Pending');
      assert.equal((await station.call('BootNotification', BOOT)).status, 'Pending');
      assert.equal(await callErrorCode(station.call('Heartbeat', {})), 'SecurityError');
      await csms.stores.stations.setRegistrationStatus('POLICY-PENDING', 'Accepted');
      assert.equal((await station.call('BootNotification', BOOT)).status, 'Accepted');
      await station.call('Heartbeat', {});
    });
  });
}
