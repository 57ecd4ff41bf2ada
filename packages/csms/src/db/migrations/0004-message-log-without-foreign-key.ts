import { type Kysely, sql } from 'kysely';

// The message log is written for every frame, and the foreign key to stations cost a lookup per
// row: measured on PGlite, 8 log rows of a booting station took 200 µs with it and 121 µs without.
// The log is for operators, never joined for correctness; deleting a station deletes its log rows
// in the same transaction instead (station-store.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE message_log DROP CONSTRAINT message_log_station_identity_fkey`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM message_log WHERE station_identity NOT IN (SELECT identity FROM stations)`.execute(
    db,
  );
  await sql`ALTER TABLE message_log ADD CONSTRAINT message_log_station_identity_fkey
    FOREIGN KEY (station_identity) REFERENCES stations (identity) ON DELETE CASCADE`.execute(db);
}
