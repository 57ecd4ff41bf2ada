/**
 * `ChargePoint`: one OCPP peer over one transport, typed by a version's action map. The same class
 * serves the CSMS side (answer the station's CALLs, send commands) and the station side.
 * Import the typed class of a version from `ocppkit/v16`, `ocppkit/v201` or `ocppkit/v21`.
 */
import { type Logger, pino } from 'pino';
import { OcppError } from './errors/errors.js';
import type { OcppProtocol } from './protocols.js';
import { decoratedRoutes } from './routing/decorators.js';
import type { AnyAfter, AnyHandler, HandleOptions } from './routing/router.js';
import { type Routes, routerOf, type SendHandler } from './routing/routes.js';
import type { ActionMapOf, ActionOf, MaybePromise, RequestOf, ResponseOf } from './routing/types.js';
import {
  type CallGuard,
  type CallOptions,
  type ClosedListener,
  type CloseInfo,
  type FrameListener,
  type IncomingContext,
  RpcSession,
  type SessionSettings,
} from './rpc/session.js';
import type { Transport } from './transport/transport.js';
import { getValidator } from './validation/validator.js';

export type { CloseInfo };

/**
 * Read once per options object: ChargePoints made with the same object share what is made from it
 * (pass one object to every station of a CSMS), so change an option by passing a new object.
 */
export interface ChargePointOptions<M extends ActionMapOf<M> = never, S extends object = {}> {
  /** pino logger; a child with `{ identity, protocol }` is made from it when first used. Default: silent. */
  readonly logger?: Logger;
  /** Validate every request and response both ways (default true). */
  readonly strict?: boolean;
  /** Default CALL timeout in milliseconds (default 30 000, the OCPP-J suggestion). */
  readonly callTimeoutMs?: number;
  /**
   * Handlers shared with other ChargePoints, never copied. This ChargePoint's own `handle()` for an
   * action (and a decorated method of its class) answers instead of the shared one; the after-hooks
   * of all of them run, the shared ones first.
   */
  readonly routes?: Routes<M, never, S>;
  /**
   * Runs before every incoming CALL's handler, like `guard()`, and before the guards `guard()` adds.
   * Given the ChargePoint, one function serves every station: pass the same one to each, and no
   * station keeps a closure or a list of its own.
   */
  readonly guard?: CallGuard<ChargePoint<M, S>>;
  /** Sees every frame in and out, like `onFrame()`; one function for every station, as `guard`. */
  readonly onFrame?: FrameListener<ChargePoint<M, S>>;
  /**
   * Called once the transport has ended for good (when `closed` resolves), with the last close; one
   * function for every station, as `guard`, and no promise per station.
   */
  readonly onClosed?: ClosedListener<ChargePoint<M, S>>;
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

const DEFAULT_CALL_TIMEOUT_MS = 30_000;
const silentLogger = pino({ level: 'silent' });
const NO_OPTIONS: ChargePointOptions<never> = Object.freeze({});

/**
 * The session settings made from each options object, per ChargePoint class and protocol: the
 * ChargePoints made with the same options (a CSMS passes one object for all its stations) share
 * one settings object, instead of each session keeping a copy of every option.
 */
const settingsCache = new WeakMap<object, Map<Function, Partial<Record<OcppProtocol, SessionSettings>>>>();

function sessionSettings(
  options: ChargePointOptions<never, object>,
  chargePointClass: Function,
  protocol: OcppProtocol,
): SessionSettings {
  let byClass = settingsCache.get(options);
  if (!byClass) {
    byClass = new Map();
    settingsCache.set(options, byClass);
  }
  let byProtocol = byClass.get(chargePointClass);
  if (!byProtocol) {
    byProtocol = {};
    byClass.set(chargePointClass, byProtocol);
  }
  const cached = byProtocol[protocol];
  if (cached) return cached;
  const routes = options.routes;
  const settings: SessionSettings = {
    validator: getValidator(protocol),
    logger: options.logger ?? silentLogger,
    defaultTimeoutMs: options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    strict: options.strict ?? true,
    decorated: decoratedRoutes(chargePointClass, ChargePoint.prototype),
    shared: routes && routerOf(routes as Routes<never, unknown, object>),
    guard: options.guard as CallGuard | undefined,
    onFrame: options.onFrame as FrameListener | undefined,
    onClosed: options.onClosed as ClosedListener | undefined,
  };
  byProtocol[protocol] = settings;
  return settings;
}

export class ChargePoint<M extends ActionMapOf<M>, S extends object = {}> {
  /** The protocol a versioned subclass speaks; the transport must have negotiated it. */
  static readonly protocol: OcppProtocol | undefined = undefined;

  readonly #session: RpcSession;

  constructor(transport: Transport, options: ChargePointOptions<M, S> = NO_OPTIONS) {
    const expected = (new.target as { protocol?: OcppProtocol }).protocol;
    if (expected && expected !== transport.protocol) {
      throw new OcppError(
        'OCPP_ERR_BAD_OPTIONS',
        `${new.target.name} speaks ${expected} but the connection negotiated ${transport.protocol}`,
      );
    }
    const routes = options.routes;
    const routesProtocol = (routes?.constructor as { protocol?: OcppProtocol } | undefined)?.protocol;
    if (routesProtocol && routesProtocol !== transport.protocol) {
      throw new OcppError(
        'OCPP_ERR_BAD_OPTIONS',
        `routes for ${routesProtocol} given to a ChargePoint of a ${transport.protocol} connection`,
      );
    }
    const session = new RpcSession({
      transport,
      owner: this,
      settings: sessionSettings(options as ChargePointOptions<never, object>, new.target, transport.protocol),
    });
    this.#session = session;
    // Started after the constructor, so that `new ChargePoint(t).handle(…)` has registered before the
    // messages that arrived meanwhile are delivered.
    queueMicrotask(() => session.start());
  }

  /** The station's identity (the transport's; not copied, as an idle CSMS holds thousands). */
  get identity(): string {
    return this.#session.transport.identity;
  }

  /** The OCPP version the connection negotiated. */
  get protocol(): OcppProtocol {
    return this.#session.transport.protocol;
  }

  /** The pino child `{ identity, protocol }` of the `logger` option, made on first use. */
  get logger(): Logger {
    return this.#session.logger;
  }

  /** Resolves once the transport has ended for good. */
  get closed(): Promise<CloseInfo> {
    return this.#session.closed;
  }

  /** True while the socket is open. */
  get connected(): boolean {
    return this.#session.transport.connected;
  }

  /**
   * Answers CALLs of `action` with `handler`; its return value is the CALLRESULT. It takes precedence
   * over the `routes` option and the class's `@on` for this action, on this ChargePoint only.
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
    this.#session.ownRoutes().handle(action, handler as unknown as AnyHandler, options);
    return this;
  }

  /** Runs `hook` after the CALLRESULT of `action` has been sent, with the request and the response. */
  after<A extends ActionOf<M>>(action: A, hook: NoInfer<AfterHook<M, A, this>>): this {
    this.#session.ownRoutes().after(action, hook as unknown as AnyAfter);
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
    handler: SendHandler<S, A, this>,
    options?: HandleOptions,
  ): this {
    this.#session.ownRoutes().handle(action, handler as unknown as AnyHandler, options);
    return this;
  }

  /**
   * Runs before every incoming CALL's handler (after the `guard` option's); throw `CallErrorReply`
   * to refuse it. The guard gets the action, the payload and this ChargePoint.
   */
  guard(guard: CallGuard<this>): this {
    this.#session.addGuard(guard as CallGuard);
    return this;
  }

  /** Observes every frame in and out (for recording); returns a function that stops it. */
  onFrame(listener: FrameListener<this>): () => void {
    return this.#session.onFrame(listener as FrameListener);
  }

  /** Called each time the socket closes (a client may reconnect afterwards). */
  onDisconnect(listener: (info: CloseInfo) => void): void {
    this.#session.onDisconnect(listener);
  }

  /** True when a handler answers the action: its own, its class's `@on`, or the shared `routes`. */
  handles(action: ActionOf<M>): boolean {
    return this.#session.handles(action);
  }

  /** Closes the connection (close code 1000 by default) and waits for it to end. */
  async close(code = 1000, reason = ''): Promise<void> {
    await this.#session.transport.close(code, reason);
  }
}
