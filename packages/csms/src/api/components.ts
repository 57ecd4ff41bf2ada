/**
 * The reply schemas, registered once (`app.addSchema`) and referenced as `{ $ref: 'Name#' }`.
 * Fastify serializes replies with them, so a field not listed here never leaves the API, and
 * @fastify/swagger turns them into the OpenAPI components.
 */
import { API_ERRORS } from './errors.js';
import { ID_TOKEN_STATUSES } from './schemas.js';

const nullable = (type: string, extra: object = {}) => ({ type: [type, 'null'], ...extra });
const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = nullable('string', { format: 'date-time' });
const integer = { type: 'integer' } as const;
const string = { type: 'string' } as const;
const anyJson = {} as const;

const station = {
  $id: 'Station',
  type: 'object',
  description: 'A registered station (never its password)',
  properties: {
    identity: string,
    protocol: { ...nullable('string'), description: 'Live when connected, else the last one used' },
    connected: { type: 'boolean', description: 'Live, from the OCPP gateway' },
    registrationStatus: nullable('string'),
    securityProfile: integer,
    vendor: nullable('string'),
    model: nullable('string'),
    serialNumber: nullable('string'),
    chargeBoxSerialNumber: nullable('string'),
    firmwareVersion: nullable('string'),
    iccid: nullable('string'),
    imsi: nullable('string'),
    meterType: nullable('string'),
    meterSerialNumber: nullable('string'),
    bootReason: nullable('string'),
    bootPayload: anyJson,
    bootedAt: nullableDateTime,
    connectedAt: nullableDateTime,
    disconnectedAt: nullableDateTime,
    lastContactAt: nullableDateTime,
    createdAt: dateTime,
    updatedAt: dateTime,
  },
  required: ['identity', 'connected', 'securityProfile'],
} as const;

const connectorStatus = {
  $id: 'ConnectorStatus',
  type: 'object',
  description: 'Current status of a connector; for OCPP 1.6 evseId = connectorId = the 1.6 connectorId',
  properties: {
    evseId: integer,
    connectorId: integer,
    status: string,
    errorCode: nullable('string'),
    info: nullable('string'),
    vendorId: nullable('string'),
    vendorErrorCode: nullable('string'),
    statusAt: dateTime,
    updatedAt: dateTime,
  },
} as const;

const configurationKey = {
  $id: 'ConfigurationKey',
  type: 'object',
  description: 'OCPP 1.6 configuration key as last reported or set',
  properties: { key: string, value: nullable('string'), readonly: { type: 'boolean' }, updatedAt: dateTime },
} as const;

const deviceModelVariable = {
  $id: 'DeviceModelVariable',
  type: 'object',
  description: "OCPP 2.0.1 variable attribute; '' and 0 stand for an absent instance, EVSE or connector",
  properties: {
    componentName: string,
    componentInstance: string,
    evseId: integer,
    connectorId: integer,
    variableName: string,
    variableInstance: string,
    attributeType: string,
    value: nullable('string'),
    mutability: nullable('string'),
    persistent: nullable('boolean'),
    constant: nullable('boolean'),
    characteristics: anyJson,
    updatedAt: dateTime,
  },
} as const;

const message = {
  $id: 'OcppMessage',
  type: 'object',
  description: 'A frame of the message log; for CALLERRORs payload is { errorCode, description, details }',
  properties: {
    id: integer,
    direction: { type: 'string', enum: ['in', 'out'] },
    messageType: string,
    action: nullable('string'),
    messageId: nullable('string'),
    payload: anyJson,
    createdAt: dateTime,
  },
} as const;

const transaction = {
  $id: 'Transaction',
  type: 'object',
  description: 'A charging transaction (1.6 or 2.0.1)',
  properties: {
    id: { ...integer, description: 'CSMS id; the OCPP 1.6 transactionId' },
    stationIdentity: string,
    stationTransactionId: { ...nullable('string'), description: 'The 2.0.1 transactionId' },
    evseId: nullable('integer'),
    connectorId: nullable('integer'),
    idToken: nullable('string'),
    idTokenType: nullable('string'),
    stopIdToken: nullable('string'),
    status: { type: 'string', enum: ['Active', 'Ended'] },
    chargingState: nullable('string'),
    startedAt: dateTime,
    stoppedAt: nullableDateTime,
    meterStart: { ...nullable('number'), description: 'Wh' },
    meterStop: { ...nullable('number'), description: 'Wh' },
    energyWh: nullable('number'),
    stopReason: nullable('string'),
    remoteStartId: nullable('integer'),
    reservationId: nullable('integer'),
    timeSpentChargingS: nullable('integer'),
    lastSeqNo: nullable('integer'),
    createdAt: dateTime,
    updatedAt: dateTime,
  },
} as const;

const meterValue = {
  $id: 'MeterValue',
  type: 'object',
  description: 'One sampled value',
  properties: {
    id: integer,
    sampledAt: dateTime,
    value: nullable('number'),
    measurand: string,
    phase: nullable('string'),
    unit: nullable('string'),
    context: nullable('string'),
    location: nullable('string'),
    format: nullable('string'),
    signedData: anyJson,
    evseId: nullable('integer'),
    connectorId: nullable('integer'),
  },
} as const;

const transactionEvent = {
  $id: 'TransactionEvent',
  type: 'object',
  description: 'An OCPP 2.0.1 TransactionEvent as received',
  properties: {
    seqNo: integer,
    eventType: string,
    triggerReason: string,
    eventAt: dateTime,
    offline: { type: 'boolean' },
    payload: anyJson,
    receivedAt: dateTime,
  },
} as const;

const idToken = {
  $id: 'IdToken',
  type: 'object',
  description: 'An id token the CSMS authorizes',
  properties: {
    idToken: string,
    type: string,
    status: { type: 'string', enum: ID_TOKEN_STATUSES },
    expiresAt: nullableDateTime,
    parentIdToken: nullable('string'),
    maxConcurrentTx: { ...nullable('integer'), description: 'null = no limit' },
    createdAt: dateTime,
    updatedAt: dateTime,
  },
} as const;

const commandResult = {
  $id: 'CommandResult',
  type: 'object',
  description: "What was sent to the station and the station's CALLRESULT payload",
  properties: {
    station: string,
    protocol: string,
    action: { ...string, description: "The OCPP action used for the station's protocol" },
    request: { type: 'object', additionalProperties: true, description: 'The payload sent' },
    response: { type: 'object', additionalProperties: true, description: "The station's response" },
  },
  required: ['station', 'protocol', 'action', 'request', 'response'],
} as const;

const stationDetail = {
  $id: 'StationDetail',
  type: 'object',
  description: 'A station with its connectors, settings, running transactions and recent messages',
  properties: {
    ...station.properties,
    connectors: { type: 'array', items: { $ref: 'ConnectorStatus#' } },
    configuration: {
      type: 'array',
      items: { $ref: 'ConfigurationKey#' },
      description: 'OCPP 1.6 configuration keys (empty for 2.0.1)',
    },
    variables: {
      type: 'array',
      items: { $ref: 'DeviceModelVariable#' },
      description: 'OCPP 2.0.1 device model (empty for 1.6)',
    },
    activeTransactions: { type: 'array', items: { $ref: 'Transaction#' } },
    recentMessages: { type: 'array', items: { $ref: 'OcppMessage#' }, description: 'Newest first' },
  },
  required: [
    ...station.required,
    'connectors',
    'configuration',
    'variables',
    'activeTransactions',
    'recentMessages',
  ],
} as const;

const stationReport = {
  $id: 'StationReport',
  type: 'object',
  description:
    'One part of a report a station sent as it was received: NotifyCustomerInformation ' +
    '(customer_information), NotifyDisplayMessages (display_messages) or a SignCertificate CSR ' +
    '(certificate_signing_request)',
  properties: {
    id: integer,
    stationIdentity: string,
    kind: {
      type: 'string',
      enum: ['customer_information', 'display_messages', 'certificate_signing_request'],
    },
    requestId: { ...nullable('integer'), description: 'The request it answers; null for a CSR' },
    seqNo: { ...nullable('integer'), description: 'The part number, where the message has one' },
    tbc: { type: 'boolean', description: 'More parts follow' },
    payload: { ...anyJson, description: 'The request as received' },
    receivedAt: dateTime,
  },
  required: ['id', 'stationIdentity', 'kind', 'requestId', 'seqNo', 'tbc', 'payload', 'receivedAt'],
} as const;

const variableMonitor = {
  $id: 'VariableMonitor',
  type: 'object',
  description: 'A 2.0.1 variable monitor as the station last reported it (NotifyMonitoringReport)',
  properties: {
    stationIdentity: string,
    componentName: string,
    componentInstance: { ...string, description: 'Empty when the component has no instance' },
    evseId: { ...integer, description: '0 when the component is not on an EVSE' },
    connectorId: { ...integer, description: '0 when the component is not on a connector' },
    variableName: string,
    variableInstance: { ...string, description: 'Empty when the variable has no instance' },
    monitorId: { ...integer, description: 'VariableMonitoringType.id, assigned by the station' },
    transactionOnly: { type: 'boolean', description: 'Active only while a transaction runs' },
    value: { type: 'number' },
    type: { ...string, description: 'MonitorEnumType, e.g. UpperThreshold, Delta, Periodic' },
    severity: { ...integer, description: '0 (highest) to 9' },
    requestId: { ...nullable('integer'), description: 'The GetMonitoringReport that last reported it' },
    updatedAt: dateTime,
  },
  required: ['stationIdentity', 'componentName', 'variableName', 'monitorId', 'value', 'type', 'severity'],
} as const;

const apiError = {
  $id: 'ApiError',
  type: 'object',
  description: 'Every error reply; `code` is stable',
  properties: {
    statusCode: integer,
    code: { type: 'string', enum: Object.keys(API_ERRORS) },
    message: string,
    details: anyJson,
  },
  required: ['statusCode', 'code', 'message'],
} as const;

/** Registered with `app.addSchema`; referenced as `{ $ref: 'Name#' }`. */
export const SHARED_SCHEMAS = [
  apiError,
  station,
  stationDetail,
  connectorStatus,
  configurationKey,
  deviceModelVariable,
  message,
  transaction,
  meterValue,
  transactionEvent,
  idToken,
  commandResult,
  stationReport,
  variableMonitor,
];
