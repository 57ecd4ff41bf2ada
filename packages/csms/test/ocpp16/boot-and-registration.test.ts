/**
 * OCPP 1.6 BootNotification, Heartbeat and the registration policy, against real stations
 * (cf. OCTT 2.0.1 TC_B_01, TC_B_02 and TC_B_30 for the CSMS).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import { eventually } from '../support/eventually.js';
import { assertCallError, BOOT, eventsDuring, Stations } from './stations.js';

/** The default of --heartbeat-interval (startTestCsms can't set it: the flag isn't the key in kebab case). */
const HEARTBEAT_INTERVAL_S = 300;

for (const kind of databaseKinds()) {
  describe(`OCPP 1.6 boot, unknown stations accepted [${kind}]`, () => {
    let csms: TestCsms;
    const stations = new Stations(() => csms);
    before(async () => {
      csms = await startTestCsms(kind);
    });
    after(async () => {
      await stations.closeAll();
      await csms.stop();
    });

    test('a cold boot is Accepted with the heartbeat interval and the current time (TC_B_01)', async () => {
      const identity = stations.identity();
      const station = await stations.connect(identity);
      const before = Date.now();
      const events = await eventsDuring(csms, identity, async () => {
        const answer = await station.call('BootNotification', {
          ...BOOT,
          chargePointSerialNumber: 'SN-1',
          chargeBoxSerialNumber: 'BOX-1',
          firmwareVersion: '1.2.3',
          iccid: 'ICCID-1',
          imsi: 'IMSI-1',
          meterType: 'MeterCo',
          meterSerialNumber: 'M-1',
        });
        assert.equal(answer.status, 'Accepted');
        assert.equal(answer.interval, HEARTBEAT_INTERVAL_S);
        const currentTime = Date.parse(answer.currentTime);
        assert.ok(currentTime >= before - 1000 && currentTime <= Date.now() + 1000);
      });
      assert.deepEqual(events, [{ type: 'boot', identity, status: 'Accepted' }]);
      const stored = await csms.stores.stations.get(identity);
      assert.ok(stored);
      assert.equal(stored.registration_status, 'Accepted');
      assert.equal(stored.protocol, 'ocpp1.6');
      assert.equal(stored.vendor, 'TestVendor');
      assert.equal(stored.model, 'TestModel');
      assert.equal(stored.serial_number, 'SN-1');
      assert.equal(stored.charge_box_serial_number, 'BOX-1');
      assert.equal(stored.firmware_version, '1.2.3');
      assert.equal(stored.iccid, 'ICCID-1');
      assert.equal(stored.imsi, 'IMSI-1');
      assert.equal(stored.meter_type, 'MeterCo');
      assert.equal(stored.meter_serial_number, 'M-1');
      assert.ok(stored.booted_at);
      assert.equal((stored.boot_payload as { chargePointModel: string }).chargePointModel, 'TestModel');
    });

    test('a Heartbeat answers the current time and refreshes the last contact', async () => {
      const { identity, station } = await stations.booted();
      const before = (await csms.stores.stations.get(identity))?.last_contact_at;
      assert.ok(before);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const answer = await station.call('Heartbeat', {});
      assert.ok(Math.abs(Date.parse(answer.currentTime) - Date.now()) < 5000);
      await eventually(async () => {
        const after = (await csms.stores.stations.get(identity))?.last_contact_at;
        return after && after.getTime() > before.getTime();
      }, 'last_contact_at to move forward');
    });

    test('a station that reboots sends a new BootNotification and its boot data is replaced', async () => {
      const { identity, station } = await stations.booted();
      await station.close();
      const again = await stations.connect(identity);
      const answer = await again.call('BootNotification', { ...BOOT, firmwareVersion: '2.0.0' });
      assert.equal(answer.status, 'Accepted');
      assert.equal((await csms.stores.stations.get(identity))?.firmware_version, '2.0.0');
    });

    test('a connection the database refuses to record is closed with 1011, and the next one is served', async () => {
      const refused = stations.identity();
      // A real database error on the connect row only (the credentials lookup before it still works).
      await sql`ALTER TABLE stations ADD CONSTRAINT test_refuse_connect CHECK (identity <> ${sql.lit(refused)})`.execute(
        csms.database.db,
      );
      try {
        const station = await stations.connect(refused);
        assert.deepEqual(await station.closed, { code: 1011, reason: 'Internal error' });
        assert.equal(csms.gateway.isConnected(refused), false);
        assert.equal(await csms.stores.stations.get(refused), undefined);
      } finally {
        await sql`ALTER TABLE stations DROP CONSTRAINT test_refuse_connect`.execute(csms.database.db);
      }
      const { identity } = await stations.booted();
      assert.equal(csms.gateway.isConnected(identity), true);
    });

    test('a station Accepted before is served after a reconnect without a BootNotification', async () => {
      const { identity, station } = await stations.booted();
      await station.close();
      const again = await stations.connect(identity);
      const answer = await again.call('Heartbeat', {});
      assert.ok(answer.currentTime);
    });

    test('a station that never booted gets SecurityError for anything but BootNotification', async () => {
      const station = await stations.connect(stations.identity());
      await assertCallError(station.call('Heartbeat', {}), 'SecurityError');
      await assertCallError(
        station.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' }),
        'SecurityError',
      );
    });

    test('an operator-Rejected station is Rejected at boot and refused afterwards', async () => {
      const identity = stations.identity();
      await csms.stores.stations.create({ identity, registrationStatus: 'Rejected' });
      const station = await stations.connect(identity);
      const answer = await station.call('BootNotification', BOOT);
      assert.equal(answer.status, 'Rejected');
      // §4.2: for Rejected, interval is the minimum wait before the next BootNotification.
      assert.equal(answer.interval, HEARTBEAT_INTERVAL_S);
      await assertCallError(station.call('Heartbeat', {}), 'SecurityError');
      assert.equal((await csms.stores.stations.get(identity))?.registration_status, 'Rejected');
    });
  });

  describe(`OCPP 1.6 boot, unknown stations pending [${kind}]`, () => {
    let csms: TestCsms;
    const stations = new Stations(() => csms);
    before(async () => {
      csms = await startTestCsms(kind, { unknownStations: 'pending' });
    });
    after(async () => {
      await stations.closeAll();
      await csms.stop();
    });

    test('an unknown station is Pending and then gets SecurityError for a Heartbeat (TC_B_02, TC_B_30)', async () => {
      const identity = stations.identity();
      const station = await stations.connect(identity);
      const events = await eventsDuring(csms, identity, async () => {
        const answer = await station.call('BootNotification', BOOT);
        assert.equal(answer.status, 'Pending');
        assert.equal(answer.interval, HEARTBEAT_INTERVAL_S);
      });
      assert.deepEqual(events, [{ type: 'boot', identity, status: 'Pending' }]);
      await assertCallError(station.call('Heartbeat', {}), 'SecurityError');
      await assertCallError(
        station.call('StartTransaction', {
          connectorId: 1,
          idTag: 'TAG',
          meterStart: 0,
          timestamp: new Date().toISOString(),
        }),
        'SecurityError',
      );
      const stored = await csms.stores.stations.get(identity);
      assert.equal(stored?.registration_status, 'Pending');
      assert.equal(stored?.vendor, 'TestVendor');
    });

    test('a Pending station stays Pending at its next boot, until an operator accepts it', async () => {
      const identity = stations.identity();
      const first = await stations.connect(identity);
      assert.equal((await first.call('BootNotification', BOOT)).status, 'Pending');
      assert.equal((await first.call('BootNotification', BOOT)).status, 'Pending');
      assert.ok(await csms.stores.stations.setRegistrationStatus(identity, 'Accepted'));
      assert.equal((await first.call('BootNotification', BOOT)).status, 'Accepted');
      assert.ok((await first.call('Heartbeat', {})).currentTime);
    });

    test('a station an operator set to Accepted is Accepted under the pending policy', async () => {
      const identity = stations.identity();
      await csms.stores.stations.create({ identity, registrationStatus: 'Accepted' });
      const station = await stations.connect(identity);
      assert.equal((await station.call('BootNotification', BOOT)).status, 'Accepted');
      assert.ok((await station.call('Heartbeat', {})).currentTime);
    });

    test('a reconnect without BootNotification is served when the station was Accepted before', async () => {
      const identity = stations.identity();
      await csms.stores.stations.create({ identity, registrationStatus: 'Accepted' });
      const first = await stations.connect(identity);
      await first.call('BootNotification', BOOT);
      await first.close();
      const again = await stations.connect(identity);
      assert.ok((await again.call('Heartbeat', {})).currentTime);
    });

    test('a reconnect without BootNotification of a Pending station is still refused', async () => {
      const identity = stations.identity();
      const first = await stations.connect(identity);
      await first.call('BootNotification', BOOT);
      await first.close();
      const again = await stations.connect(identity);
      await assertCallError(again.call('Heartbeat', {}), 'SecurityError');
    });
  });
}
