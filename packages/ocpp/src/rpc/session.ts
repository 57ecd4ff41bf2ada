/**
 * The RPC session of one connection: message ids, one outstanding CALL per direction, timeouts,
 * and the answer to every incoming frame (OCPP-J 1.6 §4, 2.0.1 Part 4 §4, 2.1 Part 4 §4).
 *
 * A CSMS keeps one session per station for as long as the station is connected, mostly idle, so
 * the session keeps little: lists, the logger child, the call queue and the `closed` promise are
 * made when first needed, and the session itself is the transport's consumer (no closures).
 */
import type { Logger } from 'pino';
import {
  type CallErrorCode,
  codeForFailure,
  type FailureKind,
  MAX_ERROR_DESCRIPTION,
  readCode,
  spellCode,
} from '../errors/call-error-codes.js';
import { CallErrorResponse, OcppError, ValidationError } from '../errors/errors.js';
import { type Frame, isFrame, MessageType, readFrame } from '../frames/frame.js';
import type { OcppProtocol } from '../protocols.js';
import { type Route, Router, resolveRoute } from '../routing/router.js';
import { callsEventMethods, type Transport, type TransportEvents } from '../transport/transport.js';
import type { Validator } from '../validation/validator.js';
import { type AnsweringSession, answerCall } from './incoming-calls.js';
import { type CallWriter, nextMessageId, OutgoingCalls } from './outgoing-calls.js';

export type { IncomingContext } from './incoming-calls.js';

/**
 * A guard may throw `CallErrorReply` to refuse a CALL before its handler runs. It is given the
 * ChargePoint that received the CALL, so that one function can guard every station.
 */
export type CallGuard<CP = unknown> = (
  action: string,
  payload: Record<string, unknown>,
  chargePoint: CP,
) => void;

/** Sees every frame in and out; given the ChargePoint, so that one function can observe every station. */
export type FrameListener<CP = unknown> = (event: FrameEvent, chargePoint: CP) => void;

/** Called once the transport has ended for good, with the last close and the ChargePoint. */
export type ClosedListener<CP = unknown> = (info: CloseInfo, chargePoint: CP) => void;

export interface FrameEvent {
  readonly direction: 'in' | 'out';
  readonly text: string;
  /** Undefined when the incoming text could not be parsed. */
  readonly frame?: Frame;
  /** Action of a CALL/SEND, or of the CALL a result or a CALLERROR answers when known. */
  readonly action?: string;
}

export interface CallOptions {
  /** Milliseconds to wait for the answer once the CALL is sent; default: the session's (30 s). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Validate our request and the peer's response (default: the session's `strict`). */
  readonly validate?: boolean;
}

export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

/**
 * What every session made with the same options shares: one object for all of them, so that an idle
 * session keeps one reference instead of a copy of each (a CSMS holds tens of thousands).
 */
export interface SessionSettings {
  readonly validator: Validator;
  /** The parent logger; the session's child `{ identity, protocol }` is made on first use. */
  readonly logger: Logger;
  readonly defaultTimeoutMs: number;
  readonly strict: boolean;
  /** The decorated methods' table of the owner's class. */
  readonly decorated: Router | undefined;
  /** The `routes` option: a table shared with other sessions. */
  readonly shared: Router | undefined;
  /** The `guard`, `onFrame` and `onClosed` options: functions shared with other sessions. */
  readonly guard: CallGuard | undefined;
  readonly onFrame: FrameListener | undefined;
  readonly onClosed: ClosedListener | undefined;
}

export interface SessionOptions {
  readonly transport: Transport;
  /** Put in every handler context as `chargePoint`. */
  readonly owner: unknown;
  readonly settings: SessionSettings;
}

/**
 * One function, or several. Most sessions have at most one of each (often a function shared by every
 * session), so that one is kept as it is; more are kept in an array of exactly their number (an
 * array grown by `push` from empty reserves room for 17).
 */
type OneOrMore<F> = F | readonly F[] | undefined;

function added<F>(list: OneOrMore<F>, item: F): OneOrMore<F> {
  if (list === undefined) return item;
  return Array.isArray(list) ? [...list, item] : [list as F, item];
}

function removed<F>(list: OneOrMore<F>, item: F): OneOrMore<F> {
  if (list === item) return undefined;
  if (!Array.isArray(list)) return list;
  const rest = list.filter((f) => f !== item);
  return rest.length > 1 ? rest : rest[0];
}

/**
 * The parts of a session a CSMS's idle station seldom has: the child logger (made when it logs), its
 * own handle() table, disconnect listeners and the `closed` promise (the `onClosed` option spares
 * one). One field for all of them while they are not there.
 */
interface Rare {
  log: Logger | undefined;
  own: Router | undefined;
  disconnectListeners: OneOrMore<(info: CloseInfo) => void>;
  closed: Promise<CloseInfo> | undefined;
  resolveClosed: ((info: CloseInfo) => void) | undefined;
}

/** RFC 6455 §7.1.5: 1006 when the connection closed without a close frame (or we never saw one). */
const ABNORMAL_CLOSE: CloseInfo = Object.freeze({ code: 1006, reason: '' });

export class RpcSession implements TransportEvents, CallWriter, AnsweringSession {
  readonly transport: Transport;
  readonly owner: unknown;
  readonly #settings: SessionSettings;
  /** What a session made in a CSMS seldom needs (see `Rare`), made when first needed. */
  #rare: Rare | undefined;
  #outgoing: OutgoingCalls | undefined;
  /** Ids of incoming CALLs whose async handler is still running: one string, a Set for more. */
  #handling: string | Set<string> | undefined;
  #guards: OneOrMore<CallGuard>;
  #frameListeners: OneOrMore<FrameListener>;
  #lastClose: CloseInfo = ABNORMAL_CLOSE;
  #ended = false;

  constructor(options: SessionOptions) {
    this.transport = options.transport;
    this.owner = options.owner;
    this.#settings = options.settings;
    this.#guards = options.settings.guard;
    this.#frameListeners = options.settings.onFrame;
  }

  get protocol(): OcppProtocol {
    return this.transport.protocol;
  }

  get validator(): Validator {
    return this.#settings.validator;
  }

  get strict(): boolean {
    return this.#settings.strict;
  }

  #rareState(): Rare {
    this.#rare ??= {
      log: undefined,
      own: undefined,
      disconnectListeners: undefined,
      closed: undefined,
      resolveClosed: undefined,
    };
    return this.#rare;
  }

  /** Starts reading from the transport. */
  start(): void {
    this.transport.attach(callsEventMethods(this.transport) ? this : eventFunctions(this));
  }

  /** The child logger `{ identity, protocol }`, made on first use: pino children are not small. */
  get logger(): Logger {
    const rare = this.#rareState();
    rare.log ??= this.#settings.logger.child({ identity: this.transport.identity, protocol: this.protocol });
    return rare.log;
  }

  /** Resolves once the transport has ended; made on first use, already resolved when it has. */
  get closed(): Promise<CloseInfo> {
    const rare = this.#rareState();
    if (!rare.closed) {
      if (this.#ended) rare.closed = Promise.resolve(this.#lastClose);
      else
        rare.closed = new Promise((resolve) => {
          rare.resolveClosed = resolve;
        });
    }
    return rare.closed;
  }

  /** The table of the owner's own `handle()` / `after()` calls, made on the first one. */
  ownRoutes(): Router {
    const rare = this.#rareState();
    rare.own ??= new Router();
    return rare.own;
  }

  handles(action: string): boolean {
    const { decorated, shared } = this.#settings;
    return Boolean(this.#rare?.own?.has(action) || decorated?.has(action) || shared?.has(action));
  }

  addGuard(guard: CallGuard): void {
    this.#guards = added(this.#guards, guard);
  }

  onFrame(listener: FrameListener): () => void {
    this.#frameListeners = added(this.#frameListeners, listener);
    return () => {
      this.#frameListeners = removed(this.#frameListeners, listener);
    };
  }

  onDisconnect(listener: (info: CloseInfo) => void): void {
    const rare = this.#rareState();
    rare.disconnectListeners = added(rare.disconnectListeners, listener);
  }

  // --- TransportEvents ---------------------------------------------------------------------------

  message(text: string): void {
    this.#receive(text);
  }

  connected(): void {
    this.#outgoing?.resume();
  }

  disconnected(code: number, reason: string): void {
    this.#lastClose = { code, reason };
    this.#outgoing?.interrupt(
      new OcppError('OCPP_ERR_CONNECTION_CLOSED', `Connection closed (${code}) before the CALL was answered`),
    );
    const listeners = this.#rare?.disconnectListeners;
    if (typeof listeners === 'function') listeners(this.#lastClose);
    else if (listeners) for (const listener of listeners) listener(this.#lastClose);
  }

  ended(): void {
    this.#ended = true;
    this.#outgoing?.failAll(new OcppError('OCPP_ERR_CONNECTION_CLOSED', 'Connection closed'));
    const rare = this.#rare;
    if (rare?.resolveClosed) {
      rare.resolveClosed(this.#lastClose);
      rare.resolveClosed = undefined;
    }
    try {
      this.#settings.onClosed?.(this.#lastClose, this.owner);
    } catch (error) {
      this.logAt('error')?.error({ err: error }, 'onClosed listener failed');
    }
  }

  // --- CallWriter --------------------------------------------------------------------------------

  writeCall(id: string, action: string, payload: Record<string, unknown>): boolean {
    return this.#write([MessageType.CALL, id, action, payload], action);
  }

  isOpen(): boolean {
    return this.transport.connected;
  }

  // --- Outgoing ----------------------------------------------------------------------------------

  /** Sends a CALL and resolves with the peer's CALLRESULT payload. */
  call(action: string, payload: Record<string, unknown>, options: CallOptions = {}): Promise<unknown> {
    const validate = options.validate ?? this.strict;
    if (!this.validator.hasAction(action)) {
      return Promise.reject(
        new OcppError('OCPP_ERR_UNKNOWN_ACTION', `${action} is not an ${this.protocol} action`),
      );
    }
    if (validate) {
      const failure = this.validator.validate(action, 'request', payload);
      if (failure) {
        return Promise.reject(
          new ValidationError(
            'OCPP_ERR_REQUEST_INVALID',
            `${action} request: ${failure.description}`,
            failureCode(failure.failure),
            failure.path,
          ),
        );
      }
    }
    if (this.#ended) {
      return Promise.reject(new OcppError('OCPP_ERR_CONNECTION_CLOSED', 'Connection closed'));
    }
    this.#outgoing ??= new OutgoingCalls(this, this.#settings.defaultTimeoutMs);
    return this.#outgoing.enqueue(action, payload, options).then(({ messageId, result }) => {
      if (validate) {
        const failure = this.validator.validate(action, 'response', result);
        if (failure) {
          if (this.protocol === 'ocpp2.1') {
            // 2.1 Part 4 §4.2.4: a CALLRESULT that cannot be processed is answered with CALLRESULTERROR.
            this.#write([
              MessageType.CALLRESULTERROR,
              messageId,
              codeForFailure(this.protocol, failure.failure),
              failure.description.slice(0, MAX_ERROR_DESCRIPTION),
              {},
            ]);
          }
          throw new ValidationError(
            'OCPP_ERR_RESPONSE_INVALID',
            `${action} response: ${failure.description}`,
            failureCode(failure.failure),
            failure.path,
          );
        }
      }
      return result;
    });
  }

  /** OCPP 2.1 SEND: an unconfirmed message, not queued behind an outstanding CALL (2.1 Part 4 §4.2.5). */
  send(action: string, payload: Record<string, unknown>, options: { validate?: boolean } = {}): void {
    if (this.protocol !== 'ocpp2.1') {
      throw new OcppError(
        'OCPP_ERR_UNSUPPORTED_FRAME',
        `SEND frames exist only in OCPP 2.1, not ${this.protocol}`,
      );
    }
    if (!this.validator.hasRequest(action)) {
      throw new OcppError('OCPP_ERR_UNKNOWN_ACTION', `${action} is not an ${this.protocol} action`);
    }
    if (options.validate ?? this.strict) {
      const failure = this.validator.validate(action, 'request', payload);
      if (failure) {
        throw new ValidationError(
          'OCPP_ERR_REQUEST_INVALID',
          `${action} request: ${failure.description}`,
          failureCode(failure.failure),
          failure.path,
        );
      }
    }
    this.#write([MessageType.SEND, nextMessageId(), action, payload], action);
  }

  // --- Incoming ----------------------------------------------------------------------------------

  #receive(text: string): void {
    const frame = readFrame(text, this.protocol);
    if (!isFrame(frame)) {
      this.#emitFrame('in', text);
      this.logAt('warn')?.warn({ failure: frame.failure, description: frame.description }, 'malformed frame');
      this.answerFailure(frame.messageId, frame.failure, frame.description);
      return;
    }
    switch (frame[0]) {
      case MessageType.CALL:
        this.#emitFrame('in', text, frame, frame[2]);
        answerCall(this, frame[1], frame[2], frame[3], false);
        return;
      case MessageType.CALLRESULT:
        this.#emitFrame('in', text, frame, this.#outgoing?.actionOf(frame[1]));
        if (!this.#outgoing?.settle(frame[1], { result: frame[2] })) {
          this.logAt('warn')?.warn({ messageId: frame[1] }, 'CALLRESULT for an unknown message id dropped');
        }
        return;
      case MessageType.CALLERROR: {
        const action = this.#outgoing?.actionOf(frame[1]);
        this.#emitFrame('in', text, frame, action);
        const error = new CallErrorResponse(
          action ?? 'CALL',
          readCode(frame[2]),
          frame[2],
          frame[3],
          frame[4],
        );
        if (!this.#outgoing?.settle(frame[1], { error })) {
          this.logAt('warn')?.warn(
            { messageId: frame[1], errorCode: frame[2] },
            'CALLERROR for an unknown message id dropped',
          );
        }
        return;
      }
      case MessageType.CALLRESULTERROR:
      case MessageType.SEND:
        if (this.protocol !== 'ocpp2.1') {
          this.#emitFrame('in', text, frame);
          this.answerFailure(frame[1], 'unknown-message-type', `Message type ${frame[0]} is not supported`);
          return;
        }
        if (frame[0] === MessageType.SEND) {
          this.#emitFrame('in', text, frame, frame[2]);
          answerCall(this, frame[1], frame[2], frame[3], true);
        } else {
          this.#emitFrame('in', text, frame);
          this.logAt('warn')?.warn(
            { messageId: frame[1], errorCode: frame[2], description: frame[3] },
            'peer could not process our CALLRESULT (CALLRESULTERROR)',
          );
        }
        return;
    }
  }

  // --- AnsweringSession (incoming-calls.ts) ------------------------------------------------------

  route(action: string): Route | undefined {
    return resolveRoute(action, this.#rare?.own, this.#settings.decorated, this.#settings.shared);
  }

  runGuards(action: string, payload: Record<string, unknown>): void {
    const guards = this.#guards;
    if (typeof guards === 'function') guards(action, payload, this.owner);
    else if (guards) for (const guard of guards) guard(action, payload, this.owner);
  }

  isHandling(id: string): boolean {
    const handling = this.#handling;
    return handling === id || (typeof handling === 'object' && handling.has(id));
  }

  startHandling(id: string): void {
    const handling = this.#handling;
    if (handling === undefined) this.#handling = id;
    else if (typeof handling === 'string') this.#handling = new Set([handling, id]);
    else handling.add(id);
  }

  stopHandling(id: string): void {
    const handling = this.#handling;
    if (handling === id) {
      this.#handling = undefined;
    } else if (typeof handling === 'object') {
      handling.delete(id);
      if (handling.size === 0) this.#handling = undefined;
    }
  }

  writeResult(id: string, action: string, response: unknown): void {
    this.#write([MessageType.CALLRESULT, id, response as Record<string, unknown>], action);
  }

  answerFailure(id: string, kind: FailureKind, description: string, action?: string): void {
    const code = codeForFailure(this.protocol, kind);
    if (code === 'ignore') return;
    this.#writeError(id, code, description, {}, action);
  }

  answerCallError(
    id: string,
    code: CallErrorCode,
    description: string,
    details: Record<string, unknown>,
    action?: string,
  ): void {
    this.#writeError(id, spellCode(this.protocol, code), description, details, action);
  }

  /** The logger when `level` is on: a silent one never gets a child made just to drop a line. */
  logAt(level: 'debug' | 'warn' | 'error'): Logger | undefined {
    return (this.#rare?.log ?? this.#settings.logger).isLevelEnabled(level) ? this.logger : undefined;
  }

  // --- Writing -----------------------------------------------------------------------------------

  /** `action`: of the CALL refused, when it was read (frame listeners see it, as for a CALLRESULT). */
  #writeError(
    id: string,
    code: string,
    description: string,
    details: Record<string, unknown>,
    action?: string,
  ): void {
    this.#write(
      [MessageType.CALLERROR, id, code, description.slice(0, MAX_ERROR_DESCRIPTION), details],
      action,
    );
  }

  #write(frame: Frame, action?: string): boolean {
    const text = JSON.stringify(frame);
    this.#emitFrame('out', text, frame, action);
    // Other CALLs of the peer are still being handled: their answers are likely ready in this same
    // turn (a group commit answers them together), and one write for all of them crosses the
    // kernel's network path once instead of once per frame.
    if (this.#handling !== undefined) this.transport.gatherWrites?.();
    const sent = this.transport.send(text);
    if (!sent) {
      this.logAt('debug')?.debug(
        { messageType: frame[0], messageId: frame[1] },
        'frame not sent: socket closed',
      );
    }
    return sent;
  }

  /** Logs the frame at debug and hands it to the frame listeners; builds nothing when nobody looks. */
  #emitFrame(direction: 'in' | 'out', text: string, frame?: Frame, action?: string): void {
    this.logAt('debug')?.debug({ direction, frame: text }, 'frame');
    const listeners = this.#frameListeners;
    if (!listeners) return;
    const event: FrameEvent = { direction, text, frame, action };
    if (typeof listeners === 'function') this.#tell(listeners, event);
    else for (const listener of listeners) this.#tell(listener, event);
  }

  #tell(listener: FrameListener, event: FrameEvent): void {
    try {
      listener(event, this.owner);
    } catch (error) {
      this.logAt('error')?.error({ err: error }, 'frame listener failed');
    }
  }
}

/** The events as functions of their own, for a transport that may copy or spread them. */
function eventFunctions(session: RpcSession): TransportEvents {
  return {
    message: (text) => session.message(text),
    connected: () => session.connected(),
    disconnected: (code, reason) => session.disconnected(code, reason),
    ended: () => session.ended(),
  };
}

/** The CALLERROR code (2.x spelling) that describes a validation failure kind. */
function failureCode(kind: FailureKind): CallErrorCode {
  return codeForFailure('ocpp2.0.1', kind) as CallErrorCode;
}
