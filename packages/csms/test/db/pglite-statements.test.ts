/**
 * The PGlite statement cache (src/db/pglite-statements.ts) against a real PGlite in this thread:
 * what a prepared statement returns and throws must be what `PGlite.query` returns and throws.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { StatementCache } from '../../src/db/pglite-statements.js';
import { OID_INT8, OID_NUMERIC, parseInt8, parseNumeric } from '../../src/db/type-parsers.js';

const OBJECTS = { rowMode: 'object' } as const;

describe('PGlite statement cache', () => {
  let pglite: PGlite;

  before(async () => {
    pglite = await PGlite.create({ parsers: { [OID_INT8]: parseInt8, [OID_NUMERIC]: parseNumeric } });
    await pglite.exec(`CREATE TABLE samples (
      id bigserial PRIMARY KEY, station text NOT NULL UNIQUE, at timestamptz NOT NULL,
      value numeric, extra jsonb)`);
  });
  after(async () => {
    await pglite.close();
  });

  /** The protocol-level statements PGlite holds now (PostgreSQL lists them with from_sql false). */
  async function preparedNow(): Promise<string[]> {
    const { rows } = await pglite.query<{ statement: string }>(
      'SELECT statement FROM pg_prepared_statements WHERE NOT from_sql ORDER BY prepare_time',
    );
    return rows.map((r) => r.statement);
  }

  /** The error a promise rejects with. */
  async function errorOf(
    promise: Promise<unknown>,
  ): Promise<{ code?: string; message: string; query?: string }> {
    try {
      await promise;
    } catch (error) {
      return error as { code?: string; message: string; query?: string };
    }
    throw new Error('expected the statement to fail');
  }

  test('a statement is prepared on its second run and returns what query() returns', async () => {
    const cache = new StatementCache(pglite);
    const insert = `INSERT INTO samples (station, at, value, extra)
      SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::numeric[], $4::jsonb[]) RETURNING id, station, at, value, extra`;
    const first = await cache.query(
      insert,
      [
        ['P1', 'P2'],
        ['2026-11-25T08:00:00.000Z', '2026-11-25T08:00:01.000Z'],
        ['1.5', null],
        ['{"a":1}', null],
      ],
      OBJECTS,
    );
    assert.equal(cache.size, 0, 'seen once: not prepared');
    const second = await cache.query(
      insert,
      [['P3'], ['2026-11-25T08:00:02.000Z'], ['2.25'], ['[true,null]']],
      OBJECTS,
    );
    assert.equal(cache.size, 1);
    assert.deepEqual(await preparedNow(), [insert]);
    assert.deepEqual(first.rows, [
      { id: 1, station: 'P1', at: new Date('2026-11-25T08:00:00.000Z'), value: 1.5, extra: { a: 1 } },
      { id: 2, station: 'P2', at: new Date('2026-11-25T08:00:01.000Z'), value: null, extra: null },
    ]);
    assert.deepEqual(second.rows, [
      { id: 3, station: 'P3', at: new Date('2026-11-25T08:00:02.000Z'), value: 2.25, extra: [true, null] },
    ]);
    assert.equal(second.affectedRows, 1);
    // The prepared SELECT gives the rows, and the fields, that query() gives for the same text.
    const select = 'SELECT id, station, value, extra FROM samples WHERE id >= $1 ORDER BY id';
    await cache.query(select, [2], OBJECTS);
    const prepared = await cache.query(select, [2], OBJECTS);
    const plain = await pglite.query(select, [2], OBJECTS);
    assert.equal(cache.size, 2);
    assert.deepEqual(prepared.rows, plain.rows);
    assert.deepEqual(
      prepared.fields.map((f) => [f.name, f.dataTypeID]),
      plain.fields.map((f) => [f.name, f.dataTypeID]),
    );
    await cache.closeAll();
    assert.deepEqual(await preparedNow(), []);
  });

  test('a prepared statement throws the error query() throws, with the statement', async () => {
    const cache = new StatementCache(pglite);
    const insert = 'INSERT INTO samples (station, at) VALUES ($1, $2)';
    await cache.query(insert, ['E1', '2026-11-25T09:00:00Z'], OBJECTS);
    await cache.query(insert, ['E2', '2026-11-25T09:00:00Z'], OBJECTS);
    assert.equal(cache.size, 1);
    const prepared = await errorOf(cache.query(insert, ['E1', '2026-11-25T09:00:00Z'], OBJECTS));
    const plain = await errorOf(pglite.query(insert, ['E1', '2026-11-25T09:00:00Z']));
    assert.equal(prepared.code, '23505');
    assert.equal(prepared.message, plain.message);
    assert.equal(prepared.query, insert);
    // A statement PostgreSQL cannot parse fails the same way on every run, prepared or not.
    const bad = 'SELECT nosuchcolumn FROM samples WHERE id = $1';
    const once = await errorOf(cache.query(bad, [1], OBJECTS));
    const twice = await errorOf(cache.query(bad, [1], OBJECTS));
    assert.equal(once.code, '42703');
    assert.equal(twice.code, '42703');
    assert.equal(twice.message, once.message);
    assert.equal(twice.query, bad);
    assert.equal(cache.size, 1, 'the failed statement is not kept');
    await cache.closeAll();
  });

  test('after DDL a prepared SELECT * returns the new columns', async () => {
    const cache = new StatementCache(pglite);
    await pglite.exec('CREATE TABLE widened (id int PRIMARY KEY)');
    await pglite.exec('INSERT INTO widened VALUES (1)');
    const select = 'SELECT * FROM widened WHERE id = $1';
    await cache.query(select, [1], OBJECTS);
    await cache.query(select, [1], OBJECTS);
    assert.equal(cache.size, 1);
    // DDL through the cache closes what it prepared first.
    await cache.query("ALTER TABLE widened ADD COLUMN label text DEFAULT 'a'", [], OBJECTS);
    assert.equal(cache.size, 0);
    assert.deepEqual(await preparedNow(), []);
    await cache.query(select, [1], OBJECTS);
    await cache.query(select, [1], OBJECTS);
    assert.equal(cache.size, 1);
    // DDL the cache did not see: PostgreSQL refuses the old plan, and the run is retried unprepared.
    await pglite.exec("ALTER TABLE widened ADD COLUMN note text DEFAULT 'b'");
    const after = await cache.query(select, [1], OBJECTS);
    assert.deepEqual(after.rows, [{ id: 1, label: 'a', note: 'b' }]);
    assert.equal(cache.size, 0);
  });

  test('keeps the most recently run statements, closing the oldest', async () => {
    const cache = new StatementCache(pglite, { maxPrepared: 2 });
    const statements = [1, 2, 3].map((n) => `SELECT $1::int + ${n} AS sum`);
    for (const [i, text] of statements.entries()) {
      await cache.query(text, [10], OBJECTS);
      const { rows } = await cache.query(text, [10], OBJECTS);
      assert.deepEqual(rows, [{ sum: 11 + i }]);
    }
    assert.equal(cache.size, 2);
    // Sorted: two statements prepared within one tick of PGlite's clock share a prepare_time.
    assert.deepEqual((await preparedNow()).sort(), statements.slice(1).sort());
    // Running the older of the two makes the other the one closed next.
    await cache.query(statements[1]!, [1], OBJECTS);
    await cache.query(statements[0]!, [1], OBJECTS);
    await cache.query(statements[0]!, [1], OBJECTS);
    assert.deepEqual((await preparedNow()).sort(), [statements[0], statements[1]].sort());
    await cache.closeAll();
  });

  test('transactions: prepared statements outlive a rollback, and an aborted one fails as query() does', async () => {
    const cache = new StatementCache(pglite);
    const insert = 'INSERT INTO samples (station, at) VALUES ($1, now())';
    await cache.query('BEGIN', [], OBJECTS);
    await cache.query(insert, ['T1'], OBJECTS);
    await cache.query(insert, ['T2'], OBJECTS);
    await cache.query('ROLLBACK', [], OBJECTS);
    assert.equal(cache.size, 1, 'transaction control does not close prepared statements');
    await cache.query(insert, ['T3'], OBJECTS);
    const { rows } = await pglite.query<{ station: string }>(
      "SELECT station FROM samples WHERE station LIKE 'T%' ORDER BY station",
    );
    assert.deepEqual(
      rows.map((r) => r.station),
      ['T3'],
    );
    await cache.query('BEGIN', [], OBJECTS);
    await errorOf(cache.query(insert, ['T3'], OBJECTS));
    const aborted = await errorOf(cache.query(insert, ['T4'], OBJECTS));
    assert.equal(aborted.code, '25P02');
    await cache.query('ROLLBACK', [], OBJECTS);
    await cache.query(insert, ['T4'], OBJECTS);
    assert.equal(cache.size, 1);
    await cache.closeAll();
  });
});
