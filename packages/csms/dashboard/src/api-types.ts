/**
 * The shapes the management API answers (see packages/csms/src/api/components.ts, the reply
 * schemas). Dates arrive as ISO strings.
 */

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export type Protocol = 'ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1';

export interface Station {
  identity: string;
  protocol: Protocol | null;
  connected: boolean;
  registrationStatus: string | null;
  securityProfile: number;
  vendor: string | null;
  model: string | null;
  serialNumber: string | null;
  chargeBoxSerialNumber: string | null;
  firmwareVersion: string | null;
  iccid: string | null;
  imsi: string | null;
  meterType: string | null;
  meterSerialNumber: string | null;
  bootReason: string | null;
  bootedAt: string | null;
  connectedAt: string | null;
  disconnectedAt: string | null;
  lastContactAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ConnectorStatus {
  evseId: number;
  connectorId: number;
  status: string;
  errorCode: string | null;
  info: string | null;
  vendorId: string | null;
  vendorErrorCode: string | null;
  statusAt: string;
  updatedAt: string;
}

export interface ConfigurationKey {
  key: string;
  value: string | null;
  readonly: boolean;
  updatedAt: string;
}

/** A variable of a 2.0.1 device model: its component, where that is, and the variable (0 and '' for none). */
export interface VariablePlace {
  componentName: string;
  componentInstance: string;
  evseId: number;
  connectorId: number;
  variableName: string;
  variableInstance: string;
}

export interface DeviceModelVariable extends VariablePlace {
  attributeType: string;
  value: string | null;
  mutability: string | null;
  updatedAt: string;
}

export type MessageType = 'CALL' | 'CALLRESULT' | 'CALLERROR' | 'CALLRESULTERROR' | 'SEND';

/** Which frames the message log keeps (the CSMS's CSMS_MESSAGE_LOG). */
export type MessageLogPolicy = 'all' | 'no-periodic' | 'no-heartbeats' | 'off';

export interface OcppMessage {
  id: number;
  direction: 'in' | 'out';
  messageType: MessageType;
  action: string | null;
  messageId: string | null;
  payload: unknown;
  createdAt: string;
}

export interface Transaction {
  id: number;
  stationIdentity: string;
  stationTransactionId: string | null;
  evseId: number | null;
  connectorId: number | null;
  idToken: string | null;
  idTokenType: string | null;
  stopIdToken: string | null;
  status: 'Active' | 'Ended';
  chargingState: string | null;
  startedAt: string;
  stoppedAt: string | null;
  meterStart: number | null;
  meterStop: number | null;
  energyWh: number | null;
  stopReason: string | null;
}

/** One part of a report a station sent (GET /stations/{id}/reports). */
export interface StationReport {
  id: number;
  stationIdentity: string;
  kind: 'customer_information' | 'display_messages' | 'certificate_signing_request';
  requestId: number | null;
  seqNo: number | null;
  tbc: boolean;
  payload: unknown;
  receivedAt: string;
}

/** A 2.0.1 variable monitor (GET /stations/{id}/monitors). */
export interface VariableMonitor extends VariablePlace {
  monitorId: number;
  transactionOnly: boolean;
  value: number;
  type: string;
  severity: number;
  requestId: number | null;
  updatedAt: string;
}

export interface StationDetail extends Station {
  connectors: ConnectorStatus[];
  configuration: ConfigurationKey[];
  variables: DeviceModelVariable[];
  activeTransactions: Transaction[];
  recentMessages: OcppMessage[];
}

export interface MeterValue {
  id: number;
  sampledAt: string;
  value: number | null;
  measurand: string;
  phase: string | null;
  unit: string | null;
  context: string | null;
  location: string | null;
  evseId: number | null;
  connectorId: number | null;
}

export interface TransactionEventRecord {
  seqNo: number;
  eventType: string;
  triggerReason: string;
  eventAt: string;
  offline: boolean;
}

export interface TransactionDetail {
  transaction: Transaction;
  energyWh: number | null;
  meterValues: MeterValue[];
  events: TransactionEventRecord[];
}

export const ID_TOKEN_STATUSES = [
  'Accepted',
  'Blocked',
  'Expired',
  'Invalid',
  'NoCredit',
  'NotAllowedTypeEVSE',
  'NotAtThisLocation',
  'NotAtThisTime',
] as const;

export const ID_TOKEN_TYPES = [
  'ISO14443',
  'ISO15693',
  'Central',
  'eMAID',
  'KeyCode',
  'Local',
  'MacAddress',
  'NoAuthorization',
] as const;

export interface IdToken {
  idToken: string;
  type: string;
  status: string;
  expiresAt: string | null;
  parentIdToken: string | null;
  maxConcurrentTx: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface CommandResult {
  station: string;
  protocol: string;
  action: string;
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}

/** One event of GET /api/v1/events (packages/csms/src/events.ts). */
export type LiveEvent =
  | { type: 'station'; identity: string; connected: boolean; protocol?: string }
  | { type: 'boot'; identity: string; status: string }
  | { type: 'connector'; identity: string; evseId: number; connectorId: number; status: string }
  | { type: 'transaction'; identity: string; transactionId: number; active: boolean }
  | { type: 'meter'; identity: string; transactionId: number | null }
  | { type: 'message'; identity: string; direction: 'in' | 'out'; action?: string; text: string };

export type LiveEventType = LiveEvent['type'];
