/**
 * GET /api/v1/stations/{id}/reports and /monitors: what a real 2.0.1 station sent over its socket
 * (NotifyCustomerInformation in parts, NotifyDisplayMessages, NotifyMonitoringReport), read back
 * through the API with its filters and pages, on every database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { nextTimestamp, StationPool } from '../ocpp201/stations.js';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';

for (const kind of databaseKinds()) {
  describe(`station reports and monitors in the API [${kind}]`, () => {
    let csms: TestCsms;
    const stations = new StationPool(() => csms);
    before(async () => {
      csms = await startTestCsms(kind);
    });
    after(async () => {
      await stations.closeAll();
      await csms.stop();
    });

    test('report parts: newest request first, parts in order, filtered and paged', async () => {
      const station = await stations.booted('REC-REPORTS');
      const part = (requestId: number, seqNo: number, tbc: boolean, data: string) =>
        station.call('NotifyCustomerInformation', {
          data,
          seqNo,
          tbc,
          requestId,
          generatedAt: nextTimestamp(),
        });
      await part(7, 1, false, 'second half');
      await part(7, 0, true, 'first half');
      await part(8, 0, false, 'another request');
      await station.call('NotifyDisplayMessages', { requestId: 9 });

      const all = await csms.api('/api/v1/stations/REC-REPORTS/reports?kind=customer_information');
      assert.equal(all.status, 200, JSON.stringify(all.body));
      assert.equal(all.body.total, 3);
      assert.deepEqual(
        all.body.items.map(
          (r: { requestId: number; seqNo: number; tbc: boolean; payload: { data: string } }) => [
            r.requestId,
            r.seqNo,
            r.tbc,
            r.payload.data,
          ],
        ),
        [
          [8, 0, false, 'another request'],
          [7, 0, true, 'first half'],
          [7, 1, false, 'second half'],
        ],
      );
      assert.ok(!Number.isNaN(Date.parse(all.body.items[0].receivedAt)));

      const one = await csms.api('/api/v1/stations/REC-REPORTS/reports?requestId=7&limit=1&offset=1');
      assert.deepEqual(
        [one.body.total, one.body.items.length, one.body.items[0].payload.data],
        [2, 1, 'second half'],
      );
      const display = await csms.api('/api/v1/stations/REC-REPORTS/reports?kind=display_messages');
      assert.deepEqual(
        display.body.items.map((r: { kind: string; requestId: number }) => [r.kind, r.requestId]),
        [['display_messages', 9]],
      );
    });

    test('monitors, filtered by component and variable', async () => {
      const station = await stations.booted('REC-MONITORS');
      await station.call('NotifyMonitoringReport', {
        requestId: 3,
        seqNo: 0,
        generatedAt: nextTimestamp(),
        monitor: [
          {
            component: { name: 'EVSE', evse: { id: 1 } },
            variable: { name: 'Power' },
            variableMonitoring: [
              { id: 4, transaction: false, value: 22_000, type: 'UpperThreshold', severity: 2 },
            ],
          },
          {
            component: { name: 'ChargingStation' },
            variable: { name: 'Temperature' },
            variableMonitoring: [{ id: 5, transaction: true, value: 80.5, type: 'Delta', severity: 5 }],
          },
        ],
      });
      const all = await csms.api('/api/v1/stations/REC-MONITORS/monitors');
      assert.equal(all.status, 200, JSON.stringify(all.body));
      assert.deepEqual(
        all.body.items.map((m: Record<string, unknown>) => [
          m.componentName,
          m.evseId,
          m.variableName,
          m.monitorId,
          m.value,
          m.type,
          m.severity,
          m.transactionOnly,
          m.requestId,
        ]),
        [
          ['ChargingStation', 0, 'Temperature', 5, 80.5, 'Delta', 5, true, 3],
          ['EVSE', 1, 'Power', 4, 22_000, 'UpperThreshold', 2, false, 3],
        ],
      );
      const power = await csms.api('/api/v1/stations/REC-MONITORS/monitors?component=EVSE&variable=Power');
      assert.deepEqual(
        power.body.items.map((m: { monitorId: number }) => m.monitorId),
        [4],
      );
      const none = await csms.api('/api/v1/stations/REC-MONITORS/monitors?variable=Voltage');
      assert.deepEqual(none.body.items, []);
    });

    test('an unknown station is 404, a bad filter 400', async () => {
      const missing = await csms.api('/api/v1/stations/NOBODY/reports');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.code, 'STATION_NOT_FOUND');
      assert.equal((await csms.api('/api/v1/stations/NOBODY/monitors')).status, 404);
      await stations.booted('REC-BAD');
      const bad = await csms.api('/api/v1/stations/REC-BAD/reports?kind=diaries');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.code, 'VALIDATION_FAILED');
    });
  });
}
