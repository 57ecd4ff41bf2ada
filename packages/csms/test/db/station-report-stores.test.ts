/**
 * The storage of migration 0003: variable monitors (NotifyMonitoringReport), station reports
 * (customer information, display messages, CSRs), the EV charging report kinds, case-insensitive
 * id token lookups, and the move of 1.6 CSRs out of security_events.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { createStores } from '../../src/db/index.js';
import { migrations } from '../../src/db/migrations/index.js';
import { forEachDatabase } from '../support/databases.js';

const MONITOR = { id: 7, transaction: false, value: 230.5, type: 'UpperThreshold', severity: 4 };

forEachDatabase('station report stores (migration 0003)', (handle) => {
  const stores = () => createStores(handle().db);

  test('variable monitors: keyed by component, variable and monitor id; a resend changes nothing', async () => {
    await stores().stations.markConnected('MON-1', 'ocpp2.0.1');
    const report = [
      {
        component: { name: 'EVSE', evse: { id: 1 } },
        variable: { name: 'AcVoltage' },
        variableMonitoring: [MONITOR, { ...MONITOR, id: 8, type: 'LowerThreshold', value: 200 }],
      },
      {
        component: { name: 'ChargingStation' },
        variable: { name: 'Power', instance: 'Max' },
        variableMonitoring: [MONITOR],
      },
    ];
    assert.equal(await stores().variableMonitors.upsertReport('MON-1', 3, report), 3);
    assert.equal(await stores().variableMonitors.upsertReport('MON-1', 3, report), 3);
    let rows = await stores().variableMonitors.list('MON-1');
    assert.equal(rows.length, 3);
    assert.deepEqual(
      rows.map((r) => [
        r.component_name,
        r.evse_id,
        r.variable_name,
        r.variable_instance,
        r.monitor_id,
        r.value,
      ]),
      [
        ['ChargingStation', 0, 'Power', 'Max', 7, 230.5],
        ['EVSE', 1, 'AcVoltage', '', 7, 230.5],
        ['EVSE', 1, 'AcVoltage', '', 8, 200],
      ],
    );
    // A later report of the same monitor updates it.
    await stores().variableMonitors.upsertReport('MON-1', 4, [
      { ...report[0]!, variableMonitoring: [{ ...MONITOR, value: 240, severity: 1, transaction: true }] },
    ]);
    rows = await stores().variableMonitors.list('MON-1', { variableName: 'AcVoltage' });
    const updated = rows.find((r) => r.monitor_id === 7);
    assert.deepEqual(
      [updated?.value, updated?.severity, updated?.transaction_only, updated?.request_id],
      [240, 1, true, 4],
    );
    assert.equal(await stores().variableMonitors.upsertReport('MON-1', 5, []), 0);
  });

  test('station reports: a part is stored once by (requestId, seqNo), or by content without seqNo', async () => {
    await stores().stations.markConnected('REP-1', 'ocpp2.0.1');
    const part = (seqNo: number, tbc: boolean) => ({
      stationIdentity: 'REP-1',
      kind: 'customer_information' as const,
      requestId: 11,
      seqNo,
      tbc,
      payload: { requestId: 11, seqNo, tbc, data: `part ${seqNo}`, generatedAt: '2026-01-01T00:00:00Z' },
    });
    assert.deepEqual(await stores().stationReports.record(part(1, false)), { duplicate: false });
    assert.deepEqual(await stores().stationReports.record(part(0, true)), { duplicate: false });
    assert.deepEqual(await stores().stationReports.record(part(0, true)), { duplicate: true });
    const display = { stationIdentity: 'REP-1', kind: 'display_messages' as const, requestId: 11 };
    const messages = { requestId: 11, messageInfo: [{ id: 1 }] };
    assert.deepEqual(await stores().stationReports.record({ ...display, payload: messages }), {
      duplicate: false,
    });
    assert.deepEqual(await stores().stationReports.record({ ...display, payload: messages }), {
      duplicate: true,
    });
    const csr = {
      stationIdentity: 'REP-1',
      kind: 'certificate_signing_request' as const,
      payload: { csr: 'A' },
    };
    assert.deepEqual(await stores().stationReports.record(csr), { duplicate: false });
    assert.deepEqual(await stores().stationReports.record(csr), { duplicate: true });
    assert.deepEqual(
      await stores().stationReports.record({ ...csr, payload: { csr: 'B' } }),
      { duplicate: false },
      'a new CSR is another row',
    );

    const customer = await stores().stationReports.list('REP-1', { kind: 'customer_information' });
    assert.deepEqual(
      customer.items.map((r) => [r.request_id, r.seq_no, r.tbc]),
      [
        [11, 0, true],
        [11, 1, false],
      ],
      'parts in order',
    );
    assert.equal((await stores().stationReports.list('REP-1')).total, 5);
    assert.equal((await stores().stationReports.list('REP-1', { requestId: 11 })).total, 3);
  });

  test('charging reports take the EV charging needs and schedule kinds', async () => {
    await stores().stations.markConnected('EVN-1', 'ocpp2.0.1');
    for (const kind of ['ev_charging_needs', 'ev_charging_schedule'] as const) {
      await stores().chargingProfiles.record({
        stationIdentity: 'EVN-1',
        kind,
        evseId: 1,
        payload: { kind },
      });
    }
    const kinds = (await stores().chargingProfiles.list('EVN-1')).items.map((r) => r.kind).sort();
    assert.deepEqual(kinds, ['ev_charging_needs', 'ev_charging_schedule']);
    await assert.rejects(
      sql`INSERT INTO charging_profile_reports (station_identity, kind, payload) VALUES ('EVN-1', 'bogus', '{}')`.execute(
        handle().db,
      ),
      'the CHECK constraint still holds',
    );
  });

  test('id tokens are found in any case; running transactions are counted in any case', async () => {
    await stores().idTokens.create({ idToken: 'AbCd-01', maxConcurrentTx: 2 });
    assert.equal((await stores().idTokens.getCaseInsensitive('abcd-01'))?.id_token, 'AbCd-01');
    assert.equal((await stores().idTokens.getCaseInsensitive('ABCD-01', 'ISO14443'))?.id_token, 'AbCd-01');
    assert.equal(await stores().idTokens.getCaseInsensitive('abcd-01', 'eMAID'), undefined);
    assert.equal(await stores().idTokens.get('abcd-01'), undefined, 'get stays exact');
    await stores().idTokens.create({ idToken: 'abcd-01' });
    assert.equal((await stores().idTokens.getCaseInsensitive('abcd-01'))?.id_token, 'abcd-01', 'exact wins');

    await stores().stations.markConnected('CASE-1', 'ocpp1.6');
    const start = (connectorId: number, idTag: string) =>
      stores().transactions.startTransaction16('CASE-1', {
        connectorId,
        idTag,
        meterStart: 0,
        timestamp: new Date(Date.UTC(2026, 0, 1, 0, connectorId)),
      });
    const first = await start(1, 'AbCd-01');
    const second = await start(2, 'ABCD-01');
    assert.equal(await stores().idTokens.countActiveTransactions('abcd-01'), 2);
    assert.equal(
      await stores().idTokens.countActiveTransactions('abcd-01', { fromTransactionId: second.transactionId }),
      1,
    );
    assert.equal(
      await stores().idTokens.countActiveTransactions('abcd-01', { fromTransactionId: first.transactionId }),
      2,
    );
  });

  test('0003 moves the CSRs 1.6 kept as security events into station reports, and down moves them back', async () => {
    const { db } = handle();
    const migration = migrations['0003-station-reports']!;
    await stores().stations.markConnected('CSR-MOVE', 'ocpp1.6');
    const kept = { stationIdentity: 'CSR-MOVE', kind: 'certificate_signing_request' as const };
    await stores().stationReports.record({ ...kept, payload: { csr: 'KEPT' } });
    await migration.down!(db);
    const csrEvents = async () =>
      (await stores().securityEvents.list('CSR-MOVE')).items.map((e) => [e.type, e.tech_info]);
    assert.deepEqual(await csrEvents(), [['SignCertificateRequest', 'KEPT']]);

    const csr = '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----';
    await stores().securityEvents.record({
      stationIdentity: 'CSR-MOVE',
      type: 'SignCertificateRequest',
      timestamp: '2026-01-01T00:00:00Z',
      techInfo: csr,
    });
    await stores().securityEvents.record({
      stationIdentity: 'CSR-MOVE',
      type: 'StartupOfTheDevice',
      timestamp: '2026-01-01T00:00:00Z',
    });
    await migration.up(db);
    const reports = await stores().stationReports.list('CSR-MOVE');
    assert.deepEqual(
      reports.items.map((r) => r.payload).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      [{ csr }, { csr: 'KEPT' }],
    );
    assert.deepEqual(await csrEvents(), [['StartupOfTheDevice', null]]);
  });
});
