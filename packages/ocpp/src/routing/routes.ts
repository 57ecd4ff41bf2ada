/**
 * `Routes`: a route table shared by any number of ChargePoints (`new ChargePoint(transport, { routes })`).
 * A CSMS registers its handlers once instead of once per station: every station then costs no
 * closure and no table of its own. Handlers find the station in `context.chargePoint`.
 */
import type { AfterHook, ChargePoint, Handler, HandlerContext } from '../charge-point.js';
import type { OcppProtocol } from '../protocols.js';
import { type AnyAfter, type AnyHandler, type HandleOptions, Router } from './router.js';
import type { ActionMapOf, ActionOf } from './types.js';

/** Receives an OCPP 2.1 SEND message; nothing is answered, whatever it returns. */
export type SendHandler<S, A extends keyof S, CP> = (
  payload: S[A],
  context: HandlerContext<CP>,
) => void | Promise<void>;

let tableOf: (routes: Routes<never, unknown, object>) => Router;

/**
 * Handlers shared by many ChargePoints, typed by a version's action map; import the typed class
 * from `ocppkit/v16`, `ocppkit/v201` or `ocppkit/v21`. Registering after ChargePoints were made is
 * fine: they look the table up on every CALL, never copy it.
 * @example
 * const routes = new Routes() // from 'ocppkit/v16'
 *   .handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }))
 *   .handle('BootNotification', (request, { chargePoint }) => boot(chargePoint.identity, request));
 * createServer({ onConnection: (connection) => { new ChargePoint(connection, { routes }); } });
 */
export class Routes<M extends ActionMapOf<M>, CP = ChargePoint<M>, S extends object = {}> {
  /** The protocol of a versioned subclass; a ChargePoint of another version refuses these routes. */
  static readonly protocol: OcppProtocol | undefined = undefined;

  readonly #router = new Router();

  static {
    tableOf = (routes) => routes.#router;
  }

  /**
   * Answers CALLs of `action` with `handler`; its return value is the CALLRESULT. A ChargePoint's
   * own `handle()` for the same action takes precedence over this one.
   */
  // NoInfer: as in ChargePoint.handle, `A` comes from the action name alone.
  handle<A extends ActionOf<M>>(
    action: A,
    handler: NoInfer<Handler<M, A, CP>>,
    options?: HandleOptions,
  ): this {
    this.#router.handle(action, handler as unknown as AnyHandler, options);
    return this;
  }

  /** Runs `hook` after the CALLRESULT of `action` has been sent, with the request and the response. */
  after<A extends ActionOf<M>>(action: A, hook: NoInfer<AfterHook<M, A, CP>>): this {
    this.#router.after(action, hook as unknown as AnyAfter);
    return this;
  }

  /** Receives OCPP 2.1 SEND messages of `action` (2.1 Part 4 §4.2.5); they are never answered. */
  handleSend<A extends keyof S & string>(
    action: A,
    handler: NoInfer<SendHandler<S, A, CP>>,
    options?: HandleOptions,
  ): this {
    this.#router.handle(action, handler as unknown as AnyHandler, options);
    return this;
  }

  /** True when a handler is registered here for the action. */
  handles(action: ActionOf<M>): boolean {
    return this.#router.has(action);
  }
}

/** The table behind a `Routes` (for ChargePoint; not part of the public API). */
export function routerOf(routes: Routes<never, unknown, object>): Router {
  return tableOf(routes);
}
