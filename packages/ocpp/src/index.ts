/**
 * ocppkit: typed, validated OCPP-J 1.6, 2.0.1 and 2.1 for both sides of the socket.
 * Version-specific messages, the typed `ChargePoint` and `Routes` live in `ocppkit/v16`, `ocppkit/v201`,
 * `ocppkit/v21`.
 */
export { ChargePoint, type ChargePointOptions, type CloseInfo, type HandlerContext } from './charge-point.js';
export {
  CALL_ERROR_CODES,
  type CallErrorCode,
  codeForFailure,
  type FailureKind,
  readCode,
  spellCode,
} from './errors/call-error-codes.js';
export {
  CallErrorReply,
  CallErrorResponse,
  ERROR_CODES,
  OcppError,
  type OcppErrorCode,
  ValidationError,
} from './errors/errors.js';
export { type Frame, MessageType, parseFrame } from './frames/frame.js';
export { isOcppProtocol, OCPP_PROTOCOLS, type OcppProtocol } from './protocols.js';
export type { HandleOptions } from './routing/router.js';
export { Routes, type SendHandler } from './routing/routes.js';
export type {
  CallGuard,
  CallOptions,
  ClosedListener,
  FrameEvent,
  FrameListener,
} from './rpc/session.js';
export {
  ClientConnection,
  type ConnectOptions,
  connect,
  HandshakeError,
  type ReconnectOptions,
} from './transport/client.js';
export {
  type AuthenticateInput,
  type AuthenticateResult,
  createServer,
  OcppServer,
  type OcppServerOptions,
} from './transport/server.js';
export { ServerConnection } from './transport/server-connection.js';
export type { Transport, TransportEvents } from './transport/transport.js';
export { getValidator, type ValidationFailure, Validator } from './validation/validator.js';
