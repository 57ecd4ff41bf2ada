import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import { DatabaseError } from './errors.js';
import { migrationProvider } from './migrations/index.js';
import { PGliteDialect } from './pglite-dialect.js';
import { PGliteThread } from './pglite-thread.js';
import type { Database } from './schema.js';
import { OID_INT8, OID_NUMERIC, parseInt8, parseNumeric } from './type-parsers.js';

export interface DatabaseLogger {
  info(o: object, msg?: string): void;
}

export interface DatabaseOptions {
  /** A PostgreSQL connection string; when given, PostgreSQL is used and `dataDir` is ignored. */
  url?: string;
  /** Where PGlite keeps its files; omitted = an in-memory database (tests). */
  dataDir?: string;
  /** A PostgreSQL schema to create and work in, instead of `public` (tests use one each). */
  schema?: string;
  logger?: DatabaseLogger;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: 'pglite' | 'postgres';
  /** Closes the pool or PGlite; waits for the query or transaction in progress. */
  close(): Promise<void>;
  /** Collects the garbage of PGlite's worker thread (with --expose-gc; for memory measurements). */
  collectGarbage?(): Promise<void>;
}

// Checked before it is spliced into SQL: schema names can't be bound parameters.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens PGlite (default) or PostgreSQL (when `url` is given) and brings the schema up to
 * date. Both run the same migrations.
 *
 * @example
 * const { db, close } = await openDatabase({ dataDir: './data/db' });
 * const stores = createStores(db);
 */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const { schema, logger } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new DatabaseError('DB_INVALID_OPTIONS', `invalid schema name ${JSON.stringify(schema)}`);
  }
  const handle = options.url
    ? openPostgres(options.url, schema, logger)
    : await openPGlite(options.dataDir, schema);
  try {
    await sql`SELECT 1`.execute(handle.db).catch((error: unknown) => {
      throw new DatabaseError('DB_CONNECTION_FAILED', `cannot reach the ${handle.kind} database`, {
        cause: error,
      });
    });
    if (schema) await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(handle.db);
    await migrate(handle.db, schema, logger);
  } catch (error) {
    await handle.close();
    throw error;
  }
  logger?.info(
    { kind: handle.kind, dataDir: handle.kind === 'pglite' ? options.dataDir : undefined, schema },
    'database ready',
  );
  return handle;
}

function openPostgres(url: string, schema: string | undefined, logger?: DatabaseLogger): DatabaseHandle {
  // Per-pool parsers, so this process's other pg users keep pg's defaults.
  const types = new pg.TypeOverrides();
  types.setTypeParser(OID_INT8, parseInt8);
  types.setTypeParser(OID_NUMERIC, parseNumeric);
  const pool = new pg.Pool({
    connectionString: url,
    types,
    // A startup parameter applies to every pooled connection before its first query.
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // Without a listener, a server-side drop of an idle connection would crash the process;
  // the pool replaces the connection on the next checkout.
  pool.on('error', (error) => logger?.info({ err: error }, 'idle database connection failed'));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

async function openPGlite(dataDir: string | undefined, schema: string | undefined): Promise<DatabaseHandle> {
  const unlock = dataDir ? await lockDataDir(dataDir) : async () => {};
  let pglite: PGliteThread;
  try {
    pglite = await PGliteThread.create(dataDir);
  } catch (error) {
    await unlock();
    throw error;
  }
  // One connection, so setting search_path once covers every later query (openDatabase
  // creates the schema; naming one that doesn't exist yet is allowed).
  if (schema) await pglite.exec(`SET search_path TO ${schema}`);
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    collectGarbage: () => pglite.collectGarbage(),
    close: async () => {
      try {
        await db.destroy();
        await pglite.close();
      } finally {
        await unlock();
      }
    },
  };
}

async function migrate(db: Kysely<Database>, schema: string | undefined, logger?: DatabaseLogger) {
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    // Kysely looks for its bookkeeping tables in every schema unless told which one.
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  let outcome = await migrator.migrateToLatest();
  // Kysely's introspection lists the tables of every schema; when another process drops a schema
  // meanwhile (parallel test runs sharing one database do), PostgreSQL answers 3F000 "schema does
  // not exist", or 42P01 "relation does not exist" for one of its tables (seen once in CI:
  // relation "t_8cfd42d8355c.variable_monitors", another test file's schema). On PostgreSQL Kysely
  // runs the migrations in one transaction, which the failure rolled back, so trying again is safe.
  for (let retry = 0; retry < 3 && droppedMeanwhile(outcome.error); retry++) {
    outcome = await migrator.migrateToLatest();
  }
  const { error, results } = outcome;
  for (const result of results ?? []) {
    logger?.info({ migration: result.migrationName, status: result.status }, 'database migration');
  }
  if (error) {
    throw new DatabaseError('DB_MIGRATION_FAILED', 'database migration failed', { cause: error });
  }
}

function droppedMeanwhile(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === '3F000' || code === '42P01';
}
