/**
 * One route table: `handle(action, fn)` answers a CALL, `after(action, fn)` runs once its CALLRESULT
 * has been sent. The public `Routes`, a ChargePoint's own registrations and the per-class table of
 * the `@on` / `@after` decorators are each one of these; `resolveRoute` looks an action up along them.
 */
import type { IncomingContext } from '../rpc/session.js';

export interface HandleOptions {
  /**
   * Validate this action's request and our response against the schema (default true). Turn it off
   * for stations in the field that send slightly non-conformant payloads.
   */
  readonly validate?: boolean;
}

export type AnyHandler = (payload: never, context: IncomingContext) => unknown;
export type AnyAfter = (payload: never, response: never, context: IncomingContext) => void | Promise<void>;

/** What answers one action. Handlers get the ChargePoint through `context.chargePoint`, never `this`. */
export interface Route {
  readonly handler: AnyHandler | undefined;
  readonly validate: boolean;
  /** In the order they run; the same empty array for every route without hooks. */
  readonly afters: readonly AnyAfter[];
}

interface MutableRoute {
  handler: AnyHandler | undefined;
  validate: boolean;
  afters: readonly AnyAfter[];
}

const NO_AFTERS: readonly AnyAfter[] = Object.freeze([]);

export class Router {
  readonly #routes = new Map<string, MutableRoute>();

  handle(action: string, handler: AnyHandler, options: HandleOptions = {}): void {
    const route = this.#route(action);
    route.handler = handler;
    route.validate = options.validate ?? true;
  }

  after(action: string, hook: AnyAfter): void {
    const route = this.#route(action);
    // Copied, not pushed: a CALL whose hooks are running keeps the list it started with.
    route.afters = [...route.afters, hook];
  }

  /** True when a handler answers this action in this table. */
  has(action: string): boolean {
    return this.#routes.get(action)?.handler !== undefined;
  }

  /** Looked up with the action of an incoming frame; the key stored is always the registered one. */
  get(action: string): Route | undefined {
    return this.#routes.get(action);
  }

  #route(action: string): MutableRoute {
    let route = this.#routes.get(action);
    if (!route) {
      route = { handler: undefined, validate: true, afters: NO_AFTERS };
      this.#routes.set(action, route);
    }
    return route;
  }
}

/**
 * The route of `action` along a ChargePoint's tables, most specific first: its own `handle()` /
 * `after()` registrations, then its class's decorated methods, then the shared `routes` option.
 * The most specific handler answers (with its `validate` option); the after-hooks of every table
 * run, the most general table's first. Only an action found in two tables builds a new object.
 */
export function resolveRoute(
  action: string,
  own: Router | undefined,
  decorated: Router | undefined,
  shared: Router | undefined,
): Route | undefined {
  return merge(own?.get(action), merge(decorated?.get(action), shared?.get(action)));
}

function merge(specific: Route | undefined, general: Route | undefined): Route | undefined {
  if (!specific) return general;
  if (!general) return specific;
  const answers = specific.handler !== undefined ? specific : general;
  let afters = specific.afters;
  if (afters.length === 0) afters = general.afters;
  else if (general.afters.length > 0) afters = [...general.afters, ...afters];
  return { handler: answers.handler, validate: answers.validate, afters };
}
