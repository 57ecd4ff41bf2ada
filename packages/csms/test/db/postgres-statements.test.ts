/**
 * Marked statements run as named prepared statements on PostgreSQL (src/db/postgres-statements.ts),
 * on a real server (TEST_DATABASE_URL; skipped without): prepared once per connection and reused,
 * unmarked ones never prepared, the same rows either way, and a prepared statement whose result
 * columns a migration changed is run unnamed rather than failing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.js';
import { createStores } from '../../src/db/index.js';
import { prepared } from '../../src/db/postgres-statements.js';
import { databaseTargets } from '../support/databases.js';

const postgres = databaseTargets().find((target) => target.name === 'postgres');

/** Runs `run` on one connection of the pool: what it returned, and the statements it prepared there. */
async function onOneConnection<T>(
  db: Kysely<unknown>,
  run: (connection: Kysely<unknown>) => Promise<T>,
): Promise<{ result: T; statements: string[] }> {
  return db.connection().execute(async (connection) => {
    const list = async () => {
      const { rows } = await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(
        connection,
      );
      return rows.map((row) => row.statement);
    };
    const before = new Set(await list());
    const result = await run(connection);
    return { result, statements: (await list()).filter((text) => !before.has(text)) };
  });
}

describe('prepared statements on PostgreSQL', {
  skip: postgres ? false : 'TEST_DATABASE_URL is not set',
}, () => {
  let handle: DatabaseHandle;
  before(async () => {
    handle = await postgres!.open();
  });
  after(() => handle?.close());
  const db = () => handle.db as unknown as Kysely<unknown>;

  test('a marked statement is prepared once per connection and answers as an unmarked one', async () => {
    const ids = ['A', 'B', 'C'];
    const { result, statements } = await onOneConnection(db(), async (connection) => {
      const runs = [];
      for (let i = 0; i < 3; i++) {
        runs.push(
          await sql<{ id: string; n: number }>`SELECT id, ordinality::int AS n
            FROM unnest(${ids}::text[]) WITH ORDINALITY AS t (id) WHERE id <> ${'B'} ${prepared}`.execute(
            connection,
          ),
        );
      }
      const plain = await sql<{ id: string; n: number }>`SELECT id, ordinality::int AS n
        FROM unnest(${ids}::text[]) WITH ORDINALITY AS t (id) WHERE id <> ${'B'}`.execute(connection);
      return { runs, plain };
    });
    for (const run of result.runs) assert.deepEqual(run.rows, result.plain.rows);
    assert.deepEqual(result.plain.rows, [
      { id: 'A', n: 1 },
      { id: 'C', n: 3 },
    ]);
    // One prepared statement for three runs, and none for the unmarked one.
    const marked = statements.filter((text) => text.includes('WITH ORDINALITY AS t (id)'));
    assert.equal(marked.length, 1);
    assert.ok(marked[0]!.endsWith('/* prepared */'));
  });

  test("the stores' batch statements are prepared; a Kysely query is not", async () => {
    const stores = createStores(handle.db);
    await stores.stations.markConnectedMany([{ identity: 'PREP-1', protocol: 'ocpp1.6', at: new Date() }]);
    const { statements } = await onOneConnection(db(), async (connection) => {
      const onConnection = createStores(connection as unknown as DatabaseHandle['db']);
      await onConnection.stations.getCredentialsMany(['PREP-1', 'PREP-2']);
      await onConnection.stations.touchMany([{ identity: 'PREP-1', at: new Date() }]);
      await onConnection.stations.get('PREP-1');
    });
    assert.ok(statements.some((text) => text.includes('FROM stations WHERE identity = ANY')));
    assert.ok(statements.some((text) => text.startsWith('UPDATE stations SET last_contact_at')));
    assert.equal(statements.length, 2, statements.join('\n---\n'));
  });

  test('a prepared statement whose result columns changed runs unnamed from then on', async () => {
    await sql`CREATE TABLE prepared_shape (id int)`.execute(db());
    await sql`INSERT INTO prepared_shape VALUES (1)`.execute(db());
    const { result } = await onOneConnection(db(), async (connection) => {
      const select = () =>
        sql<Record<string, unknown>>`SELECT * FROM prepared_shape ${prepared}`.execute(connection);
      const before = await select();
      await sql`ALTER TABLE prepared_shape ADD COLUMN label text DEFAULT 'x'`.execute(connection);
      // PostgreSQL refuses the prepared one ("cached plan must not change result type"): run unnamed.
      const changed = await select();
      const again = await select();
      return { before: before.rows, changed: changed.rows, again: again.rows };
    });
    assert.deepEqual(result.before, [{ id: 1 }]);
    assert.deepEqual(result.changed, [{ id: 1, label: 'x' }]);
    assert.deepEqual(result.again, [{ id: 1, label: 'x' }]);
  });
});
