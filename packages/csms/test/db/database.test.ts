import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isAbortedTransactionError, sql } from 'kysely';
import { openDatabase } from '../../src/db/database.js';
import { DatabaseError } from '../../src/db/errors.js';
import { createStores } from '../../src/db/index.js';
import { migrations } from '../../src/db/migrations/index.js';
import { forEachDatabase } from '../support/databases.js';

const EXPECTED_TABLES = [
  'charging_profile_reports',
  'configuration_keys',
  'connector_status',
  'connector_status_history',
  'device_model_variables',
  'id_tokens',
  'message_log',
  'meter_values',
  'reservations',
  'security_events',
  'station_reports',
  'station_status_events',
  'stations',
  'transaction_events',
  'transactions',
  'variable_monitors',
];

forEachDatabase('openDatabase', (handle) => {
  test('applies every migration and creates the tables', async () => {
    const { db } = handle();
    const tables = await db.introspection.getTables();
    const names = tables.map((t) => t.name).sort();
    for (const table of EXPECTED_TABLES) assert.ok(names.includes(table), `missing table ${table}`);
    const applied = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
    assert.deepEqual(
      applied.rows.map((r) => r.name),
      Object.keys(migrations).sort(),
    );
  });

  test('parses int8 and numeric as numbers', async () => {
    const { db } = handle();
    const row = await sql<{ big: number; exact: number; count: number }>`
      SELECT 9007199254740991::int8 AS big, 12.5::numeric AS exact, count(*) AS count FROM (VALUES (1), (2)) v
    `.execute(db);
    assert.deepEqual(row.rows[0], { big: 9007199254740991, exact: 12.5, count: 2 });
  });

  test('refuses an int8 a JS number cannot hold', async () => {
    const { db } = handle();
    await assert.rejects(sql`SELECT 9007199254740993::int8 AS big`.execute(db), (error: unknown) => {
      const found = error instanceof DatabaseError ? error : (error as { cause?: unknown }).cause;
      return found instanceof DatabaseError && found.code === 'DB_UNSAFE_INTEGER';
    });
  });

  test('a transaction that throws rolls back', async () => {
    const { db } = handle();
    const stations = createStores(db).stations;
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await createStores(trx).stations.create({ identity: 'ROLLBACK-1' });
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await stations.get('ROLLBACK-1'), undefined);
    // The connection is usable afterwards.
    assert.ok(await stations.create({ identity: 'ROLLBACK-2' }));
  });

  test('a failed statement inside a transaction rolls the whole transaction back', async () => {
    const { db } = handle();
    const stores = createStores(db);
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await createStores(trx).stations.create({ identity: 'ROLLBACK-3' });
        await sql`SELECT 1 / 0`.execute(trx);
      }),
    );
    assert.equal(await stores.stations.get('ROLLBACK-3'), undefined);
  });

  test('committing after a caught statement error fails loudly instead of rolling back silently', async () => {
    const { db } = handle();
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await createStores(trx).stations.create({ identity: 'ROLLBACK-4' });
        await sql`SELECT 1 / 0`.execute(trx).catch(() => undefined);
      }),
      isAbortedTransactionError,
    );
    assert.equal(await createStores(db).stations.get('ROLLBACK-4'), undefined);
  });

  test('concurrent transactions do not interleave', async () => {
    const { db } = handle();
    await createStores(db).stations.create({ identity: 'COUNTER' });
    // Read, yield to the event loop, write: interleaved transactions would lose increments.
    // (FOR UPDATE makes PostgreSQL serialize them; PGlite relies on the dialect's mutex.)
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction().execute(async (trx) => {
          const row = await trx
            .selectFrom('stations')
            .select('iccid')
            .where('identity', '=', 'COUNTER')
            .forUpdate()
            .executeTakeFirstOrThrow();
          await new Promise((resolve) => setTimeout(resolve, 1));
          await trx
            .updateTable('stations')
            .set({ iccid: String(Number(row.iccid ?? 0) + 1) })
            .where('identity', '=', 'COUNTER')
            .execute();
        }),
      ),
    );
    const row = await db
      .selectFrom('stations')
      .select('iccid')
      .where('identity', '=', 'COUNTER')
      .executeTakeFirst();
    assert.equal(row?.iccid, '20');
  });

  test('savepoints roll back part of a transaction', async () => {
    const { db } = handle();
    const trx = await db.startTransaction().execute();
    await createStores(trx).stations.create({ identity: 'SAVEPOINT-KEPT' });
    const withSavepoint = await trx.savepoint('attempt').execute();
    await createStores(withSavepoint).stations.create({ identity: 'SAVEPOINT-UNDONE' });
    await withSavepoint.rollbackToSavepoint('attempt').execute();
    await trx.commit().execute();
    const stations = createStores(db).stations;
    assert.ok(await stations.get('SAVEPOINT-KEPT'));
    assert.equal(await stations.get('SAVEPOINT-UNDONE'), undefined);
  });
});

describe('PGlite in its worker thread', () => {
  test('prepares a statement run twice, planned for its parameters each run', async () => {
    const { db, close } = await openDatabase({});
    try {
      const mode = await sql<{ plan_cache_mode: string }>`SHOW plan_cache_mode`.execute(db);
      assert.deepEqual(mode.rows, [{ plan_cache_mode: 'force_custom_plan' }]);
      const stations = createStores(db).stations;
      await stations.create({ identity: 'PREPARED-1' });
      for (let run = 0; run < 3; run++)
        assert.equal((await stations.get('PREPARED-1'))?.identity, 'PREPARED-1');
      const prepared = await sql<{ statement: string }>`
        SELECT statement FROM pg_prepared_statements WHERE NOT from_sql`.execute(db);
      assert.ok(
        prepared.rows.some(
          (row) => row.statement.startsWith('select') && row.statement.includes('"stations"'),
        ),
        `the station lookup is prepared: ${JSON.stringify(prepared.rows)}`,
      );
    } finally {
      await close();
    }
  });
});

describe('openDatabase with a PGlite data directory', () => {
  let dataDir: string;
  after(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('keeps data across close and reopen, and migrating again changes nothing', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'csms-db-'));
    const logged: object[] = [];
    const logger = { info: (o: object) => logged.push(o) };
    const first = await openDatabase({ dataDir, logger });
    assert.equal(first.kind, 'pglite');
    await createStores(first.db).stations.create({ identity: 'PERSISTED' });
    await first.close();
    assert.ok(
      logged.some((o) => 'migration' in o),
      'first open applies migrations',
    );

    logged.length = 0;
    const second = await openDatabase({ dataDir, logger });
    try {
      assert.ok(await createStores(second.db).stations.get('PERSISTED'));
      assert.ok(!logged.some((o) => 'migration' in o), 'second open applies none');
    } finally {
      await second.close();
    }
  });

  test("refuses a data directory another open handle holds; takes over a dead process's lock", async () => {
    const lockedDir = await mkdtemp(join(tmpdir(), 'csms-lock-'));
    try {
      const holder = await openDatabase({ dataDir: lockedDir });
      await assert.rejects(openDatabase({ dataDir: lockedDir }), { code: 'DB_DATA_DIR_LOCKED' });
      await holder.close();

      const exited = spawnSync(process.execPath, ['-e', '']);
      await writeFile(join(lockedDir, 'csms.lock'), String(exited.pid));
      const reopened = await openDatabase({ dataDir: lockedDir });
      await reopened.close();
    } finally {
      await rm(lockedDir, { recursive: true, force: true });
    }
  });

  test('works in a schema of its own', async () => {
    const handle = await openDatabase({ schema: 'tenant_a' });
    try {
      const tables = await handle.db.introspection.getTables();
      assert.ok(tables.some((t) => t.schema === 'tenant_a' && t.name === 'stations'));
      assert.ok(!tables.some((t) => t.schema === 'public' && t.name === 'stations'));
    } finally {
      await handle.close();
    }
  });

  test('reports an unreachable PostgreSQL as a connection failure', async () => {
    await assert.rejects(openDatabase({ url: 'postgres://postgres@127.0.0.1:1/none' }), {
      code: 'DB_CONNECTION_FAILED',
    });
  });

  test('refuses a schema name that is not a plain identifier', async () => {
    await assert.rejects(openDatabase({ schema: 'x; DROP TABLE y' }), { code: 'DB_INVALID_OPTIONS' });
  });
});

const url = process.env.TEST_DATABASE_URL;
describe('openDatabase with PostgreSQL', { skip: !url && 'TEST_DATABASE_URL is not set' }, () => {
  test('opening the same schema twice migrates once and keeps data', async () => {
    const schema = `test_reopen_${process.pid}`;
    const first = await openDatabase({ url: url!, schema });
    try {
      assert.equal(first.kind, 'postgres');
      await createStores(first.db).stations.create({ identity: 'PG-PERSISTED' });
      const second = await openDatabase({ url: url!, schema });
      try {
        assert.ok(await createStores(second.db).stations.get('PG-PERSISTED'));
      } finally {
        await second.close();
      }
    } finally {
      await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(first.db);
      await first.close();
    }
  });
});
