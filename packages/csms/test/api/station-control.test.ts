/**
 * Operator control of a live station: PATCH applies the registration status to the open session
 * (no reboot needed), POST /disconnect closes the socket, and a message the CSMS asked for with
 * TriggerMessage is served while the station is Pending (2.0.1 B02.FR.02, OCTT TC_B_31_CSMS; 1.6 §4.2).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type * as v16 from 'ocppkit/v16';
import type * as v201 from 'ocppkit/v201';
import { TRIGGER_EXPIRY_MS, TriggeredMessages } from '../../src/ocpp/triggered-messages.js';
import { BOOT as BOOT16, Stations } from '../ocpp16/stations.js';
import { BOOT, callErrorCode, nextTimestamp, StationPool } from '../ocpp201/stations.js';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';

const AVAILABLE = (evseId = 1): v201.StatusNotificationRequest => ({
  timestamp: nextTimestamp(),
  connectorStatus: 'Available',
  evseId,
  connectorId: 1,
});

const METER = (evseId: number): v201.MeterValuesRequest => ({
  evseId,
  meterValue: [{ timestamp: nextTimestamp(), sampledValue: [{ value: 1000 + evseId }] }],
});

for (const kind of databaseKinds()) {
  describe(`live station control [${kind}]`, () => {
    let csms: TestCsms;
    const stations = new StationPool(() => csms);
    const stations16 = new Stations(() => csms);
    before(async () => {
      csms = await startTestCsms(kind);
    });
    after(async () => {
      await stations.closeAll();
      await stations16.closeAll();
      await csms?.stop();
    });

    /** A 2.0.1 station the CSMS answered Pending. */
    async function pendingStation(identity: string): Promise<v201.ChargePoint> {
      await csms.stores.stations.create({ identity, registrationStatus: 'Pending' });
      const station = await stations.connect(identity);
      assert.equal((await station.call('BootNotification', BOOT)).status, 'Pending');
      return station;
    }

    test('PATCH Accepted serves a Pending station at once: no reboot needed', async () => {
      const station = await pendingStation('LIVE-PENDING-1');
      assert.equal(await callErrorCode(station.call('Heartbeat', {})), 'SecurityError');
      const patched = await csms.api('/api/v1/stations/LIVE-PENDING-1', {
        method: 'PATCH',
        body: { registrationStatus: 'Accepted' },
      });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.registrationStatus, 'Accepted');
      assert.ok((await station.call('Heartbeat', {})).currentTime);
      assert.deepEqual(await station.call('StatusNotification', AVAILABLE()), {});
    });

    test('PATCH Rejected refuses the next message of an Accepted station', async () => {
      const station = await stations.booted('LIVE-REJECT-1');
      await csms.api('/api/v1/stations/LIVE-REJECT-1', {
        method: 'PATCH',
        body: { registrationStatus: 'Rejected' },
      });
      assert.equal(await callErrorCode(station.call('Heartbeat', {})), 'SecurityError');
      assert.equal((await csms.stores.stations.get('LIVE-REJECT-1'))?.registration_status, 'Rejected');
    });

    test('POST /disconnect closes the socket with 1000 (204); 409 when not connected; 404 unknown', async () => {
      const station = await stations.booted('LIVE-DISC-1');
      const closed = await csms.api('/api/v1/stations/LIVE-DISC-1/disconnect', { method: 'POST' });
      assert.equal(closed.status, 204);
      assert.equal((await station.closed).code, 1000);
      assert.equal(csms.gateway.isConnected('LIVE-DISC-1'), false);
      const again = await csms.api('/api/v1/stations/LIVE-DISC-1/disconnect', { method: 'POST' });
      assert.equal(again.status, 409);
      assert.equal(again.body.code, 'STATION_NOT_CONNECTED');
      const unknown = await csms.api('/api/v1/stations/NO-SUCH-DISC/disconnect', { method: 'POST' });
      assert.equal(unknown.status, 404);
    });

    test('TC_B_31: a Pending station may send what a TriggerMessage asked for, once', async () => {
      const station = await pendingStation('TRIG-201-1');
      assert.equal(await callErrorCode(station.call('StatusNotification', AVAILABLE())), 'SecurityError');
      let triggered: Promise<unknown> = Promise.resolve();
      station.handle('TriggerMessage', () => ({ status: 'Accepted' }));
      // F06.FR.04: the requested message follows the TriggerMessage answer.
      station.after('TriggerMessage', () => {
        triggered = station.call('StatusNotification', AVAILABLE());
      });
      const trigger = await csms.api('/api/v1/stations/TRIG-201-1/trigger-message', {
        method: 'POST',
        body: { message: 'StatusNotification', evseId: 1, connectorId: 1 },
      });
      assert.equal(trigger.status, 200);
      assert.deepEqual(await triggered, {});
      assert.equal((await csms.stores.connectorStatus.listCurrent('TRIG-201-1'))[0]?.status, 'Available');
      assert.equal(
        await callErrorCode(station.call('StatusNotification', AVAILABLE())),
        'SecurityError',
        'the trigger is used up',
      );
    });

    test('a trigger for every EVSE lets each EVSE answer; a refused trigger lets nothing through', async () => {
      const station = await pendingStation('TRIG-201-2');
      let answer: v201.TriggerMessageStatusEnumType = 'Accepted';
      let triggered: Promise<unknown[]> = Promise.resolve([]);
      station.handle('TriggerMessage', () => ({ status: answer }));
      station.after('TriggerMessage', (request, response) => {
        if (response.status !== 'Accepted' || request.requestedMessage !== 'MeterValues') return;
        triggered = (async () => [
          await station.call('MeterValues', METER(1)),
          await station.call('MeterValues', METER(2)),
        ])();
      });
      const all = await csms.gateway.call('TRIG-201-2', 'TriggerMessage', {
        requestedMessage: 'MeterValues',
      });
      assert.deepEqual(all, { status: 'Accepted' });
      assert.deepEqual(await triggered, [{}, {}]);

      answer = 'Rejected';
      await csms.gateway.call('TRIG-201-2', 'TriggerMessage', { requestedMessage: 'Heartbeat' });
      assert.equal(await callErrorCode(station.call('Heartbeat', {})), 'SecurityError');
    });

    test('1.6 §4.2: a Pending 1.6 station may send what a TriggerMessage asked for', async () => {
      const identity = stations16.identity('TRIG16');
      await csms.stores.stations.create({ identity, registrationStatus: 'Pending' });
      const station = await stations16.connect(identity);
      assert.equal((await station.call('BootNotification', BOOT16)).status, 'Pending');
      const status: v16.StatusNotificationRequest = {
        connectorId: 1,
        errorCode: 'NoError',
        status: 'Available',
      };
      let triggered: Promise<unknown> = Promise.resolve();
      station.handle('TriggerMessage', () => ({ status: 'Accepted' }));
      station.after('TriggerMessage', () => {
        triggered = station.call('StatusNotification', status);
      });
      const trigger = await csms.api(`/api/v1/stations/${identity}/trigger-message`, {
        method: 'POST',
        body: { message: 'StatusNotification', connectorId: 1 },
      });
      assert.equal(trigger.status, 200);
      assert.deepEqual(await triggered, {});
    });
  });
}

test('a trigger expires after TRIGGER_EXPIRY_MS; one for a single EVSE is used once', () => {
  const triggers = new TriggeredMessages();
  triggers.expect({ requestedMessage: 'Heartbeat' }, 0);
  assert.equal(triggers.take('Heartbeat', TRIGGER_EXPIRY_MS), false, 'expired');
  triggers.expect({ requestedMessage: 'SignChargingStationCertificate' }, 0);
  assert.equal(triggers.take('SignCertificate', 1000), true);
  assert.equal(triggers.take('SignCertificate', 1000), false);
  triggers.expect({ requestedMessage: 'MeterValues' }, 0);
  assert.equal(triggers.take('MeterValues', 10), true);
  assert.equal(triggers.take('MeterValues', 20), true, 'every EVSE answers');
  const forget = triggers.expect(
    { requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 1 } },
    0,
  );
  forget?.();
  assert.equal(triggers.take('StatusNotification', 30), false, 'forgotten: the station did not accept');
  assert.equal(triggers.expect({ requestedMessage: 'NoSuchMessage' }), undefined);
});
