import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** Settings the CSMS generates once and keeps, such as the API token. */
export function createSettingsStore(db: Kysely<Database>) {
  return {
    async get(key: string): Promise<string | undefined> {
      const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
      return row?.value;
    },

    /**
     * Stores `value` unless the key has one already, and returns the value that is kept: two
     * processes starting at once on one database end up with the same value.
     */
    async getOrCreate(key: string, value: string): Promise<{ value: string; created: boolean }> {
      const inserted = await db
        .insertInto('settings')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doNothing())
        .returning('value')
        .executeTakeFirst();
      if (inserted) return { value: inserted.value, created: true };
      const row = await db
        .selectFrom('settings')
        .select('value')
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
      return { value: row.value, created: false };
    },
  };
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;
