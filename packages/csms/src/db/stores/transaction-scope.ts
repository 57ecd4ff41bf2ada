import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/**
 * Runs `work` in a database transaction, or inside the caller's when `db` already is one,
 * so a store method can be composed into a larger transaction (Kysely can't nest them).
 */
export function inTransaction<T>(
  db: Kysely<Database>,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
