/**
 * Answering an incoming CALL, or taking a SEND (OCPP-J 1.6 §4.1, 2.0.1 Part 4 §4.2, 2.1 Part 4
 * §4.2.5): the checks, the guards, the handler, the CALLRESULT or CALLERROR, then the after-hooks.
 * This runs for every message a station sends, so a handler that returns a value is answered in
 * the same turn, with no promise made; one that returns a promise is awaited.
 */
import type { Logger } from 'pino';
import type { CallErrorCode, FailureKind } from '../errors/call-error-codes.js';
import { CallErrorReply } from '../errors/errors.js';
import type { OcppProtocol } from '../protocols.js';
import type { Route } from '../routing/router.js';
import type { Validator } from '../validation/validator.js';

export interface IncomingContext {
  /** The object that owns the session (the ChargePoint), handed to handlers. */
  readonly chargePoint: unknown;
  readonly messageId: string;
  readonly action: string;
  /** True for an OCPP 2.1 SEND: the return value is not sent anywhere. */
  readonly unconfirmed: boolean;
}

/** What answering needs of the session of the connection. */
export interface AnsweringSession {
  readonly protocol: OcppProtocol;
  readonly validator: Validator;
  /** The `strict` option: validate requests and our responses. */
  readonly strict: boolean;
  /** Put in every handler context as `chargePoint`. */
  readonly owner: unknown;
  /** The route of an action along the session's tables. */
  route(action: string): Route | undefined;
  /** Runs the guards; one throws `CallErrorReply` to refuse the CALL. */
  runGuards(action: string, payload: Record<string, unknown>): void;
  /** Ids of CALLs whose async handler still runs, to refuse a duplicate (2.0.1 Part 4 §4.2.3). */
  isHandling(id: string): boolean;
  startHandling(id: string): void;
  stopHandling(id: string): void;
  writeResult(id: string, action: string, response: unknown): void;
  /** `action` is the refused CALL's, for the frame listeners. */
  answerFailure(id: string, kind: FailureKind, description: string, action?: string): void;
  answerCallError(
    id: string,
    code: CallErrorCode,
    description: string,
    details: Record<string, unknown>,
    action?: string,
  ): void;
  /** The logger when `level` is on, else undefined. */
  logAt(level: 'warn' | 'error'): Logger | undefined;
}

const INTERNAL_ERROR_DESCRIPTION = 'An internal error occurred while processing the request';

type AnyHandler = (payload: unknown, context: IncomingContext) => unknown;
type AnyAfter = (payload: unknown, response: unknown, context: IncomingContext) => void | Promise<void>;

export function answerCall(
  session: AnsweringSession,
  id: string,
  action: string,
  payload: Record<string, unknown>,
  unconfirmed: boolean,
): void {
  const { validator, protocol } = session;
  if (!unconfirmed && session.isHandling(id)) {
    // 2.0.1 Part 4 §4.2.3: "an existing call with the same unique identifier is being handled already".
    const description = `A CALL with id ${id} is already being processed`;
    return refuse(session, id, action, unconfirmed, 'duplicate-message-id', description);
  }
  if (!validator.hasRequest(action)) {
    const description = `Action ${action} is not known in ${protocol}`;
    return refuse(session, id, action, unconfirmed, 'unknown-action', description);
  }
  if (!unconfirmed && !validator.hasResponse(action)) {
    const description = `Action ${action} is a SEND-only message in ${protocol}, not a CALL`;
    return refuse(session, id, action, unconfirmed, 'unknown-action', description);
  }
  const route = session.route(action);
  const handler = route?.handler as AnyHandler | undefined;
  if (!route || !handler) {
    return refuse(
      session,
      id,
      action,
      unconfirmed,
      'unsupported-action',
      `Action ${action} is not supported`,
    );
  }
  const validate = session.strict && route.validate;
  if (validate) {
    const failure = validator.validate(action, 'request', payload);
    if (failure) {
      return refuse(session, id, action, unconfirmed, failure.failure, `${action}: ${failure.description}`);
    }
  }
  const context: IncomingContext = { chargePoint: session.owner, messageId: id, action, unconfirmed };
  let response: unknown;
  try {
    session.runGuards(action, payload);
    response = handler(payload, context);
  } catch (error) {
    return handlerFailed(session, context, error);
  }
  if (isThenable(response)) {
    void awaitHandler(session, response, payload, route, context, validate);
  } else if (!unconfirmed) {
    answer(session, payload, response, route, context, validate);
  }
}

async function awaitHandler(
  session: AnsweringSession,
  pending: PromiseLike<unknown>,
  payload: Record<string, unknown>,
  route: Route,
  context: IncomingContext,
  validate: boolean,
): Promise<void> {
  const { messageId, unconfirmed } = context;
  if (!unconfirmed) session.startHandling(messageId);
  let response: unknown;
  try {
    response = await pending;
  } catch (error) {
    if (!unconfirmed) session.stopHandling(messageId);
    return handlerFailed(session, context, error);
  }
  if (unconfirmed) return;
  session.stopHandling(messageId);
  answer(session, payload, response, route, context, validate);
}

function answer(
  session: AnsweringSession,
  payload: Record<string, unknown>,
  response: unknown,
  route: Route,
  context: IncomingContext,
  validate: boolean,
): void {
  const { messageId, action } = context;
  if (validate) {
    const failure = session.validator.validate(action, 'response', response);
    if (failure) {
      session
        .logAt('error')
        ?.error({ action, failure: failure.description }, 'handler returned an invalid response');
      const description = `Invalid ${action} response: ${failure.description}`;
      return session.answerFailure(messageId, 'invalid-response', description, action);
    }
  }
  session.writeResult(messageId, action, response);
  if (route.afters.length > 0) void runAfters(session, route.afters, payload, response, context);
}

/** The `after()` hooks, one after the other, once the CALLRESULT is on its way. */
async function runAfters(
  session: AnsweringSession,
  afters: Route['afters'],
  payload: Record<string, unknown>,
  response: unknown,
  context: IncomingContext,
): Promise<void> {
  try {
    for (const hook of afters) await (hook as AnyAfter)(payload, response, context);
  } catch (error) {
    session.logAt('error')?.error({ err: error, action: context.action }, 'after-hook failed');
  }
}

function handlerFailed(session: AnsweringSession, context: IncomingContext, error: unknown): void {
  const { messageId, action, unconfirmed } = context;
  if (error instanceof CallErrorReply) {
    if (!unconfirmed)
      session.answerCallError(messageId, error.errorCode, error.message, error.details, action);
    return;
  }
  session.logAt('error')?.error({ err: error, action }, 'handler failed');
  refuse(session, messageId, action, unconfirmed, 'handler-failed', INTERNAL_ERROR_DESCRIPTION);
}

/** A CALL is answered with the CALLERROR of `kind`; a SEND, never answered, is logged. */
function refuse(
  session: AnsweringSession,
  id: string,
  action: string,
  unconfirmed: boolean,
  kind: FailureKind,
  description: string,
): void {
  if (unconfirmed) session.logAt('warn')?.warn({ action, kind, description }, 'SEND message not processed');
  else session.answerFailure(id, kind, description, action);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function'
  );
}
