import type { Kysely } from 'kysely';
import type { ConfigurationKeyRow, Database } from '../schema.js';

/** One OCPP 1.6 KeyValue, as in GetConfiguration.conf configurationKey. */
export interface ConfigurationKey16 {
  key: string;
  readonly: boolean;
  value?: string;
}

export function createConfigurationStore(db: Kysely<Database>) {
  return {
    /** Stores reported keys, replacing earlier values of the same keys. Returns how many. */
    async upsertMany(stationIdentity: string, keys: readonly ConfigurationKey16[]): Promise<number> {
      // One INSERT may not update a row twice, so a key listed twice counts once (last wins).
      const byKey = new Map(keys.map((entry) => [entry.key, entry]));
      if (byKey.size === 0) return 0;
      const now = new Date();
      await db
        .insertInto('configuration_keys')
        .values(
          [...byKey.values()].map((entry) => ({
            station_identity: stationIdentity,
            key: entry.key,
            value: entry.value ?? null,
            readonly: entry.readonly,
            updated_at: now,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['station_identity', 'key']).doUpdateSet((eb) => ({
            value: eb.ref('excluded.value'),
            readonly: eb.ref('excluded.readonly'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
      return byKey.size;
    },

    /** After a successful ChangeConfiguration: the new value, keeping what is known of readonly. */
    async setValue(stationIdentity: string, key: string, value: string): Promise<void> {
      await db
        .insertInto('configuration_keys')
        .values({ station_identity: stationIdentity, key, value })
        .onConflict((oc) =>
          oc.columns(['station_identity', 'key']).doUpdateSet({ value, updated_at: new Date() }),
        )
        .execute();
    },

    /** A station's keys in key order. */
    async list(stationIdentity: string): Promise<ConfigurationKeyRow[]> {
      return db
        .selectFrom('configuration_keys')
        .selectAll()
        .where('station_identity', '=', stationIdentity)
        .orderBy('key')
        .execute();
    },
  };
}

export type ConfigurationStore = ReturnType<typeof createConfigurationStore>;
