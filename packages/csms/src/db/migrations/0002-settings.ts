import { type Kysely, sql } from 'kysely';

// Key/value settings the CSMS creates for itself and keeps across restarts (e.g. the generated
// API token), so they need not be configured.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE settings (
    key text PRIMARY KEY,
    value text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('settings').ifExists().execute();
}
