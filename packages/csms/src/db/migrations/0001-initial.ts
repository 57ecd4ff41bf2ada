import { type Kysely, type RawBuilder, sql } from 'kysely';

// Written as SQL rather than with Kysely's schema builder: the CHECKs, partial and
// expression indexes read as PostgreSQL, and both PGlite and PostgreSQL run exactly this.
// One statement per `sql` call, because PGlite's extended protocol takes one at a time.
//
// Conventions:
// - OCPP 1.6 has connector ids only. A 1.6 connector is operated independently, which is
//   what 2.0.1 calls an EVSE, and 1.6 connector 0 is the station like 2.0.1 EVSE 0. So 1.6
//   rows store the connectorId in both evse_id and connector_id.
// - Rows that record what a station reported carry a unique key (or a consecutive-duplicate
//   check in the store), because stations resend messages they got no answer to.
const statements: RawBuilder<unknown>[] = [
  sql`CREATE TABLE stations (
    identity text PRIMARY KEY,
    protocol text CHECK (protocol IN ('ocpp1.6', 'ocpp2.0.1', 'ocpp2.1')),
    registration_status text CHECK (registration_status IN ('Accepted', 'Pending', 'Rejected')),
    vendor text,
    model text,
    serial_number text,
    charge_box_serial_number text,
    firmware_version text,
    iccid text,
    imsi text,
    meter_type text,
    meter_serial_number text,
    boot_reason text,
    boot_payload jsonb,
    booted_at timestamptz,
    connected boolean NOT NULL DEFAULT false,
    connected_at timestamptz,
    disconnected_at timestamptz,
    last_contact_at timestamptz,
    password_hash text,
    password_salt text,
    previous_password_hash text,
    previous_password_salt text,
    security_profile smallint NOT NULL DEFAULT 0 CHECK (security_profile BETWEEN 0 AND 3),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,

  sql`CREATE TABLE connector_status (
    station_identity text NOT NULL REFERENCES stations (identity) ON DELETE CASCADE,
    evse_id integer NOT NULL,
    connector_id integer NOT NULL,
    status text NOT NULL,
    error_code text,
    info text,
    vendor_id text,
    vendor_error_code text,
    status_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (station_identity, evse_id, connector_id)
  )`,

  sql`CREATE TABLE connector_status_history (
    id bigserial PRIMARY KEY,
    station_identity text NOT NULL REFERENCES stations (identity) ON DELETE CASCADE,
    evse_id integer NOT NULL,
    connector_id integer NOT NULL,
    status text NOT NULL,
    error_code text,
    info text,
    vendor_id text,
    vendor_error_code text,
    status_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
  )`,
  sql`CREATE UNIQUE INDEX connector_status_history_report_key
    ON connector_status_history (station_identity, evse_id, connector_id, status_at, status)`,

  // 'ConcurrentTx' and 'Unknown' are answers the CSMS computes, never a stored status.
  sql`CREATE TABLE id_tokens (
    id_token text NOT NULL,
    type text NOT NULL DEFAULT 'ISO14443',
    status text NOT NULL DEFAULT 'Accepted' CHECK (status IN ('Accepted', 'Blocked', 'Expired', 'Invalid',
      'NoCredit', 'NotAllowedTypeEVSE', 'NotAtThisLocation', 'NotAtThisTime')),
    expires_at timestamptz,
    parent_id_token text,
    max_concurrent_tx integer CHECK (max_concurrent_tx > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id_token, type)
  )`,

  sql`CREATE TABLE transactions (
    id bigserial PRIMARY KEY,
    station_identity text NOT NULL REFERENCES stations (identity) ON DELETE CASCADE,
    station_transaction_id text,
    evse_id integer,
    connector_id integer,
    id_token text,
    id_token_type text,
    stop_id_token text,
    status text NOT NULL DEFAULT 'Active' CHECK (status IN ('Active', 'Ended')),
    charging_state text,
    started_at timestamptz NOT NULL,
    stopped_at timestamptz,
    meter_start numeric,
    meter_stop numeric,
    energy_wh numeric,
    stop_reason text,
    remote_start_id integer,
    reservation_id integer,
    time_spent_charging_s integer,
    last_seq_no integer,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'Ended') = (stopped_at IS NOT NULL))
  )`,
  sql`CREATE UNIQUE INDEX transactions_station_transaction_key
    ON transactions (station_identity, station_transaction_id)`,
  // A repeated OCPP 1.6 StartTransaction must get the same transactionId back (1.6 has no
  // station-side id), so its natural key is unique among 1.6 rows.
  sql`CREATE UNIQUE INDEX transactions_start16_key
    ON transactions (station_identity, connector_id, id_token, meter_start, started_at)
    WHERE station_transaction_id IS NULL`,
  sql`CREATE INDEX transactions_station_started_idx ON transactions (station_identity, started_at DESC)`,
  sql`CREATE INDEX transactions_id_token_started_idx ON transactions (id_token, started_at DESC)`,
  sql`CREATE INDEX transactions_started_idx ON transactions (started_at DESC)`,
  sql`CREATE INDEX transactions_active_idx
    ON transactions (station_identity, evse_id, connector_id) WHERE status = 'Active'`,

  sql`CREATE TABLE transaction_events (
    id bigserial PRIMARY KEY,
    transaction_id bigint NOT NULL REFERENCES transactions (id) ON DELETE CASCADE,
    station_identity text NOT NULL,
    station_transaction_id text NOT NULL,
    seq_no integer NOT NULL,
    event_type text NOT NULL CHECK (event_type IN ('Started', 'Updated', 'Ended')),
    trigger_reason text NOT NULL,
    event_at timestamptz NOT NULL,
    offline boolean NOT NULL DEFAULT false,
    payload jsonb NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (station_identity, station_transaction_id, seq_no)
  )`,
  sql`CREATE INDEX transaction_events_transaction_idx ON transaction_events (transaction_id, seq_no)`,

  sql`CREATE TABLE meter_values (
    id bigserial PRIMARY KEY,
    station_identity text NOT NULL REFERENCES stations (identity) ON DELETE CASCADE,
    transaction_id bigint REFERENCES transactions (id) ON DELETE CASCADE,
    evse_id integer,
    connector_id integer,
    sampled_at timestamptz NOT NULL,
    value numeric,
    measurand text NOT NULL DEFAULT 'Energy.Active.Import.Register',
    phase text,
    unit text,
    context text,
    location text,
    format text,
    signed_data jsonb,
    received_at timestamptz NOT NULL DEFAULT now()
  )`,
  sql`CREATE INDEX meter_values_transaction_idx ON meter_values (transaction_id, sampled_at)`,
  sql`CREATE INDEX meter_values_station_idx ON meter_values (station_identity, sampled_at)`,
  // COALESCE instead of NULLS NOT DISTINCT keeps this working on PostgreSQL before 15.
  sql`CREATE UNIQUE INDEX meter_values_sample_key ON meter_values (station_identity,
    COALESCE(evse_id, -1), COALESCE(connector_id, -1), sampled_at, measurand,
    COALESCE(phase, ''), COALESCE(location, ''), COALESCE(context, ''), COALESCE(format, ''))`,

  sql`CREATE TABLE configuration_keys (
    station_identity text NOT NULL REFERENCES stations (identity) ON DELETE CASCADE,
    key text NOT NULL,
    value text,
    readonly boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (station_identity, key)
  )`,

  // '' and 0 stand for an absent instance / EVSE / connector so they can be part of the
  // primary key; 2.0.1 EVSEType.id and connectorId are > 0, so 0 is never a real id.
  sql`CREATE TABLE device_model_variables (
    station_identity text NOT NULL REFERENCES stations (identity) ON DELETE CASCADE,
    component_name text NOT NULL,
    component_instance text NOT NULL DEFAULT '',
    evse_id integer NOT NULL DEFAULT 0,
    connector_id integer NOT NULL DEFAULT 0,
    variable_name text NOT NULL,
    variable_instance text NOT NULL DEFAULT '',
    attribute_type text NOT NULL DEFAULT 'Actual',
    value text,
    mutability text,
    persistent boolean,
    constant boolean,
    characteristics jsonb,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (station_identity, component_name, component_instance, evse_id, connector_id,
      variable_name, variable_instance, attribute_type)
  )`,

  sql`CREATE TABLE security_events (
    id bigserial PRIMARY KEY,
    station_identity text NOT NULL REFERENCES stations (identity) ON DELETE CASCADE,
    type text NOT NULL,
    event_at timestamptz NOT NULL,
    tech_info text,
    critical boolean NOT NULL DEFAULT false,
    received_at timestamptz NOT NULL DEFAULT now()
  )`,
  // md5 keeps the key small whatever length of techInfo a station sends.
  sql`CREATE UNIQUE INDEX security_events_report_key
    ON security_events (station_identity, event_at, type, md5(COALESCE(tech_info, '')))`,

  sql`CREATE TABLE station_status_events (
    id bigserial PRIMARY KEY,
    station_identity text NOT NULL REFERENCES stations (identity) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('firmware', 'diagnostics', 'log', 'publish_firmware')),
    status text NOT NULL,
    request_id integer,
    details jsonb,
    reported_at timestamptz NOT NULL DEFAULT now()
  )`,
  sql`CREATE INDEX station_status_events_station_idx ON station_status_events (station_identity, kind, id DESC)`,

  sql`CREATE TABLE charging_profile_reports (
    id bigserial PRIMARY KEY,
    station_identity text NOT NULL REFERENCES stations (identity) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('reported_profiles', 'charging_limit', 'cleared_limit',
      'composite_schedule')),
    request_id integer,
    evse_id integer,
    limit_source text,
    payload jsonb NOT NULL,
    reported_at timestamptz NOT NULL DEFAULT now()
  )`,
  sql`CREATE INDEX charging_profile_reports_station_idx
    ON charging_profile_reports (station_identity, kind, id DESC)`,

  // OCPP reservation ids are 32-bit integers, hence serial.
  sql`CREATE TABLE reservations (
    id serial PRIMARY KEY,
    station_identity text NOT NULL REFERENCES stations (identity) ON DELETE CASCADE,
    evse_id integer,
    connector_id integer,
    connector_type text,
    id_token text NOT NULL,
    id_token_type text,
    group_id_token text,
    expires_at timestamptz NOT NULL,
    status text NOT NULL DEFAULT 'Pending' CHECK (status IN ('Pending', 'Accepted', 'Rejected', 'Faulted',
      'Occupied', 'Unavailable', 'Cancelled', 'Expired', 'Used', 'Removed')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  sql`CREATE INDEX reservations_station_idx ON reservations (station_identity, expires_at)`,

  sql`CREATE TABLE message_log (
    id bigserial PRIMARY KEY,
    station_identity text NOT NULL REFERENCES stations (identity) ON DELETE CASCADE,
    direction text NOT NULL CHECK (direction IN ('in', 'out')),
    message_type text NOT NULL CHECK (message_type IN ('CALL', 'CALLRESULT', 'CALLERROR',
      'CALLRESULTERROR', 'SEND')),
    action text,
    message_id text,
    payload jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  sql`CREATE INDEX message_log_station_idx ON message_log (station_identity, id DESC)`,
];

const tablesNewestFirst = [
  'message_log',
  'reservations',
  'charging_profile_reports',
  'station_status_events',
  'security_events',
  'device_model_variables',
  'configuration_keys',
  'meter_values',
  'transaction_events',
  'transactions',
  'id_tokens',
  'connector_status_history',
  'connector_status',
  'stations',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of tablesNewestFirst) await db.schema.dropTable(table).ifExists().execute();
}
