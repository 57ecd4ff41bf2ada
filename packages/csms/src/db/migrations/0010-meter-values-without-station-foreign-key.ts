import { type Kysely, sql } from 'kysely';

// Every stored sample checked its station's row through the foreign key to stations: a lookup and a
// row lock (FOR KEY SHARE) per sample, on a row the station's last-contact updates write too.
// Measured with the CSMS on PostgreSQL, a MeterValues closed loop (200 stations, one sample per
// CALL, 4 alternated runs each): PostgreSQL's CPU per request 21, 23, 25 and 26 µs without it
// against 27, 28, 29 and 30 with it. Deleting a station deletes its samples in the same transaction
// instead (station-store.ts), as for the message log (0004) and connector status (0005).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE meter_values DROP CONSTRAINT meter_values_station_identity_fkey`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM meter_values WHERE station_identity NOT IN (SELECT identity FROM stations)`.execute(
    db,
  );
  await sql`ALTER TABLE meter_values ADD CONSTRAINT meter_values_station_identity_fkey
    FOREIGN KEY (station_identity) REFERENCES stations (identity) ON DELETE CASCADE`.execute(db);
}
