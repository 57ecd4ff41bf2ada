import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { createStores } from '../../src/db/index.js';
import { forEachDatabase } from '../support/databases.js';

const boot = {
  registrationStatus: 'Accepted' as const,
  vendor: 'Acme',
  model: 'Wallbox 22',
  serialNumber: 'SN-1',
  firmwareVersion: '1.2.3',
  bootReason: 'PowerUp',
  payload: { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'Wallbox 22' } },
};

forEachDatabase('station store', (handle) => {
  const stations = () => createStores(handle().db).stations;

  test('create refuses an existing identity and never exposes password hashes', async () => {
    const created = await stations().create({
      identity: 'ST-CREATE',
      securityProfile: 1,
      password: { hash: 'h1', salt: 's1' },
    });
    assert.equal(created?.identity, 'ST-CREATE');
    assert.equal(created?.security_profile, 1);
    assert.equal(created?.connected, false);
    assert.ok(!('password_hash' in (created ?? {})));
    assert.equal(await stations().create({ identity: 'ST-CREATE' }), undefined);
    const view = await stations().get('ST-CREATE');
    assert.ok(view && !('password_hash' in view));
  });

  test('markConnected creates on first contact; a late close of an old socket is ignored', async () => {
    const firstAt = await stations().markConnected('ST-CONN', 'ocpp2.0.1', new Date('2024-01-01T00:00:00Z'));
    let station = await stations().get('ST-CONN');
    assert.equal(station?.connected, true);
    assert.equal(station?.protocol, 'ocpp2.0.1');
    const secondAt = await stations().markConnected('ST-CONN', 'ocpp2.0.1', new Date('2024-01-01T00:01:00Z'));
    assert.equal(await stations().markDisconnected('ST-CONN', firstAt), false, 'old connection closes late');
    assert.equal((await stations().get('ST-CONN'))?.connected, true);
    assert.equal(await stations().markDisconnected('ST-CONN', secondAt), true);
    station = await stations().get('ST-CONN');
    assert.equal(station?.connected, false);
    assert.ok(station?.disconnected_at instanceof Date);
  });

  test('markAllDisconnected resets every connected station', async () => {
    await stations().markConnected('ST-ALL-1', 'ocpp1.6');
    await stations().markConnected('ST-ALL-2', 'ocpp1.6');
    assert.ok((await stations().markAllDisconnected()) >= 2);
    assert.equal((await stations().get('ST-ALL-1'))?.connected, false);
  });

  test('recordBoot stores boot data and registration status, twice safely', async () => {
    await stations().markConnected('ST-BOOT', 'ocpp2.0.1');
    await stations().recordBoot('ST-BOOT', boot);
    await stations().recordBoot('ST-BOOT', boot);
    const station = await stations().get('ST-BOOT');
    assert.equal(station?.registration_status, 'Accepted');
    assert.equal(station?.vendor, 'Acme');
    assert.equal(station?.boot_reason, 'PowerUp');
    assert.deepEqual(station?.boot_payload, boot.payload);
    await stations().setRegistrationStatus('ST-BOOT', 'Pending');
    await stations().markConnected('ST-BOOT', 'ocpp2.0.1');
    assert.equal((await stations().get('ST-BOOT'))?.registration_status, 'Pending', 'survives reconnects');
  });

  test('touch updates last contact only', async () => {
    await stations().markConnected('ST-TOUCH', 'ocpp1.6', new Date('2024-01-01T00:00:00Z'));
    const before = await stations().get('ST-TOUCH');
    await stations().touch('ST-TOUCH', new Date('2024-01-01T00:05:00Z'));
    const after = await stations().get('ST-TOUCH');
    assert.deepEqual(after?.last_contact_at, new Date('2024-01-01T00:05:00Z'));
    assert.deepEqual(after?.updated_at, before?.updated_at);
  });

  test('password change keeps the previous password until confirmed, and retries are harmless', async () => {
    await stations().create({ identity: 'ST-PW', password: { hash: 'old', salt: 'old-salt' } });
    assert.equal(await stations().setPassword('ST-PW', { hash: 'new', salt: 'new-salt' }), true);
    assert.equal(await stations().setPassword('ST-PW', { hash: 'new', salt: 'new-salt' }), true);
    let credentials = await stations().getCredentials('ST-PW');
    assert.deepEqual(credentials, {
      passwordHash: 'new',
      passwordSalt: 'new-salt',
      previousPasswordHash: 'old',
      previousPasswordSalt: 'old-salt',
      securityProfile: 0,
    });
    await stations().clearPreviousPassword('ST-PW');
    credentials = await stations().getCredentials('ST-PW');
    assert.equal(credentials?.previousPasswordHash, null);
    assert.equal(credentials?.passwordHash, 'new');

    await stations().setPassword('ST-PW', { hash: 'refused', salt: 'x' });
    await stations().revertPasswordChange('ST-PW');
    credentials = await stations().getCredentials('ST-PW');
    assert.equal(credentials?.passwordHash, 'new');
    assert.equal(credentials?.previousPasswordHash, null);
    assert.equal(await stations().setPassword('NO-SUCH-STATION', { hash: 'a', salt: 'b' }), false);
    assert.equal(await stations().getCredentials('NO-SUCH-STATION'), undefined);
  });

  test('setSecurityProfile', async () => {
    await stations().create({ identity: 'ST-SP' });
    assert.equal(await stations().setSecurityProfile('ST-SP', 2), true);
    assert.equal((await stations().getCredentials('ST-SP'))?.securityProfile, 2);
  });

  test('list pages in identity order and filters by search and connection', async () => {
    for (const n of [3, 1, 2, 4]) await stations().create({ identity: `LIST-${n}` });
    await stations().markConnected('LIST-2', 'ocpp1.6');
    await stations().recordBoot('LIST-4', { ...boot, vendor: 'Special_Vendor%' });
    const page = await stations().list({ search: 'list-', limit: 2, offset: 1 });
    assert.equal(page.total, 4);
    assert.deepEqual(
      page.items.map((s) => s.identity),
      ['LIST-2', 'LIST-3'],
    );
    assert.deepEqual(
      (await stations().list({ search: 'LIST-', connected: true })).items.map((s) => s.identity),
      ['LIST-2'],
    );
    const byVendor = await stations().list({ search: 'l_vendor%' });
    assert.deepEqual(
      byVendor.items.map((s) => s.identity),
      ['LIST-4'],
      'LIKE wildcards are literal',
    );
    assert.equal((await stations().list({ search: 'cial_v' })).total, 1);
    assert.equal((await stations().list({ search: 'ci%_v' })).total, 0);
  });

  test('delete removes the station and what was recorded for it', async () => {
    const stores = createStores(handle().db);
    await stores.stations.markConnected('ST-DEL', 'ocpp1.6');
    const { transactionId } = await stores.transactions.startTransaction16('ST-DEL', {
      connectorId: 1,
      idTag: 'X',
      meterStart: 0,
      timestamp: new Date(),
    });
    // A sample of the transaction, and one of no transaction.
    await stores.meterValues.insertMany([
      { stationIdentity: 'ST-DEL', transactionId, connectorId: 1, timestamp: new Date(), value: 10 },
      { stationIdentity: 'ST-DEL', connectorId: 0, timestamp: new Date(), value: 20 },
    ]);
    assert.equal((await stores.meterValues.listForStation('ST-DEL')).total, 2);
    await stores.messageLog.appendMany([
      { stationIdentity: 'ST-DEL', direction: 'in', messageType: 'CALL', action: 'Heartbeat', payload: {} },
    ]);
    await stores.connectorStatus.recordMany([
      { stationIdentity: 'ST-DEL', connectorId: 1, status: 'Available', timestamp: new Date() },
    ]);
    assert.equal(await stores.stations.delete('ST-DEL'), true);
    assert.equal(await stores.stations.delete('ST-DEL'), false);
    assert.equal((await stores.transactions.list({ stationIdentity: 'ST-DEL' })).total, 0);
    // The message log, connector status and meter values have no foreign keys to stations
    // (migrations 0004, 0005, 0010): delete() removes them itself.
    assert.deepEqual(await stores.messageLog.listRecent('ST-DEL'), []);
    assert.equal((await stores.meterValues.listForStation('ST-DEL')).total, 0);
    assert.deepEqual(await stores.connectorStatus.listCurrent('ST-DEL'), []);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM connector_status_history
      WHERE station_identity = 'ST-DEL'`.execute(handle().db);
    assert.equal(rows[0]?.n, 0);
  });
});
