import { type Kysely, sql } from 'kysely';

// Every meter value updated four indexes. Two of them began with the station: (station_identity,
// sampled_at) for a station's samples, newest first, and the unique sample key (station_identity,
// evse, connector, sampled_at, measurand, …) that makes a resent sample a no-op. The same key with
// sampled_at second is as unique (the same columns) and serves a station's samples as well, so the
// first goes. Measured on PostgreSQL with 100-row unnest INSERTs, 3 alternated runs: 3.0–3.3 ms a
// batch instead of 3.5–4.8.
const SAMPLE_KEY_REST = sql`COALESCE(phase, ''), COALESCE(location, ''), COALESCE(context, ''), COALESCE(format, '')`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX meter_values_sample_key`.execute(db);
  await sql`DROP INDEX meter_values_station_idx`.execute(db);
  await sql`CREATE UNIQUE INDEX meter_values_sample_key ON meter_values (station_identity, sampled_at,
    COALESCE(evse_id, -1), COALESCE(connector_id, -1), measurand, ${SAMPLE_KEY_REST})`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX meter_values_sample_key`.execute(db);
  await sql`CREATE UNIQUE INDEX meter_values_sample_key ON meter_values (station_identity,
    COALESCE(evse_id, -1), COALESCE(connector_id, -1), sampled_at, measurand, ${SAMPLE_KEY_REST})`.execute(
    db,
  );
  await sql`CREATE INDEX meter_values_station_idx ON meter_values (station_identity, sampled_at)`.execute(db);
}
