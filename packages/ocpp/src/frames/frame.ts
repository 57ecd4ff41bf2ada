/**
 * OCPP-J framing: the JSON arrays on the wire (OCPP-J 1.6 §4, 2.0.1 Part 4 §4, 2.1 Part 4 §4).
 * Parsing never throws; a frame that cannot be read becomes a `FrameFailure` that says how to answer.
 */
import type { FailureKind } from '../errors/call-error-codes.js';
import type { OcppProtocol } from '../protocols.js';

export const MessageType = {
  CALL: 2,
  CALLRESULT: 3,
  CALLERROR: 4,
  /** OCPP 2.1 only: the answer to a CALLRESULT that could not be processed (2.1 Part 4 §4.2.4). */
  CALLRESULTERROR: 5,
  /** OCPP 2.1 only: an unconfirmed message, never answered (2.1 Part 4 §4.2.5). */
  SEND: 6,
} as const;

export type CallFrame = readonly [2, string, string, Record<string, unknown>];
export type CallResultFrame = readonly [3, string, Record<string, unknown>];
export type CallErrorFrame = readonly [4, string, string, string, Record<string, unknown>];
export type CallResultErrorFrame = readonly [5, string, string, string, Record<string, unknown>];
export type SendFrame = readonly [6, string, string, Record<string, unknown>];
export type Frame = CallFrame | CallResultFrame | CallErrorFrame | CallResultErrorFrame | SendFrame;

/** Message ids are string[36] (OCPP-J 1.6 §4.1.3, 2.0.1 Part 4 §4.1.4). */
export const MAX_MESSAGE_ID_LENGTH = 36;

export interface FrameFailure {
  readonly failure: FailureKind;
  /** The id to answer with: the frame's own if it could be read, else "-1" (2.0.1 Part 4 §4.2.3). */
  readonly messageId: string;
  readonly description: string;
}

export type ParsedFrame = { readonly frame: Frame } | FrameFailure;

const UNREADABLE_ID = '-1';

/**
 * Parses one WebSocket text message into a frame, or says why it cannot be one. Given a protocol other
 * than 2.1, types 5 and 6 are unknown message types whatever their shape (they are 2.1 additions).
 */
export function parseFrame(text: string, protocol?: OcppProtocol): ParsedFrame {
  const read = readFrame(text, protocol);
  return isFrame(read) ? { frame: read } : read;
}

/** `parseFrame` without the wrapper object, for the session's per-message path. */
export function readFrame(text: string, protocol?: OcppProtocol): Frame | FrameFailure {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { failure: 'invalid-json', messageId: UNREADABLE_ID, description: 'Message is not valid JSON' };
  }
  if (!Array.isArray(value)) {
    return { failure: 'bad-frame', messageId: UNREADABLE_ID, description: 'Message is not a JSON array' };
  }
  const [type, id] = value;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_MESSAGE_ID_LENGTH) {
    const description =
      typeof id === 'string' && id.length > MAX_MESSAGE_ID_LENGTH
        ? `Message id is longer than ${MAX_MESSAGE_ID_LENGTH} characters`
        : 'Message id is missing or not a non-empty string';
    return { failure: 'bad-message-id', messageId: UNREADABLE_ID, description };
  }
  const knownType = protocol === undefined || protocol === 'ocpp2.1' || (type !== 5 && type !== 6);
  switch (knownType ? type : undefined) {
    case MessageType.CALL:
    case MessageType.SEND:
      if (value.length !== 4 || typeof value[2] !== 'string' || value[2].length === 0) {
        return {
          failure: 'bad-frame',
          messageId: id,
          description: 'Frame must be [type, id, action, payload]',
        };
      }
      if (!isPlainObject(value[3])) {
        return { failure: 'payload-not-object', messageId: id, description: 'Payload must be a JSON object' };
      }
      return value as unknown as Frame;
    case MessageType.CALLRESULT:
      if (value.length !== 3 || !isPlainObject(value[2])) {
        return { failure: 'bad-frame', messageId: id, description: 'Frame must be [3, id, payload]' };
      }
      return value as unknown as Frame;
    case MessageType.CALLERROR:
    case MessageType.CALLRESULTERROR:
      if (value.length !== 5 || typeof value[2] !== 'string' || typeof value[3] !== 'string') {
        return {
          failure: 'bad-frame',
          messageId: id,
          description: 'Frame must be [type, id, errorCode, errorDescription, errorDetails]',
        };
      }
      return value as unknown as Frame;
    default:
      return {
        failure: 'unknown-message-type',
        messageId: id,
        description: `Message type ${JSON.stringify(type)} is not supported`,
      };
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isFailure(parsed: ParsedFrame): parsed is FrameFailure {
  return 'failure' in parsed;
}

export function isFrame(read: Frame | FrameFailure): read is Frame {
  return Array.isArray(read);
}
