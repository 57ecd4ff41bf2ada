/**
 * CALLERROR codes and the one table per version that decides which code answers which failure.
 *
 * OCPP-J 1.6 §4.2.3 and 2.0.1 Part 4 §4.3 name the codes. 1.6 spells two of them wrongly on purpose
 * (OCPP-J 1.6 errata §5.1, §5.2: "Do not fix, this is a message level change"), so every code is
 * written here with the spelling of the connection's version and either spelling is accepted on input.
 */
import type { OcppProtocol } from '../protocols.js';

/** Every CALLERROR code of 2.0.1 / 2.1 (the correct spellings). */
export const CALL_ERROR_CODES = [
  'FormatViolation',
  'GenericError',
  'InternalError',
  'MessageTypeNotSupported',
  'NotImplemented',
  'NotSupported',
  'OccurrenceConstraintViolation',
  'PropertyConstraintViolation',
  'ProtocolError',
  'RpcFrameworkError',
  'SecurityError',
  'TypeConstraintViolation',
] as const;

/** A CALLERROR code in its 2.x spelling; 1.6 spellings are translated at the edge. */
export type CallErrorCode = (typeof CALL_ERROR_CODES)[number];

/** Why an incoming message could not be answered normally. */
export type FailureKind =
  | 'invalid-json'
  | 'bad-frame'
  | 'bad-message-id'
  | 'duplicate-message-id'
  | 'unknown-message-type'
  | 'unknown-action'
  | 'unsupported-action'
  | 'payload-not-object'
  | 'missing-required'
  | 'wrong-type'
  | 'bad-value'
  | 'occurrence'
  | 'extra-property'
  | 'malformed-payload'
  | 'handler-failed'
  | 'invalid-response';

type FailureTable = Record<FailureKind, CallErrorCode | 'ignore'>;

/** 2.0.1 Part 4 §4.2.3 / §4.3; unknown message types: §4.1.3 (MessageTypeNotSupported). */
const V201_TABLE: FailureTable = {
  'invalid-json': 'RpcFrameworkError',
  'bad-frame': 'RpcFrameworkError',
  'bad-message-id': 'RpcFrameworkError',
  'duplicate-message-id': 'RpcFrameworkError',
  'unknown-message-type': 'MessageTypeNotSupported',
  'unknown-action': 'NotImplemented',
  'unsupported-action': 'NotSupported',
  'payload-not-object': 'FormatViolation',
  'missing-required': 'OccurrenceConstraintViolation',
  'wrong-type': 'TypeConstraintViolation',
  'bad-value': 'PropertyConstraintViolation',
  occurrence: 'OccurrenceConstraintViolation',
  'extra-property': 'FormatViolation',
  'malformed-payload': 'FormatViolation',
  'handler-failed': 'InternalError',
  'invalid-response': 'InternalError',
};

/**
 * 1.6 has no RpcFrameworkError: a broken frame is a ProtocolError ("not conform the PDU structure"),
 * unreadable JSON a FormationViolation ("syntactically incorrect"), OCPP-J 1.6 §4.2.3.
 * A message type we do not know is ignored: 1.6 defines no CALLERROR for it.
 */
const V16_TABLE: FailureTable = {
  ...V201_TABLE,
  'invalid-json': 'FormatViolation',
  'bad-frame': 'ProtocolError',
  'bad-message-id': 'ProtocolError',
  'duplicate-message-id': 'ProtocolError',
  'unknown-message-type': 'ignore',
};

/** 2.1 Part 4 keeps the 2.0.1 codes; an unknown message type is ignored (2.1 §4.1.3, for forward compatibility). */
const V21_TABLE: FailureTable = { ...V201_TABLE, 'unknown-message-type': 'ignore' };

const TABLES: Record<OcppProtocol, FailureTable> = {
  'ocpp1.6': V16_TABLE,
  'ocpp2.0.1': V201_TABLE,
  'ocpp2.1': V21_TABLE,
};

/** The code answering `kind` on a connection of `protocol`, in that version's spelling, or 'ignore'. */
export function codeForFailure(protocol: OcppProtocol, kind: FailureKind): string | 'ignore' {
  const code = TABLES[protocol][kind];
  return code === 'ignore' ? code : spellCode(protocol, code);
}

const V16_SPELLING: Partial<Record<CallErrorCode, string>> = {
  FormatViolation: 'FormationViolation',
  OccurrenceConstraintViolation: 'OccurenceConstraintViolation',
};
const FROM_V16_SPELLING: Record<string, CallErrorCode> = {
  FormationViolation: 'FormatViolation',
  OccurenceConstraintViolation: 'OccurrenceConstraintViolation',
};

/** Spells a code as the connection's version does on the wire. */
export function spellCode(protocol: OcppProtocol, code: CallErrorCode): string {
  return protocol === 'ocpp1.6' ? (V16_SPELLING[code] ?? code) : code;
}

/** Reads a code received in either spelling; unknown strings are kept as GenericError. */
export function readCode(code: unknown): CallErrorCode {
  if (typeof code !== 'string') return 'GenericError';
  const normal = FROM_V16_SPELLING[code] ?? code;
  return (CALL_ERROR_CODES as readonly string[]).includes(normal)
    ? (normal as CallErrorCode)
    : 'GenericError';
}

/** 2.0.1 Part 4 Table 7: the description is string[255]. */
export const MAX_ERROR_DESCRIPTION = 255;
