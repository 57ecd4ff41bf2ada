/**
 * The RPC session of one connection: message ids, one outstanding CALL per direction, timeouts,
 * and the answer to every incoming frame (OCPP-J 1.6 §4, 2.0.1 Part 4 §4, 2.1 Part 4 §4).
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import {
  type CallErrorCode,
  codeForFailure,
  type FailureKind,
  MAX_ERROR_DESCRIPTION,
  readCode,
  spellCode,
} from '../errors/call-error-codes.js';
import { CallErrorReply, CallErrorResponse, OcppError, ValidationError } from '../errors/errors.js';
import { type Frame, isFailure, MessageType, parseFrame } from '../frames/frame.js';
import type { OcppProtocol } from '../protocols.js';
import type { Transport } from '../transport/transport.js';
import type { Validator } from '../validation/validator.js';
import { OutgoingCalls } from './outgoing-calls.js';

/** What the session needs to answer an incoming CALL or SEND. */
export interface Dispatcher {
  /** The handler for an action, or undefined when this side does not support it. */
  route(action: string): RouteTarget | undefined;
}

export interface RouteTarget {
  readonly validate: boolean;
  invoke(payload: Record<string, unknown>, context: IncomingContext): unknown;
  /** Runs after the CALLRESULT was sent (the `@after` hooks). */
  after?(payload: Record<string, unknown>, response: unknown, context: IncomingContext): void | Promise<void>;
}

export interface IncomingContext {
  /** The object that owns the session (the ChargePoint), handed to handlers. */
  readonly chargePoint: unknown;
  readonly messageId: string;
  readonly action: string;
  /** True for an OCPP 2.1 SEND: the return value is not sent anywhere. */
  readonly unconfirmed: boolean;
}

/** A guard may throw `CallErrorReply` to refuse a CALL before its handler runs. */
export type CallGuard = (action: string, payload: Record<string, unknown>) => void;

export interface FrameEvent {
  readonly direction: 'in' | 'out';
  readonly text: string;
  /** Undefined when the incoming text could not be parsed. */
  readonly frame?: Frame;
  /** Action of a CALL/SEND, or of the CALL a result answers when known. */
  readonly action?: string;
}

export interface CallOptions {
  /** Milliseconds to wait for the answer once the CALL is sent; default: the session's (30 s). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Validate our request and the peer's response (default: the session's `strict`). */
  readonly validate?: boolean;
}

export interface SessionOptions {
  readonly transport: Transport;
  readonly validator: Validator;
  readonly dispatcher: Dispatcher;
  readonly logger: Logger;
  readonly defaultTimeoutMs: number;
  readonly strict: boolean;
  /** Put in every handler context as `chargePoint`. */
  readonly owner?: unknown;
}

const INTERNAL_ERROR_DESCRIPTION = 'An internal error occurred while processing the request';

export class RpcSession {
  readonly protocol: OcppProtocol;
  readonly #transport: Transport;
  readonly #validator: Validator;
  readonly #dispatcher: Dispatcher;
  readonly #log: Logger;
  readonly #strict: boolean;
  readonly #owner: unknown;
  readonly #outgoing: OutgoingCalls;
  readonly #incomingIds = new Set<string>();
  readonly #idPrefix = randomBytes(4).toString('hex');
  #idCounter = 0;
  #guards: CallGuard[] = [];
  #frameListeners: Array<(event: FrameEvent) => void> = [];

  constructor(options: SessionOptions) {
    this.protocol = options.transport.protocol;
    this.#transport = options.transport;
    this.#validator = options.validator;
    this.#dispatcher = options.dispatcher;
    this.#log = options.logger;
    this.#strict = options.strict;
    this.#owner = options.owner;
    this.#outgoing = new OutgoingCalls({
      defaultTimeoutMs: options.defaultTimeoutMs,
      send: (id, action, payload) => this.#write([MessageType.CALL, id, action, payload], action),
      nextId: () => this.nextMessageId(),
      connected: () => this.#transport.connected,
    });
  }

  /** Starts reading from the transport. */
  start(events: { disconnected?(code: number, reason: string): void; ended?(): void } = {}): void {
    this.#transport.attach({
      message: (text) => this.#receive(text),
      connected: () => this.#outgoing.resume(),
      disconnected: (code, reason) => {
        this.#outgoing.interrupt(
          new OcppError(
            'OCPP_ERR_CONNECTION_CLOSED',
            `Connection closed (${code}) before the CALL was answered`,
          ),
        );
        events.disconnected?.(code, reason);
      },
      ended: () => {
        this.#outgoing.failAll(new OcppError('OCPP_ERR_CONNECTION_CLOSED', 'Connection closed'));
        events.ended?.();
      },
    });
  }

  nextMessageId(): string {
    this.#idCounter = (this.#idCounter + 1) % Number.MAX_SAFE_INTEGER;
    return `${this.#idPrefix}-${this.#idCounter.toString(36)}`;
  }

  addGuard(guard: CallGuard): void {
    this.#guards.push(guard);
  }

  onFrame(listener: (event: FrameEvent) => void): () => void {
    this.#frameListeners.push(listener);
    return () => {
      this.#frameListeners = this.#frameListeners.filter((l) => l !== listener);
    };
  }

  /** Sends a CALL and resolves with the peer's CALLRESULT payload. */
  call(action: string, payload: Record<string, unknown>, options: CallOptions = {}): Promise<unknown> {
    const validate = options.validate ?? this.#strict;
    if (!this.#validator.hasAction(action)) {
      return Promise.reject(
        new OcppError('OCPP_ERR_UNKNOWN_ACTION', `${action} is not an ${this.protocol} action`),
      );
    }
    if (validate) {
      const failure = this.#validator.validate(action, 'request', payload);
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
    return this.#outgoing.enqueue(action, payload, options).then(({ messageId, result }) => {
      if (validate) {
        const failure = this.#validator.validate(action, 'response', result);
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
    if (!this.#validator.hasRequest(action)) {
      throw new OcppError('OCPP_ERR_UNKNOWN_ACTION', `${action} is not an ${this.protocol} action`);
    }
    if (options.validate ?? this.#strict) {
      const failure = this.#validator.validate(action, 'request', payload);
      if (failure) {
        throw new ValidationError(
          'OCPP_ERR_REQUEST_INVALID',
          `${action} request: ${failure.description}`,
          failureCode(failure.failure),
          failure.path,
        );
      }
    }
    this.#write([MessageType.SEND, this.nextMessageId(), action, payload], action);
  }

  #receive(text: string): void {
    const parsed = parseFrame(text, this.protocol);
    if (isFailure(parsed)) {
      this.#emitFrame('in', text);
      this.#log.warn({ failure: parsed.failure, description: parsed.description }, 'malformed frame');
      this.#answerFailure(parsed.messageId, parsed.failure, parsed.description);
      return;
    }
    const frame = parsed.frame;
    switch (frame[0]) {
      case MessageType.CALL:
        this.#emitFrame('in', text, frame, frame[2]);
        void this.#handleCall(frame[1], frame[2], frame[3], false);
        return;
      case MessageType.CALLRESULT:
        this.#emitFrame('in', text, frame, this.#outgoing.actionOf(frame[1]));
        if (!this.#outgoing.settle(frame[1], { result: frame[2] })) {
          this.#log.warn({ messageId: frame[1] }, 'CALLRESULT for an unknown message id dropped');
        }
        return;
      case MessageType.CALLERROR: {
        const action = this.#outgoing.actionOf(frame[1]);
        this.#emitFrame('in', text, frame, action);
        const error = new CallErrorResponse(
          action ?? 'CALL',
          readCode(frame[2]),
          frame[2],
          frame[3],
          frame[4],
        );
        if (!this.#outgoing.settle(frame[1], { error })) {
          this.#log.warn(
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
          this.#answerFailure(frame[1], 'unknown-message-type', `Message type ${frame[0]} is not supported`);
          return;
        }
        if (frame[0] === MessageType.SEND) {
          this.#emitFrame('in', text, frame, frame[2]);
          void this.#handleCall(frame[1], frame[2], frame[3], true);
        } else {
          this.#emitFrame('in', text, frame);
          this.#log.warn(
            { messageId: frame[1], errorCode: frame[2], description: frame[3] },
            'peer could not process our CALLRESULT (CALLRESULTERROR)',
          );
        }
        return;
    }
  }

  async #handleCall(
    id: string,
    action: string,
    payload: Record<string, unknown>,
    unconfirmed: boolean,
  ): Promise<void> {
    const answer = (kind: FailureKind, description: string) => {
      if (unconfirmed) this.#log.warn({ action, kind, description }, 'SEND message not processed');
      else this.#answerFailure(id, kind, description);
    };
    if (!unconfirmed && this.#incomingIds.has(id)) {
      // 2.0.1 Part 4 §4.2.3: "an existing call with the same unique identifier is being handled already".
      return answer('duplicate-message-id', `A CALL with id ${id} is already being processed`);
    }
    if (!this.#validator.hasRequest(action)) {
      return answer('unknown-action', `Action ${action} is not known in ${this.protocol}`);
    }
    if (!unconfirmed && !this.#validator.hasResponse(action)) {
      return answer(
        'unknown-action',
        `Action ${action} is a SEND-only message in ${this.protocol}, not a CALL`,
      );
    }
    const route = this.#dispatcher.route(action);
    if (!route) return answer('unsupported-action', `Action ${action} is not supported`);
    const validate = this.#strict && route.validate;
    if (validate) {
      const failure = this.#validator.validate(action, 'request', payload);
      if (failure) return answer(failure.failure, `${action}: ${failure.description}`);
    }
    const context: IncomingContext = { chargePoint: this.#owner, messageId: id, action, unconfirmed };
    let response: unknown;
    this.#incomingIds.add(id);
    try {
      for (const guard of this.#guards) guard(action, payload);
      response = await route.invoke(payload, context);
    } catch (error) {
      this.#incomingIds.delete(id);
      if (error instanceof CallErrorReply) {
        if (!unconfirmed) this.#sendCallError(id, error.errorCode, error.message, error.details);
        return;
      }
      this.#log.error({ err: error, action }, 'handler failed');
      return answer('handler-failed', INTERNAL_ERROR_DESCRIPTION);
    }
    this.#incomingIds.delete(id);
    if (unconfirmed) return;
    if (validate) {
      const failure = this.#validator.validate(action, 'response', response);
      if (failure) {
        this.#log.error({ action, failure: failure.description }, 'handler returned an invalid response');
        return answer('invalid-response', `Invalid ${action} response: ${failure.description}`);
      }
    }
    this.#write([MessageType.CALLRESULT, id, response as Record<string, unknown>], action);
    if (route.after) {
      try {
        await route.after(payload, response, context);
      } catch (error) {
        this.#log.error({ err: error, action }, 'after-hook failed');
      }
    }
  }

  #answerFailure(id: string, kind: FailureKind, description: string): void {
    const code = codeForFailure(this.protocol, kind);
    if (code === 'ignore') return;
    this.#writeError(id, code, description, {});
  }

  #sendCallError(
    id: string,
    code: CallErrorCode,
    description: string,
    details: Record<string, unknown>,
  ): void {
    this.#writeError(id, spellCode(this.protocol, code), description, details);
  }

  #writeError(id: string, code: string, description: string, details: Record<string, unknown>): void {
    this.#write([MessageType.CALLERROR, id, code, description.slice(0, MAX_ERROR_DESCRIPTION), details]);
  }

  #write(frame: Frame, action?: string): boolean {
    const text = JSON.stringify(frame);
    this.#emitFrame('out', text, frame, action);
    const sent = this.#transport.send(text);
    if (!sent)
      this.#log.debug({ messageType: frame[0], messageId: frame[1] }, 'frame not sent: socket closed');
    return sent;
  }

  /** Logs the frame at debug and hands it to the frame listeners; builds nothing when nobody looks. */
  #emitFrame(direction: 'in' | 'out', text: string, frame?: Frame, action?: string): void {
    if (this.#log.isLevelEnabled('debug')) this.#log.debug({ direction, frame: text }, 'frame');
    if (this.#frameListeners.length === 0) return;
    const event: FrameEvent = { direction, text, frame, action };
    for (const listener of this.#frameListeners) {
      try {
        listener(event);
      } catch (error) {
        this.#log.error({ err: error }, 'frame listener failed');
      }
    }
  }
}

/** The CALLERROR code (2.x spelling) that describes a validation failure kind. */
function failureCode(kind: FailureKind): CallErrorCode {
  return codeForFailure('ocpp2.0.1', kind) as CallErrorCode;
}
