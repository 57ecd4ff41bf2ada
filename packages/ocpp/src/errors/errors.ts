/**
 * Every error this library throws, each with a stable `code` (documented in the package README's
 * error reference; a test fails when one is missing there).
 */
import type { CallErrorCode } from './call-error-codes.js';

export const ERROR_CODES = {
  OCPP_ERR_CALL_ERROR: 'The peer answered the CALL with a CALLERROR',
  OCPP_ERR_TIMEOUT: 'No answer to the CALL within the timeout',
  OCPP_ERR_ABORTED: "The CALL was cancelled through the caller's AbortSignal",
  OCPP_ERR_CONNECTION_CLOSED: 'The connection closed before the CALL was answered',
  OCPP_ERR_REQUEST_INVALID: 'The outgoing request failed schema validation and was not sent',
  OCPP_ERR_RESPONSE_INVALID: "The peer's CALLRESULT failed schema validation",
  OCPP_ERR_UNKNOWN_ACTION: 'The action is not part of the OCPP version of this connection',
  OCPP_ERR_UNSUPPORTED_FRAME: 'The frame type does not exist in the OCPP version of this connection',
  OCPP_ERR_BAD_OPTIONS: 'Invalid options were passed to a library function',
  OCPP_ERR_REQUEST_RELEASED: 'The upgrade request was read after onConnection had finished with it',
} as const;

export type OcppErrorCode = keyof typeof ERROR_CODES;

/** Base class: `code` is stable and safe to switch on. */
export class OcppError extends Error {
  readonly code: OcppErrorCode;
  constructor(code: OcppErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OcppError';
    this.code = code;
  }
}

/** The peer answered our CALL with a CALLERROR. `errorCode` is normalised to the 2.x spelling. */
export class CallErrorResponse extends OcppError {
  readonly errorCode: CallErrorCode;
  /** The code exactly as received (1.6 peers spell some codes differently). */
  readonly rawErrorCode: string;
  readonly description: string;
  readonly details: unknown;
  constructor(
    action: string,
    errorCode: CallErrorCode,
    rawErrorCode: string,
    description: string,
    details: unknown,
  ) {
    super('OCPP_ERR_CALL_ERROR', `${action} failed: ${rawErrorCode}${description ? `: ${description}` : ''}`);
    this.name = 'CallErrorResponse';
    this.errorCode = errorCode;
    this.rawErrorCode = rawErrorCode;
    this.description = description;
    this.details = details;
  }
}

/** Validation failure of our own request or of the peer's response. */
export class ValidationError extends OcppError {
  /** The CALLERROR code this failure maps to. */
  readonly errorCode: CallErrorCode;
  readonly path: string;
  constructor(
    code: 'OCPP_ERR_REQUEST_INVALID' | 'OCPP_ERR_RESPONSE_INVALID',
    message: string,
    errorCode: CallErrorCode,
    path: string,
  ) {
    super(code, message);
    this.name = 'ValidationError';
    this.errorCode = errorCode;
    this.path = path;
  }
}

/**
 * Throw this from a handler to answer with a specific CALLERROR, e.g.
 * `throw new CallErrorReply('SecurityError', 'Station not accepted')`. Codes use the 2.x spelling;
 * a 1.6 connection sends the 1.6 spelling.
 */
export class CallErrorReply extends Error {
  readonly errorCode: CallErrorCode;
  readonly details: Record<string, unknown>;
  constructor(errorCode: CallErrorCode, description = '', details: Record<string, unknown> = {}) {
    super(description);
    this.name = 'CallErrorReply';
    this.errorCode = errorCode;
    this.details = details;
  }
}
