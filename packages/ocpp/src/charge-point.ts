/**
 * `ChargePoint`: one OCPP peer over one transport, typed by a version's action map. The same class
 * serves the CSMS side (answer the station's CALLs, send commands) and the station side.
 * Import the typed class of a version from `ocppkit/v16`, `ocppkit/v201` or `ocppkit/v21`.
 */
import { type Logger, pino } from 'pino';
import { OcppError } from './errors/errors.js';
import type { OcppProtocol } from './protocols.js';
import { type HandleOptions, Router } from './routing/router.js';

type RouterHandler = Parameters<Router['handle']>[1];
type RouterAfter = Parameters<Router['after']>[1];

import type { ActionMapOf, ActionOf, MaybePromise, RequestOf, ResponseOf } from './routing/types.js';
import {
  type CallGuard,
  type CallOptions,
  type FrameEvent,
  type IncomingContext,
  RpcSession,
} from './rpc/session.js';
import type { Transport } from './transport/transport.js';
import { getValidator } from './validation/validator.js';

export interface ChargePointOptions {
  /** pino logger; a child with `{ identity, protocol }` is made from it. Default: silent. */
  readonly logger?: Logger;
  /** Validate every request and response both ways (default true). */
  readonly strict?: boolean;
  /** Default CALL timeout in milliseconds (default 30 000, the OCPP-J suggestion). */
  readonly callTimeoutMs?: number;
}

export interface HandlerContext<CP = ChargePoint<never>> extends IncomingContext {
  readonly chargePoint: CP;
}

export type Handler<M extends ActionMapOf<M>, A extends keyof M, CP = ChargePoint<M>> = (
  request: RequestOf<M, A>,
  context: HandlerContext<CP>,
) => MaybePromise<ResponseOf<M, A>>;

export type AfterHook<M extends ActionMapOf<M>, A extends keyof M, CP = ChargePoint<M>> = (
  request: RequestOf<M, A>,
  response: ResponseOf<M, A>,
  context: HandlerContext<CP>,
) => void | Promise<void>;

export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

const DEFAULT_CALL_TIMEOUT_MS = 30_000;
const silentLogger = pino({ level: 'silent' });

// biome-ignore lint/complexity/noBannedTypes: a version without SEND messages has an empty SendMap
export class ChargePoint<M extends ActionMapOf<M>, S extends object = {}> {
  /** The protocol a versioned subclass speaks; the transport must have negotiated it. */
  static readonly protocol: OcppProtocol | undefined = undefined;

  readonly identity: string;
  readonly protocol: OcppProtocol;
  readonly logger: Logger;
  /** Resolves once the transport has ended for good. */
  readonly closed: Promise<CloseInfo>;
  readonly #transport: Transport;
  readonly #router = new Router();
  readonly #session: RpcSession;
  #lastClose: CloseInfo = { code: 1006, reason: '' };
  #disconnectListeners: Array<(info: CloseInfo) => void> = [];

  constructor(transport: Transport, options: ChargePointOptions = {}) {
    const expected = (new.target as { protocol?: OcppProtocol }).protocol;
    if (expected && expected !== transport.protocol) {
      throw new OcppError(
        'OCPP_ERR_BAD_OPTIONS',
        `${new.target.name} speaks ${expected} but the connection negotiated ${transport.protocol}`,
      );
    }
    this.identity = transport.identity;
    this.protocol = transport.protocol;
    this.#transport = transport;
    this.logger = (options.logger ?? silentLogger).child({
      identity: this.identity,
      protocol: this.protocol,
    });
    this.#session = new RpcSession({
      transport,
      validator: getValidator(this.protocol),
      dispatcher: this.#router,
      logger: this.logger,
      defaultTimeoutMs: options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
      strict: options.strict ?? true,
      owner: this,
    });
    let resolveClosed: (info: CloseInfo) => void = () => {};
    this.closed = new Promise((resolve) => {
      resolveClosed = resolve;
    });
    // Started on the next tick so that subclass initializers (the `@on` decorators) have registered.
    queueMicrotask(() =>
      this.#session.start({
        disconnected: (code, reason) => {
          this.#lastClose = { code, reason };
          for (const listener of this.#disconnectListeners) listener(this.#lastClose);
        },
        ended: () => resolveClosed(this.#lastClose),
      }),
    );
  }

  /** True while the socket is open. */
  get connected(): boolean {
    return this.#transport.connected;
  }

  /**
   * Answers CALLs of `action` with `handler`; its return value is the CALLRESULT.
   * @example cp.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }))
   */
  // NoInfer: `A` comes from the action name alone; inferring it from the handler too widened the
  // handler's literals ('Accepted' → string) and rejected a correct handler.
  handle<A extends ActionOf<M>>(
    action: A,
    handler: NoInfer<Handler<M, A, this>>,
    options?: HandleOptions,
  ): this {
    // The session puts this ChargePoint into every context, so the handler is registered as it is.
    this.#router.handle(action, handler as unknown as RouterHandler, options);
    return this;
  }

  /** Runs `hook` after the CALLRESULT of `action` has been sent, with the request and the response. */
  after<A extends ActionOf<M>>(action: A, hook: NoInfer<AfterHook<M, A, this>>): this {
    this.#router.after(action, hook as unknown as RouterAfter);
    return this;
  }

  /**
   * Sends a CALL and resolves with the typed CALLRESULT. Rejects with `CallErrorResponse` on a
   * CALLERROR, `OcppError` (`OCPP_ERR_TIMEOUT`, `OCPP_ERR_ABORTED`, …) otherwise.
   * @example const res = await cp.call('RemoteStartTransaction', { idTag: 'TAG1' })
   */
  call<A extends ActionOf<M>>(
    action: A,
    payload: RequestOf<M, A>,
    options?: CallOptions,
  ): Promise<ResponseOf<M, A>> {
    return this.#session.call(action, payload as Record<string, unknown>, options) as Promise<
      ResponseOf<M, A>
    >;
  }

  /** OCPP 2.1 SEND: an unconfirmed message that is never answered (2.1 Part 4 §4.2.5). */
  send<A extends keyof S & string>(action: A, payload: S[A], options?: { validate?: boolean }): void {
    this.#session.send(action, payload as Record<string, unknown>, options);
  }

  /** Receives OCPP 2.1 SEND messages of `action`; nothing is answered, whatever the handler returns. */
  handleSend<A extends keyof S & string>(
    action: A,
    handler: (payload: S[A], context: HandlerContext<this>) => void | Promise<void>,
    options?: HandleOptions,
  ): this {
    // The session puts this ChargePoint into every context, so the handler is registered as it is.
    this.#router.handle(action, handler as unknown as RouterHandler, options);
    return this;
  }

  /** Runs before every incoming CALL's handler; throw `CallErrorReply` to refuse it. */
  guard(guard: CallGuard): this {
    this.#session.addGuard(guard);
    return this;
  }

  /** Observes every frame in and out (for recording); returns a function that stops it. */
  onFrame(listener: (event: FrameEvent) => void): () => void {
    return this.#session.onFrame(listener);
  }

  /** Called each time the socket closes (a client may reconnect afterwards). */
  onDisconnect(listener: (info: CloseInfo) => void): void {
    this.#disconnectListeners.push(listener);
  }

  /** True when a handler is registered for the action. */
  handles(action: ActionOf<M>): boolean {
    return this.#router.has(action);
  }

  /** Closes the connection (close code 1000 by default) and waits for it to end. */
  async close(code = 1000, reason = ''): Promise<void> {
    await this.#transport.close(code, reason);
  }
}
