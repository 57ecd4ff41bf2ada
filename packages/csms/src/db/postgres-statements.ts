/**
 * Named prepared statements on PostgreSQL for the statements a busy CSMS runs all the time: those of
 * the group commits and the batch writers, whose rows go in as one array per column, so that their
 * text is the same whatever the batch. They end with PREPARED. node-postgres then parses such a
 * statement once per connection and afterwards sends only Bind and Execute, and PostgreSQL may plan
 * it once (a generic plan) instead of at every run: the status reports' statement took 1.4 ms to
 * plan and 7 ms to run for 150 reports (EXPLAIN ANALYZE, PostgreSQL 15 on the bench's machine).
 *
 * Only marked statements: node-postgres keeps a connection's named statements for its whole life,
 * and Kysely's other queries (IN lists of any length) have as many texts as lengths. PGlite prepares
 * what it sees twice anyway (pglite-statements.ts); the mark is a comment to it.
 */
import { sql } from 'kysely';
import type pg from 'pg';

/** How a marked statement's text ends. */
export const PREPARED = '/* prepared */';

/** Put last in a statement's `sql` template to run it prepared on PostgreSQL. */
export const prepared = sql.raw(` ${PREPARED}`);

/**
 * Errors after which a marked statement runs unnamed from then on, on that connection:
 * feature_not_supported, which PostgreSQL gives a prepared statement whose result columns changed (a
 * migration by a newer CSMS beside this one), and invalid_sql_statement_name.
 */
const RUN_UNNAMED = new Set(['0A000', '26000']);

/** One name per marked text, shared by every connection (each prepares it on first use). */
const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `ocppkit_${names.size + 1}`;
    names.set(text, name);
  }
  return name;
}

type Query = (...args: unknown[]) => unknown;

/**
 * Makes `client` run marked statements as named prepared statements. For the pool's 'connect'
 * event: each new connection, before its first query.
 */
export function prepareMarkedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  /** Marked texts this connection runs unnamed, after one of RUN_UNNAMED. */
  let unnamed: Set<string> | undefined;
  // Kysely calls query(text, values) for a statement, and query(cursor) to stream: only the first
  // form, with a marked text, is changed.
  client.query = ((...args: unknown[]) => {
    const [text, values] = args;
    if (
      args.length !== 2 ||
      typeof text !== 'string' ||
      !Array.isArray(values) ||
      !text.endsWith(PREPARED) ||
      unnamed?.has(text)
    ) {
      return query(...args);
    }
    const named = query({ name: nameOf(text), text, values }) as Promise<unknown>;
    return named.catch((error: unknown) => {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== 'string' || !RUN_UNNAMED.has(code)) throw error;
      unnamed ??= new Set();
      unnamed.add(text);
      return query(text, values);
    });
  }) as typeof client.query;
}
