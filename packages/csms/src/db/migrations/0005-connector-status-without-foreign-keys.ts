import { type Kysely, sql } from 'kysely';

// Every station writes three or more connector status rows when it boots (connector 0 and each
// connector, current state and history), and the foreign keys to stations cost a lookup per row:
// measured on PGlite, the status rows of 1,000 booting stations took 144 ms with them and 99 ms
// without — a third of the database's share of a boot storm. Deleting a station deletes these rows
// in the same transaction instead (station-store.ts), as for the message log (0004).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE connector_status_history DROP CONSTRAINT connector_status_history_station_identity_fkey`.execute(
    db,
  );
  await sql`ALTER TABLE connector_status DROP CONSTRAINT connector_status_station_identity_fkey`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['connector_status_history', 'connector_status']) {
    await sql`DELETE FROM ${sql.table(table)} WHERE station_identity NOT IN (SELECT identity FROM stations)`.execute(
      db,
    );
    await sql`ALTER TABLE ${sql.table(table)} ADD CONSTRAINT ${sql.id(`${table}_station_identity_fkey`)}
      FOREIGN KEY (station_identity) REFERENCES stations (identity) ON DELETE CASCADE`.execute(db);
  }
}
