import type { ColumnType, Generated, Selectable } from 'kysely';

// Table types for Kysely. They mirror migrations/ by hand: a migration that changes a
// table changes its interface here in the same commit.

/** timestamptz: read as a Date, written as a Date or an ISO 8601 string. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** timestamptz with a database default (now()). */
export type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/**
 * jsonb: read as parsed JSON, written as JSON text. Text because `pg` sends a JS array as
 * a PostgreSQL array literal, which jsonb rejects; use `toJsonb()` from stores/conversions.
 */
export type Jsonb = ColumnType<unknown, string, string>;
/** numeric: read as a JS number (see the type parsers in database.ts). */
export type Numeric = ColumnType<number, number | string, number | string>;
/** bigint (int8): a JS number; database.ts refuses values beyond Number.MAX_SAFE_INTEGER. */
export type Int8 = number;

export type OcppProtocol = 'ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1';
export type RegistrationStatus = 'Accepted' | 'Pending' | 'Rejected';
export type SecurityProfile = 0 | 1 | 2 | 3;
/** Statuses an operator can give a token; ConcurrentTx and Unknown are computed answers. */
export type IdTokenStatus =
  | 'Accepted'
  | 'Blocked'
  | 'Expired'
  | 'Invalid'
  | 'NoCredit'
  | 'NotAllowedTypeEVSE'
  | 'NotAtThisLocation'
  | 'NotAtThisTime';
export type TransactionStatus = 'Active' | 'Ended';
export type TransactionEventType = 'Started' | 'Updated' | 'Ended';
export type StationStatusEventKind = 'firmware' | 'diagnostics' | 'log' | 'publish_firmware';
export type ChargingProfileReportKind =
  | 'reported_profiles'
  | 'charging_limit'
  | 'cleared_limit'
  | 'composite_schedule'
  | 'ev_charging_needs'
  | 'ev_charging_schedule';
export type StationReportKind = 'customer_information' | 'display_messages' | 'certificate_signing_request';
export type ReservationStatus =
  | 'Pending'
  | 'Accepted'
  | 'Rejected'
  | 'Faulted'
  | 'Occupied'
  | 'Unavailable'
  | 'Cancelled'
  | 'Expired'
  | 'Used'
  | 'Removed';
export type MessageDirection = 'in' | 'out';
export type MessageType = 'CALL' | 'CALLRESULT' | 'CALLERROR' | 'CALLRESULTERROR' | 'SEND';

export interface StationTable {
  identity: string;
  protocol: OcppProtocol | null;
  registration_status: RegistrationStatus | null;
  vendor: string | null;
  model: string | null;
  serial_number: string | null;
  charge_box_serial_number: string | null;
  firmware_version: string | null;
  iccid: string | null;
  imsi: string | null;
  meter_type: string | null;
  meter_serial_number: string | null;
  boot_reason: string | null;
  boot_payload: Jsonb | null;
  booted_at: Timestamp | null;
  connected: Generated<boolean>;
  connected_at: Timestamp | null;
  disconnected_at: Timestamp | null;
  last_contact_at: Timestamp | null;
  password_hash: string | null;
  password_salt: string | null;
  previous_password_hash: string | null;
  previous_password_salt: string | null;
  security_profile: Generated<SecurityProfile>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** Current status per connector. OCPP 1.6 rows: evse_id = connector_id = the 1.6 connectorId. */
export interface ConnectorStatusTable {
  station_identity: string;
  evse_id: number;
  connector_id: number;
  status: string;
  error_code: string | null;
  info: string | null;
  vendor_id: string | null;
  vendor_error_code: string | null;
  /** When the station says the status took effect. */
  status_at: Timestamp;
  updated_at: DefaultTimestamp;
}

export interface ConnectorStatusHistoryTable extends Omit<ConnectorStatusTable, 'updated_at'> {
  id: Generated<Int8>;
  received_at: DefaultTimestamp;
}

export interface IdTokenTable {
  id_token: string;
  /** 2.0.1 IdTokenEnumType; defaults to ISO14443 because most tokens are RFID cards. */
  type: Generated<string>;
  status: Generated<IdTokenStatus>;
  expires_at: Timestamp | null;
  /** The group id (1.6 parentIdTag, 2.0.1 groupIdToken). */
  parent_id_token: string | null;
  /** How many transactions may run at once with this token; null = no limit. */
  max_concurrent_tx: number | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface TransactionTable {
  /** Assigned by the CSMS; this is the OCPP 1.6 transactionId. */
  id: Generated<Int8>;
  station_identity: string;
  /** The station-assigned 2.0.1/2.1 transactionId; null for OCPP 1.6. */
  station_transaction_id: string | null;
  evse_id: number | null;
  connector_id: number | null;
  id_token: string | null;
  id_token_type: string | null;
  /** The token that stopped the transaction, when it was presented. */
  stop_id_token: string | null;
  status: Generated<TransactionStatus>;
  /** 2.0.1 ChargingStateEnumType, from the event with the highest seqNo. */
  charging_state: string | null;
  started_at: Timestamp;
  stopped_at: Timestamp | null;
  /** Energy register at start, Wh. */
  meter_start: Numeric | null;
  /** Energy register at stop, Wh. */
  meter_stop: Numeric | null;
  /** meter_stop - meter_start; for 2.0.1 kept current from the meter values so far. */
  energy_wh: Numeric | null;
  stop_reason: string | null;
  remote_start_id: number | null;
  reservation_id: number | null;
  time_spent_charging_s: number | null;
  /** Highest 2.0.1 seqNo applied, so older events arriving late don't overwrite state. */
  last_seq_no: number | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface TransactionEventTable {
  id: Generated<Int8>;
  transaction_id: Int8;
  station_identity: string;
  station_transaction_id: string;
  seq_no: number;
  event_type: TransactionEventType;
  trigger_reason: string;
  event_at: Timestamp;
  offline: Generated<boolean>;
  payload: Jsonb;
  received_at: DefaultTimestamp;
}

export interface MeterValueTable {
  id: Generated<Int8>;
  station_identity: string;
  transaction_id: Int8 | null;
  evse_id: number | null;
  connector_id: number | null;
  sampled_at: Timestamp;
  /** Null when the sample carries signed data instead of a number (1.6 format SignedData). */
  value: Numeric | null;
  /** OCPP's default measurand is filled in, so queries need not know it. */
  measurand: Generated<string>;
  phase: string | null;
  unit: string | null;
  context: string | null;
  location: string | null;
  format: string | null;
  signed_data: Jsonb | null;
  received_at: DefaultTimestamp;
}

export interface ConfigurationKeyTable {
  station_identity: string;
  key: string;
  value: string | null;
  readonly: Generated<boolean>;
  updated_at: DefaultTimestamp;
}

/** One row per variable attribute; '' and 0 mean "absent" in the key columns. */
export interface DeviceModelVariableTable {
  station_identity: string;
  component_name: string;
  component_instance: Generated<string>;
  evse_id: Generated<number>;
  connector_id: Generated<number>;
  variable_name: string;
  variable_instance: Generated<string>;
  attribute_type: Generated<string>;
  value: string | null;
  mutability: string | null;
  persistent: boolean | null;
  constant: boolean | null;
  characteristics: Jsonb | null;
  updated_at: DefaultTimestamp;
}

export interface SecurityEventTable {
  id: Generated<Int8>;
  station_identity: string;
  type: string;
  event_at: Timestamp;
  tech_info: string | null;
  critical: Generated<boolean>;
  received_at: DefaultTimestamp;
}

export interface StationStatusEventTable {
  id: Generated<Int8>;
  station_identity: string;
  kind: StationStatusEventKind;
  status: string;
  request_id: number | null;
  details: Jsonb | null;
  reported_at: DefaultTimestamp;
}

export interface ChargingProfileReportTable {
  id: Generated<Int8>;
  station_identity: string;
  kind: ChargingProfileReportKind;
  request_id: number | null;
  evse_id: number | null;
  limit_source: string | null;
  payload: Jsonb;
  reported_at: DefaultTimestamp;
}

/** One monitor of a NotifyMonitoringReport (2.0.1 VariableMonitoringType); '' and 0 mean "absent" in the key. */
export interface VariableMonitorTable {
  station_identity: string;
  component_name: string;
  component_instance: Generated<string>;
  evse_id: Generated<number>;
  connector_id: Generated<number>;
  variable_name: string;
  variable_instance: Generated<string>;
  /** VariableMonitoringType.id, assigned by the station. */
  monitor_id: number;
  /** VariableMonitoringType.transaction: active only while a transaction runs. */
  transaction_only: boolean;
  value: Numeric;
  /** MonitorEnumType. */
  type: string;
  /** 0 (highest) to 9. */
  severity: number;
  /** The GetMonitoringReport that last reported the monitor. */
  request_id: number | null;
  updated_at: DefaultTimestamp;
}

/**
 * One part of a station's answer to a CSMS request (NotifyCustomerInformation, NotifyDisplayMessages)
 * or a certificate signing request (SignCertificate), as received.
 */
export interface StationReportTable {
  id: Generated<Int8>;
  station_identity: string;
  kind: StationReportKind;
  /** The request it answers; null for a CSR, which answers none. */
  request_id: number | null;
  /** The part's seqNo; null where the message has none (NotifyDisplayMessages, SignCertificate). */
  seq_no: number | null;
  /** More parts follow. */
  tbc: Generated<boolean>;
  payload: Jsonb;
  received_at: DefaultTimestamp;
}

export interface ReservationTable {
  id: Generated<number>;
  station_identity: string;
  evse_id: number | null;
  connector_id: number | null;
  connector_type: string | null;
  id_token: string;
  id_token_type: string | null;
  group_id_token: string | null;
  expires_at: Timestamp;
  status: Generated<ReservationStatus>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface MessageLogTable {
  id: Generated<Int8>;
  station_identity: string;
  direction: MessageDirection;
  message_type: MessageType;
  action: string | null;
  message_id: string | null;
  /**
   * The frame's payload; for errors { errorCode, errorDescription, errorDetails }. A json column
   * (JSON text; migration 0006), written and read like the jsonb ones.
   */
  payload: Jsonb;
  created_at: DefaultTimestamp;
  /**
   * A CALL's answer, logged in the CALL's row (migration 0009): CALLRESULT or CALLERROR, its payload
   * (an error's as above) and when it was seen. Null for a frame logged alone.
   */
  answer_type: 'CALLRESULT' | 'CALLERROR' | null;
  answer_payload: Jsonb | null;
  answered_at: Timestamp | null;
}

/** Values the CSMS generates once and keeps across restarts (e.g. the API token). */
export interface SettingTable {
  key: string;
  value: string;
  created_at: DefaultTimestamp;
}

export interface Database {
  stations: StationTable;
  connector_status: ConnectorStatusTable;
  connector_status_history: ConnectorStatusHistoryTable;
  id_tokens: IdTokenTable;
  transactions: TransactionTable;
  transaction_events: TransactionEventTable;
  meter_values: MeterValueTable;
  configuration_keys: ConfigurationKeyTable;
  device_model_variables: DeviceModelVariableTable;
  security_events: SecurityEventTable;
  station_status_events: StationStatusEventTable;
  charging_profile_reports: ChargingProfileReportTable;
  variable_monitors: VariableMonitorTable;
  station_reports: StationReportTable;
  reservations: ReservationTable;
  message_log: MessageLogTable;
  settings: SettingTable;
}

export type StationRow = Selectable<StationTable>;
export type ConnectorStatusRow = Selectable<ConnectorStatusTable>;
export type ConnectorStatusHistoryRow = Selectable<ConnectorStatusHistoryTable>;
export type IdTokenRow = Selectable<IdTokenTable>;
export type TransactionRow = Selectable<TransactionTable>;
export type TransactionEventRow = Selectable<TransactionEventTable>;
export type MeterValueRow = Selectable<MeterValueTable>;
export type ConfigurationKeyRow = Selectable<ConfigurationKeyTable>;
export type DeviceModelVariableRow = Selectable<DeviceModelVariableTable>;
export type SecurityEventRow = Selectable<SecurityEventTable>;
export type StationStatusEventRow = Selectable<StationStatusEventTable>;
export type ChargingProfileReportRow = Selectable<ChargingProfileReportTable>;
export type VariableMonitorRow = Selectable<VariableMonitorTable>;
export type StationReportRow = Selectable<StationReportTable>;
export type ReservationRow = Selectable<ReservationTable>;
export type MessageLogRow = Selectable<MessageLogTable>;

/**
 * One frame of the message log as it is listed: a row's CALL, its answer or a frame logged alone.
 * Frame ids are 2 × the row's id for the CALL (or the lone frame) and one more for the answer, so
 * ids order the frames as the rows are ordered, and a CALL's answer has the id after the CALL's.
 */
export interface MessageLogFrame {
  id: number;
  station_identity: string;
  direction: MessageDirection;
  message_type: MessageType;
  action: string | null;
  message_id: string | null;
  payload: unknown;
  created_at: Date;
}
