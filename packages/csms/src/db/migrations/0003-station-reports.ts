import { type Kysely, type RawBuilder, sql } from 'kysely';

// Storage for station messages that were only acknowledged before: the ISO 15118 charging needs
// and schedules (2.0.1 K15–K17), the monitors of NotifyMonitoringReport (N02), and the answers to
// CustomerInformation (N09), GetDisplayMessages (O04) and the SignCertificate CSR (A02/A03, 1.6
// security whitepaper §5.17), which 1.6 kept as a security event of its own invented type.
// One statement per `sql` call, as in 0001 (PGlite's extended protocol takes one at a time).
const statements: RawBuilder<unknown>[] = [
  // PostgreSQL names a column CHECK `<table>_<column>_check`; PGlite is PostgreSQL.
  sql`ALTER TABLE charging_profile_reports DROP CONSTRAINT charging_profile_reports_kind_check`,
  sql`ALTER TABLE charging_profile_reports ADD CONSTRAINT charging_profile_reports_kind_check
    CHECK (kind IN ('reported_profiles', 'charging_limit', 'cleared_limit', 'composite_schedule',
      'ev_charging_needs', 'ev_charging_schedule'))`,

  // '' and 0 stand for an absent instance / EVSE / connector, as in device_model_variables.
  sql`CREATE TABLE variable_monitors (
    station_identity text NOT NULL REFERENCES stations (identity) ON DELETE CASCADE,
    component_name text NOT NULL,
    component_instance text NOT NULL DEFAULT '',
    evse_id integer NOT NULL DEFAULT 0,
    connector_id integer NOT NULL DEFAULT 0,
    variable_name text NOT NULL,
    variable_instance text NOT NULL DEFAULT '',
    monitor_id integer NOT NULL,
    transaction_only boolean NOT NULL,
    value numeric NOT NULL,
    type text NOT NULL,
    severity integer NOT NULL,
    request_id integer,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (station_identity, component_name, component_instance, evse_id, connector_id,
      variable_name, variable_instance, monitor_id)
  )`,

  // Multi-part answers keyed by their part (requestId, seqNo), so a resent part is stored once.
  // NotifyDisplayMessages has no seqNo and a CSR no requestId: those rows are told apart by content.
  sql`CREATE TABLE station_reports (
    id bigserial PRIMARY KEY,
    station_identity text NOT NULL REFERENCES stations (identity) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('customer_information', 'display_messages',
      'certificate_signing_request')),
    request_id integer,
    seq_no integer,
    tbc boolean NOT NULL DEFAULT false,
    payload jsonb NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (station_identity, kind, request_id, seq_no)
  )`,
  sql`CREATE UNIQUE INDEX station_reports_unnumbered_key ON station_reports (station_identity, kind,
    COALESCE(request_id, -1), md5(payload::text)) WHERE seq_no IS NULL`,
  sql`CREATE INDEX station_reports_station_idx ON station_reports (station_identity, kind, id DESC)`,

  // The CSRs 0001 kept as security events (type 'SignCertificateRequest', the CSR in tech_info).
  sql`INSERT INTO station_reports (station_identity, kind, payload, received_at)
    SELECT station_identity, 'certificate_signing_request', jsonb_build_object('csr', tech_info), received_at
    FROM security_events WHERE type = 'SignCertificateRequest' AND tech_info IS NOT NULL
    ON CONFLICT DO NOTHING`,
  sql`DELETE FROM security_events WHERE type = 'SignCertificateRequest'`,

  // Id tokens are case-insensitive (1.6 §7.28 CiString20Type, 2.0.1 IdTokenType.idToken): lookups
  // and the count of a token's running transactions compare lower-case text.
  sql`CREATE INDEX id_tokens_lower_idx ON id_tokens (lower(id_token))`,
  sql`CREATE INDEX transactions_active_id_token_idx ON transactions (lower(id_token)) WHERE status = 'Active'`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS transactions_active_id_token_idx`.execute(db);
  await sql`DROP INDEX IF EXISTS id_tokens_lower_idx`.execute(db);
  await sql`INSERT INTO security_events (station_identity, type, event_at, tech_info, received_at)
    SELECT station_identity, 'SignCertificateRequest', received_at, payload->>'csr', received_at
    FROM station_reports WHERE kind = 'certificate_signing_request'
    ON CONFLICT DO NOTHING`.execute(db);
  await db.schema.dropTable('station_reports').ifExists().execute();
  await db.schema.dropTable('variable_monitors').ifExists().execute();
  await sql`DELETE FROM charging_profile_reports WHERE kind IN ('ev_charging_needs', 'ev_charging_schedule')`.execute(
    db,
  );
  await sql`ALTER TABLE charging_profile_reports DROP CONSTRAINT charging_profile_reports_kind_check`.execute(
    db,
  );
  await sql`ALTER TABLE charging_profile_reports ADD CONSTRAINT charging_profile_reports_kind_check
    CHECK (kind IN ('reported_profiles', 'charging_limit', 'cleared_limit', 'composite_schedule'))`.execute(
    db,
  );
}
