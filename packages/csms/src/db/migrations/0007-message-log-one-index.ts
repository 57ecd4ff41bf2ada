import { type Kysely, sql } from 'kysely';

// The message log had two indexes to update per row: its primary key on id, and (station_identity,
// id DESC) for every query it serves (a station's newest frames, its trims, a station's deletion).
// Nothing looks a row up by id alone, so the key becomes (station_identity, id), one index serving
// all of them (a backward scan gives the newest first). Measured with the recorder's 250-row
// json_to_recordset batches, 3 alternated runs each: a row took 16.4–18.3 µs of PostgreSQL instead
// of 18.6–23.9, and 20.1–22.1 µs of PGlite instead of 22.4–27.6.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE message_log DROP CONSTRAINT message_log_pkey`.execute(db);
  await sql`DROP INDEX message_log_station_idx`.execute(db);
  await sql`ALTER TABLE message_log ADD PRIMARY KEY (station_identity, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE message_log DROP CONSTRAINT message_log_pkey`.execute(db);
  await sql`ALTER TABLE message_log ADD PRIMARY KEY (id)`.execute(db);
  await sql`CREATE INDEX message_log_station_idx ON message_log (station_identity, id DESC)`.execute(db);
}
