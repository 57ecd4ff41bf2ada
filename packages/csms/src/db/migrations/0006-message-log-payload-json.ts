import { type Kysely, sql } from 'kysely';

// The message log keeps payloads as json (their text, checked to be JSON) instead of jsonb (parsed
// into PostgreSQL's binary form). Nothing queries inside them, and the log is written for every
// frame but Heartbeats: measured with 250-row batches as the recorder writes them, a row took
// 25 µs of PostgreSQL instead of 38, and 17–20 µs of PGlite instead of 22–51 (MeterValues, two
// log rows each, are the CSMS's busiest writes).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE message_log ALTER COLUMN payload TYPE json USING payload::json`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE message_log ALTER COLUMN payload TYPE jsonb USING payload::jsonb`.execute(db);
}
