/**
 * The reports and notifications an OCPP 2.0.1 station sends beyond boot, authorization, transactions,
 * status, meter values and security: each round-trips over a real socket, gets the answer the spec
 * gives (for a CSMS without a schedule planner where that matters), and is stored — in its store, or
 * in the message log where no table holds it yet — on every database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type * as v201 from 'ocppkit/v201';
import { ReportParts } from '../../src/ocpp/v201/reports.js';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import { nextTimestamp, StationPool } from './stations.js';

const SCHEDULE: v201.ChargingScheduleType = {
  id: 1,
  chargingRateUnit: 'W',
  chargingSchedulePeriod: [{ startPeriod: 0, limit: 11_000 }],
};

for (const kind of databaseKinds()) {
  describe(`OCPP 2.0.1 station messages [${kind}]`, () => {
    let csms: TestCsms;
    const stations = new StationPool(() => csms);
    before(async () => {
      csms = await startTestCsms(kind);
    });
    after(async () => {
      await stations.closeAll();
      await csms.stop();
    });

    test('NotifyReport in parts fills the device model; a resent part changes nothing (B07, B08)', async () => {
      const station = await stations.booted('R-REPORT');
      const part = (seqNo: number, tbc: boolean, reportData: v201.ReportDataType[]) =>
        station.call('NotifyReport', { requestId: 42, generatedAt: nextTimestamp(), seqNo, tbc, reportData });
      const first = await part(0, true, [
        {
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'HeartbeatInterval' },
          variableAttribute: [{ type: 'Actual', value: '300', mutability: 'ReadWrite', persistent: true }],
          variableCharacteristics: { dataType: 'integer', supportsMonitoring: false, unit: 's' },
        },
      ]);
      assert.deepEqual(first, {});
      const connector: v201.ReportDataType = {
        component: { name: 'Connector', evse: { id: 1, connectorId: 1 } },
        variable: { name: 'AvailabilityState' },
        variableAttribute: [{ value: 'Available', mutability: 'ReadOnly' }],
      };
      await part(1, false, [connector]);
      await part(1, false, [connector]);
      const variables = await csms.stores.deviceModel.list('R-REPORT');
      assert.deepEqual(
        variables.map((v) => [
          v.component_name,
          v.evse_id,
          v.connector_id,
          v.variable_name,
          v.attribute_type,
          v.value,
        ]),
        [
          ['Connector', 1, 1, 'AvailabilityState', 'Actual', 'Available'],
          ['OCPPCommCtrlr', 0, 0, 'HeartbeatInterval', 'Actual', '300'],
        ],
      );
      const heartbeat = variables.find((v) => v.variable_name === 'HeartbeatInterval');
      assert.equal(heartbeat?.mutability, 'ReadWrite');
      assert.deepEqual(heartbeat?.characteristics, {
        dataType: 'integer',
        supportsMonitoring: false,
        unit: 's',
      });
    });

    test('NotifyMonitoringReport stores each monitor; a resent part changes nothing (N02)', async () => {
      const station = await stations.booted('R-MONITORING');
      const request: v201.NotifyMonitoringReportRequest = {
        requestId: 5,
        seqNo: 0,
        generatedAt: nextTimestamp(),
        monitor: [
          {
            component: { name: 'EVSE', evse: { id: 1 } },
            variable: { name: 'Power' },
            variableMonitoring: [
              { id: 1, transaction: true, value: 22_000, type: 'UpperThreshold', severity: 4 },
            ],
          },
        ],
      };
      assert.deepEqual(await station.call('NotifyMonitoringReport', request), {});
      assert.deepEqual(await station.call('NotifyMonitoringReport', request), {});
      const monitors = await csms.stores.variableMonitors.list('R-MONITORING');
      assert.deepEqual(
        monitors.map((m) => [m.component_name, m.evse_id, m.variable_name, m.monitor_id, m.value, m.type]),
        [['EVSE', 1, 'Power', 1, 22_000, 'UpperThreshold']],
      );
      assert.equal(monitors[0]?.transaction_only, true);
    });

    test('NotifyEvent updates the Actual value of the variable (N07)', async () => {
      const station = await stations.booted('R-EVENT');
      const timestamp = nextTimestamp();
      await station.call('NotifyEvent', {
        generatedAt: timestamp,
        seqNo: 0,
        tbc: false,
        eventData: [
          {
            eventId: 3,
            timestamp,
            trigger: 'Alerting',
            actualValue: '87',
            techCode: 'T-87',
            eventNotificationType: 'CustomMonitor',
            variableMonitoringId: 1,
            component: { name: 'EVSE', evse: { id: 1 } },
            variable: { name: 'Temperature' },
          },
        ],
      });
      const [variable] = await csms.stores.deviceModel.list('R-EVENT', { variableName: 'Temperature' });
      assert.deepEqual([variable?.component_name, variable?.evse_id, variable?.value], ['EVSE', 1, '87']);
    });

    test('firmware, publish and log status notifications are stored (L01, L03, N01)', async () => {
      const station = await stations.booted('L-STATION');
      for (const status of ['Downloading', 'Downloaded', 'Installing', 'Installed'] as const) {
        assert.deepEqual(await station.call('FirmwareStatusNotification', { status, requestId: 11 }), {});
      }
      await station.call('FirmwareStatusNotification', { status: 'Installed', requestId: 11 });
      await station.call('PublishFirmwareStatusNotification', {
        status: 'Published',
        requestId: 12,
        location: ['http://lc.local/fw.bin'],
      });
      await station.call('LogStatusNotification', { status: 'Uploading', requestId: 13 });
      await station.call('LogStatusNotification', { status: 'Uploaded', requestId: 13 });
      const events = await csms.stores.statusEvents.list('L-STATION');
      assert.deepEqual(
        events.items.map((e) => [e.kind, e.status, e.request_id]).reverse(),
        [
          ['firmware', 'Downloading', 11],
          ['firmware', 'Downloaded', 11],
          ['firmware', 'Installing', 11],
          ['firmware', 'Installed', 11],
          ['publish_firmware', 'Published', 12],
          ['log', 'Uploading', 13],
          ['log', 'Uploaded', 13],
        ],
        'the repeated Installed is stored once',
      );
      const published = await csms.stores.statusEvents.latest('L-STATION', 'publish_firmware');
      assert.deepEqual(published?.details, { location: ['http://lc.local/fw.bin'] });
    });

    test('charging limits and reported profiles are stored (K09, K12, K13)', async () => {
      const station = await stations.booted('K-STATION');
      const limit: v201.NotifyChargingLimitRequest = {
        evseId: 1,
        chargingLimit: { chargingLimitSource: 'EMS', isGridCritical: false },
        chargingSchedule: [SCHEDULE],
      };
      assert.deepEqual(await station.call('NotifyChargingLimit', limit), {});
      assert.deepEqual(
        await station.call('ClearedChargingLimit', { chargingLimitSource: 'EMS', evseId: 1 }),
        {},
      );
      const report: v201.ReportChargingProfilesRequest = {
        requestId: 21,
        chargingLimitSource: 'CSO',
        evseId: 1,
        tbc: false,
        chargingProfile: [
          {
            id: 100,
            stackLevel: 0,
            chargingProfilePurpose: 'TxDefaultProfile',
            chargingProfileKind: 'Absolute',
            chargingSchedule: [{ ...SCHEDULE, startSchedule: nextTimestamp() }],
          },
        ],
      };
      assert.deepEqual(await station.call('ReportChargingProfiles', report), {});
      const rows = (await csms.stores.chargingProfiles.list('K-STATION')).items.reverse();
      assert.deepEqual(
        rows.map((r) => [r.kind, r.evse_id, r.limit_source, r.request_id]),
        [
          ['charging_limit', 1, 'EMS', null],
          ['cleared_limit', 1, 'EMS', null],
          ['reported_profiles', 1, 'CSO', 21],
        ],
      );
      assert.deepEqual(rows[0]?.payload, limit);
      assert.deepEqual(rows[2]?.payload, report);
    });

    test('EV charging needs are Rejected and the EV schedule Accepted; both are stored (K15)', async () => {
      const station = await stations.booted('K15-STATION');
      const needs: v201.NotifyEVChargingNeedsRequest = {
        evseId: 1,
        maxScheduleTuples: 3,
        chargingNeeds: {
          requestedEnergyTransfer: 'AC_three_phase',
          acChargingParameters: {
            energyAmount: 30_000,
            evMinCurrent: 6,
            evMaxCurrent: 32,
            evMaxVoltage: 400,
          },
        },
      };
      assert.equal((await station.call('NotifyEVChargingNeeds', needs)).status, 'Rejected');
      const schedule: v201.NotifyEVChargingScheduleRequest = {
        evseId: 1,
        timeBase: nextTimestamp(),
        chargingSchedule: SCHEDULE,
      };
      assert.equal((await station.call('NotifyEVChargingSchedule', schedule)).status, 'Accepted');
      const reports = await csms.stores.chargingProfiles.list('K15-STATION');
      assert.deepEqual(reports.items.map((r) => [r.kind, r.evse_id, r.payload]).reverse(), [
        ['ev_charging_needs', 1, needs],
        ['ev_charging_schedule', 1, schedule],
      ]);
    });

    test('customer information and display messages are stored part by part, once each (N09, O04)', async () => {
      const station = await stations.booted('N09-STATION');
      const information = (seqNo: number, tbc: boolean, data: string) =>
        station.call('NotifyCustomerInformation', {
          requestId: 31,
          seqNo,
          tbc,
          generatedAt: nextTimestamp(),
          data,
        });
      assert.deepEqual(await information(0, true, 'idToken VALID-201: 12 transactions'), {});
      assert.deepEqual(await information(1, false, 'idToken VALID-201: cache entry'), {});
      assert.deepEqual(await information(1, false, 'idToken VALID-201: cache entry'), {}, 'a resend');
      const display: v201.NotifyDisplayMessagesRequest = {
        requestId: 32,
        messageInfo: [
          { id: 1, priority: 'NormalCycle', message: { format: 'UTF8', content: 'Welcome', language: 'en' } },
        ],
      };
      assert.deepEqual(await station.call('NotifyDisplayMessages', display), {});
      assert.deepEqual(await station.call('NotifyDisplayMessages', display), {});
      const customer = await csms.stores.stationReports.list('N09-STATION', { kind: 'customer_information' });
      assert.deepEqual(
        customer.items.map((r) => [r.request_id, r.seq_no, r.tbc, (r.payload as { data: string }).data]),
        [
          [31, 0, true, 'idToken VALID-201: 12 transactions'],
          [31, 1, false, 'idToken VALID-201: cache entry'],
        ],
      );
      const shown = await csms.stores.stationReports.list('N09-STATION', { kind: 'display_messages' });
      assert.deepEqual(
        shown.items.map((r) => [r.request_id, r.seq_no, r.payload]),
        [[32, null, display]],
      );
    });

    test('ReservationStatusUpdate sets the status of the station’s own reservation only (H04)', async () => {
      const station = await stations.booted('H04-STATION');
      const reservation = (stationIdentity: string) =>
        csms.stores.reservations.create({
          stationIdentity,
          evseId: 1,
          idToken: 'RESERVER',
          expiresAt: new Date(Date.now() + 60_000),
        });
      await csms.stores.stations.create({ identity: 'H04-OTHER' });
      const own = await reservation('H04-STATION');
      const others = await reservation('H04-OTHER');
      for (const reservationId of [own.id, others.id, 2_147_483_647_000]) {
        const response = await station.call('ReservationStatusUpdate', {
          reservationId,
          reservationUpdateStatus: 'Expired',
        });
        assert.deepEqual(response, {});
      }
      assert.equal((await csms.stores.reservations.get(own.id))?.status, 'Expired');
      assert.equal((await csms.stores.reservations.get(others.id))?.status, 'Pending');
    });

    test('TC_P_02_CSMS: Data Transfer to the CSMS - Rejected / Unknown VendorId / Unknown MessageId', async () => {
      const station = await stations.booted('P02-STATION');
      const response = await station.call('DataTransfer', {
        vendorId: 'com.example.octt',
        messageId: 'TestMessage',
        data: { anything: 1 },
      });
      assert.equal(response.status, 'UnknownVendorId');
    });
  });
}

test('ReportParts tells a complete multi-part message from one with parts missing', () => {
  const parts = new ReportParts();
  assert.equal(parts.add('report', 1, 0, true), undefined, 'more to come');
  assert.equal(parts.add('report', 1, 1, true), undefined);
  assert.equal(parts.add('report', 1, 2, false), 0, 'all of 0..2 seen');
  assert.equal(parts.add('report', 2, 3, false), 3, 'only the last of 0..3 seen');
  assert.equal(parts.add('report', 3, 2_000_000_000, false), 2_000_000_000, 'counted, not listed');
  for (let requestId = 100; requestId < 200; requestId++) parts.add('report', requestId, 0, true);
  assert.equal(parts.add('report', 100, 1, false), 1, 'the oldest unfinished reports are forgotten');
  assert.equal(parts.add('report', 199, 1, false), 0);
});
