import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStores } from '../../src/db/index.js';
import { forEachDatabase } from '../support/databases.js';

forEachDatabase('security, status and charging profile stores', (handle) => {
  const stores = () => createStores(handle().db);

  test('security events: a resend is a duplicate', async () => {
    await stores().stations.markConnected('EV-SEC', 'ocpp2.0.1');
    const event = {
      stationIdentity: 'EV-SEC',
      type: 'InvalidCsmsCertificate',
      timestamp: '2024-01-01T00:00:00Z',
      techInfo: 'x'.repeat(5000),
      critical: true,
    };
    assert.deepEqual(await stores().securityEvents.record(event), { duplicate: false });
    assert.deepEqual(await stores().securityEvents.record(event), { duplicate: true });
    await stores().securityEvents.record({
      ...event,
      type: 'StartupOfTheDevice',
      techInfo: undefined,
      critical: false,
    });
    const page = await stores().securityEvents.list('EV-SEC');
    assert.equal(page.total, 2);
    assert.equal((await stores().securityEvents.list('EV-SEC', { critical: true })).total, 1);
  });

  test('status events: a status repeated in a row is a duplicate; latest per kind', async () => {
    await stores().stations.markConnected('EV-STATUS', 'ocpp2.0.1');
    const base = { stationIdentity: 'EV-STATUS', kind: 'firmware' as const, requestId: 5 };
    for (const status of ['Downloading', 'Downloading', 'Downloaded', 'Installing', 'Installed']) {
      await stores().statusEvents.record({ ...base, status });
    }
    await stores().statusEvents.record({
      stationIdentity: 'EV-STATUS',
      kind: 'log',
      status: 'Uploading',
      requestId: 1,
    });
    const firmware = await stores().statusEvents.list('EV-STATUS', { kind: 'firmware' });
    assert.deepEqual(
      firmware.items.map((e) => e.status),
      ['Installed', 'Installing', 'Downloaded', 'Downloading'],
    );
    assert.equal((await stores().statusEvents.latest('EV-STATUS', 'log'))?.status, 'Uploading');
    assert.equal(await stores().statusEvents.latest('EV-STATUS', 'diagnostics'), undefined);
    assert.deepEqual(await stores().statusEvents.record({ ...base, status: 'Installed' }), {
      duplicate: true,
    });
    assert.deepEqual(await stores().statusEvents.record({ ...base, requestId: 6, status: 'Installed' }), {
      duplicate: false,
    });
  });

  test('charging profile reports: an identical resend is a duplicate', async () => {
    await stores().stations.markConnected('EV-CP', 'ocpp2.0.1');
    const report = {
      stationIdentity: 'EV-CP',
      kind: 'charging_limit' as const,
      limitSource: 'EMS',
      payload: { chargingLimit: { chargingLimitSource: 'EMS' }, chargingSchedule: [{ id: 1 }] },
    };
    assert.deepEqual(await stores().chargingProfiles.record(report), { duplicate: false });
    const reordered = {
      ...report,
      payload: { chargingSchedule: [{ id: 1 }], chargingLimit: { chargingLimitSource: 'EMS' } },
    };
    assert.deepEqual(await stores().chargingProfiles.record(reordered), { duplicate: true });
    await stores().chargingProfiles.record({
      stationIdentity: 'EV-CP',
      kind: 'reported_profiles',
      requestId: 3,
      evseId: 1,
      payload: [{ id: 9 }],
    });
    const page = await stores().chargingProfiles.list('EV-CP');
    assert.equal(page.total, 2);
    assert.deepEqual(page.items[0]?.payload, [{ id: 9 }]);
    assert.equal((await stores().chargingProfiles.list('EV-CP', { kind: 'charging_limit' })).total, 1);
  });
});
