/**
 * Nothing acknowledged is lost: stations send transaction messages under load, the CSMS is killed
 * with SIGKILL, restarted, and every message that had been answered must be in the database exactly
 * once — also after the stations resend the last messages they had sent (retries are normal).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { type ClientConnection, connect } from 'ocppkit';
import * as v16 from 'ocppkit/v16';
import * as v201 from 'ocppkit/v201';
import pg from 'pg';
import { openDatabase } from '../src/db/index.js';
import { databaseKinds } from './support/csms.js';
import { startCsmsProcess } from './support/csms-process.js';

const STATIONS_PER_VERSION = 10;
const LOAD_MS = 2500;

/** What the CSMS acknowledged, and the last request of each station (to resend after the restart). */
interface Ledger {
  starts16: Array<{ identity: string; transactionId: number; meterStart: number; timestamp: string }>;
  stops16: Array<{ identity: string; transactionId: number; meterStop: number }>;
  meterValues: Array<{ identity: string; timestamp: string }>;
  events201: Array<{ identity: string; transactionId: string; seqNo: number }>;
  lastRequests: Array<{
    identity: string;
    protocol: 'ocpp1.6' | 'ocpp2.0.1';
    action: string;
    payload: object;
  }>;
}

let clock = Date.parse('2026-01-01T00:00:00Z');
/** Unique, increasing timestamps: each message is distinguishable in the database. */
function nextTimestamp(): string {
  clock += 1000;
  return new Date(clock).toISOString();
}

async function bootStation(url: string, identity: string, protocol: 'ocpp1.6' | 'ocpp2.0.1') {
  const transport = await connect({ url, identity, protocols: [protocol], reconnect: false });
  if (protocol === 'ocpp1.6') {
    const cp = new v16.ChargePoint(transport, { callTimeoutMs: 5000 });
    await cp.call('BootNotification', { chargePointVendor: 'Crash', chargePointModel: 'Test' });
    return { transport, cp16: cp };
  }
  const cp = new v201.ChargePoint(transport, { callTimeoutMs: 5000 });
  await cp.call('BootNotification', {
    reason: 'PowerUp',
    chargingStation: { vendorName: 'Crash', model: 'Test' },
  });
  return { transport, cp201: cp };
}

/** Runs 1.6 transactions in a loop until the connection dies, writing down every answer. */
async function drive16(cp: v16.ChargePoint, identity: string, ledger: Ledger): Promise<void> {
  for (let round = 0; ; round++) {
    const meterStart = round * 10_000;
    const start = { connectorId: 1, idTag: 'CRASHTAG', meterStart, timestamp: nextTimestamp() };
    ledger.lastRequests.push({ identity, protocol: 'ocpp1.6', action: 'StartTransaction', payload: start });
    const { transactionId } = await cp.call('StartTransaction', start);
    ledger.starts16.push({ identity, transactionId, meterStart, timestamp: start.timestamp });
    for (let i = 1; i <= 3; i++) {
      const timestamp = nextTimestamp();
      const payload = {
        connectorId: 1,
        transactionId,
        meterValue: [
          { timestamp, sampledValue: [{ value: String(meterStart + i * 100), unit: 'Wh' as const }] },
        ],
      };
      ledger.lastRequests.push({ identity, protocol: 'ocpp1.6', action: 'MeterValues', payload });
      await cp.call('MeterValues', payload);
      ledger.meterValues.push({ identity, timestamp });
    }
    const stop = { transactionId, meterStop: meterStart + 500, timestamp: nextTimestamp() };
    ledger.lastRequests.push({ identity, protocol: 'ocpp1.6', action: 'StopTransaction', payload: stop });
    await cp.call('StopTransaction', stop);
    ledger.stops16.push({ identity, transactionId, meterStop: stop.meterStop });
  }
}

/** Runs 2.0.1 transactions (Started, Updated ×3, Ended) in a loop until the connection dies. */
async function drive201(cp: v201.ChargePoint, identity: string, ledger: Ledger): Promise<void> {
  for (let round = 0; ; round++) {
    const transactionId = `${identity}-${round}`;
    const types = ['Started', 'Updated', 'Updated', 'Updated', 'Ended'] as const;
    for (const [seqNo, eventType] of types.entries()) {
      const timestamp = nextTimestamp();
      const payload: v201.TransactionEventRequest = {
        eventType,
        timestamp,
        seqNo,
        triggerReason:
          eventType === 'Started'
            ? 'Authorized'
            : eventType === 'Ended'
              ? 'StopAuthorized'
              : 'MeterValuePeriodic',
        transactionInfo: { transactionId, ...(eventType === 'Ended' && { stoppedReason: 'Local' as const }) },
        evse: { id: 1, connectorId: 1 },
        meterValue: [{ timestamp, sampledValue: [{ value: round * 10_000 + seqNo * 100 }] }],
        ...(eventType === 'Started' && { idToken: { idToken: 'CRASHTAG', type: 'ISO14443' as const } }),
      };
      ledger.lastRequests.push({ identity, protocol: 'ocpp2.0.1', action: 'TransactionEvent', payload });
      await cp.call('TransactionEvent', payload);
      ledger.events201.push({ identity, transactionId, seqNo });
      ledger.meterValues.push({ identity, timestamp });
    }
  }
}

async function runLoadAndKill(args: string[], env: NodeJS.ProcessEnv, ledger: Ledger): Promise<void> {
  const csms = await startCsmsProcess(args, env);
  const stations = await Promise.all(
    Array.from({ length: STATIONS_PER_VERSION * 2 }, (_, i) =>
      bootStation(csms.ocppUrl, `CRASH${String(i).padStart(3, '0')}`, i % 2 ? 'ocpp2.0.1' : 'ocpp1.6'),
    ),
  );
  const loops = stations.map((s, i) => {
    const identity = `CRASH${String(i).padStart(3, '0')}`;
    const run = s.cp16 ? drive16(s.cp16, identity, ledger) : drive201(s.cp201!, identity, ledger);
    return run.catch(() => {}); // the connection dies with the server
  });
  await new Promise((resolve) => setTimeout(resolve, LOAD_MS));
  csms.child.kill('SIGKILL');
  const exit = await csms.exited;
  assert.equal(exit.signal, 'SIGKILL');
  await Promise.all(loops);
  await Promise.all(stations.map((s) => (s.transport as ClientConnection).close()));
}

/** After the restart, every station sends its last request again, as a station that missed the answer would. */
async function restartAndResend(args: string[], env: NodeJS.ProcessEnv, ledger: Ledger): Promise<void> {
  const csms = await startCsmsProcess(args, env);
  const last = new Map(ledger.lastRequests.map((r) => [r.identity, r]));
  for (const request of last.values()) {
    const s = await bootStation(csms.ocppUrl, request.identity, request.protocol);
    const cp = (s.cp16 ?? s.cp201) as unknown as { call(a: string, p: object): Promise<unknown> };
    await cp.call(request.action, request.payload);
    await s.transport.close();
  }
  csms.child.kill('SIGTERM');
  const exit = await csms.exited;
  assert.equal(exit.code, 0, `graceful stop failed:\n${csms.output()}`);
}

for (const kind of databaseKinds()) {
  describe(`crash recovery (${kind})`, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'csms-crash-'));
    const dbName = `crash_${randomBytes(4).toString('hex')}`;
    const baseUrl = process.env.TEST_DATABASE_URL;
    const databaseUrl = baseUrl ? baseUrl.replace(/\/[^/]*$/, `/${dbName}`) : undefined;
    const args = ['--host', '127.0.0.1', '--ocpp-port', '0', '--api-port', '0', '--api-token', 'crash-test'];
    const env: NodeJS.ProcessEnv = { CSMS_LOG_LEVEL: 'warn' };
    if (kind === 'pglite') args.push('--data-dir', dataDir);
    else env.DATABASE_URL = databaseUrl;

    after(async () => {
      rmSync(dataDir, { recursive: true, force: true });
      if (kind === 'postgres') await adminQuery(`DROP DATABASE IF EXISTS ${dbName}`);
    });

    test('every answered transaction message survives SIGKILL exactly once', {
      timeout: 120_000,
    }, async () => {
      if (kind === 'postgres') await adminQuery(`CREATE DATABASE ${dbName}`);
      const ledger: Ledger = { starts16: [], stops16: [], meterValues: [], events201: [], lastRequests: [] };
      await runLoadAndKill(args, env, ledger);
      assert.ok(
        ledger.starts16.length > 0 && ledger.events201.length > 0,
        'the load produced answered messages',
      );
      await restartAndResend(args, env, ledger);

      const handle = await openDatabase(kind === 'pglite' ? { dataDir } : { url: databaseUrl });
      try {
        const db = handle.db;
        for (const start of ledger.starts16) {
          const rows = await db
            .selectFrom('transactions')
            .select(['id'])
            .where('station_identity', '=', start.identity)
            .where('started_at', '=', new Date(start.timestamp))
            .execute();
          assert.deepEqual(
            rows.map((r) => Number(r.id)),
            [start.transactionId],
            `StartTransaction ${start.timestamp}`,
          );
        }
        for (const stop of ledger.stops16) {
          const row = await db
            .selectFrom('transactions')
            .select(['status', 'meter_stop'])
            .where('id', '=', stop.transactionId)
            .executeTakeFirstOrThrow();
          assert.equal(row.status, 'Ended');
          assert.equal(Number(row.meter_stop), stop.meterStop);
        }
        for (const event of ledger.events201) {
          const { count } = await db
            .selectFrom('transaction_events')
            .select(sql<string>`count(*)`.as('count'))
            .where('station_identity', '=', event.identity)
            .where('station_transaction_id', '=', event.transactionId)
            .where('seq_no', '=', event.seqNo)
            .executeTakeFirstOrThrow();
          assert.equal(Number(count), 1, `TransactionEvent ${event.transactionId}#${event.seqNo}`);
        }
        for (const sample of ledger.meterValues) {
          const { count } = await db
            .selectFrom('meter_values')
            .select(sql<string>`count(*)`.as('count'))
            .where('station_identity', '=', sample.identity)
            .where('sampled_at', '=', new Date(sample.timestamp))
            .executeTakeFirstOrThrow();
          assert.equal(Number(count), 1, `meter value ${sample.identity} ${sample.timestamp}`);
        }
      } finally {
        await handle.close();
      }
    });
  });
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
