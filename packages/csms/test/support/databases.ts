import { randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import { sql } from 'kysely';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';

export interface DatabaseTarget {
  name: 'pglite' | 'postgres';
  /** A fresh, migrated database; close() drops what it created. */
  open(): Promise<DatabaseHandle>;
}

/**
 * PGlite in memory always; PostgreSQL too when TEST_DATABASE_URL is set
 * (e.g. postgres://postgres@127.0.0.1:5432/test).
 */
export function databaseTargets(): DatabaseTarget[] {
  const targets: DatabaseTarget[] = [{ name: 'pglite', open: () => openDatabase({}) }];
  const url = process.env.TEST_DATABASE_URL;
  if (url) targets.push({ name: 'postgres', open: () => openPostgresSchema(url) });
  return targets;
}

/** A schema of its own per handle, so test files running in parallel share one database safely. */
async function openPostgresSchema(url: string): Promise<DatabaseHandle> {
  const schema = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const handle = await openDatabase({ url, schema });
  return {
    ...handle,
    close: async () => {
      await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(handle.db);
      await handle.close();
    },
  };
}

/**
 * Declares `body`'s tests once per database target, each target in its own describe with
 * one database for all its tests (so tests use distinct station identities).
 *
 * @example
 * forEachDatabase('station store', (handle) => {
 *   test('creates', async () => { const stores = createStores(handle().db); ... });
 * });
 */
export function forEachDatabase(title: string, body: (handle: () => DatabaseHandle) => void): void {
  for (const target of databaseTargets()) {
    describe(`${title} [${target.name}]`, () => {
      let opened: DatabaseHandle | undefined;
      before(async () => {
        opened = await target.open();
      });
      after(async () => {
        await opened?.close();
      });
      body(() => {
        if (!opened) throw new Error('database not open yet: use handle() inside a test');
        return opened;
      });
    });
  }
}
