/**
 * Handler registry: `handle(action, fn)` answers a CALL, `after(action, fn)` runs once its
 * CALLRESULT has been sent. The `@on` / `@after` decorators are sugar over these two calls.
 */
import type { Dispatcher, IncomingContext, RouteTarget } from '../rpc/session.js';

export interface HandleOptions {
  /**
   * Validate this action's request and our response against the schema (default true). Turn it off
   * for stations in the field that send slightly non-conformant payloads.
   */
  readonly validate?: boolean;
}

type AnyHandler = (payload: never, context: IncomingContext) => unknown;
type AnyAfter = (payload: never, response: never, context: IncomingContext) => void | Promise<void>;

interface Route {
  handler: AnyHandler | undefined;
  validate: boolean;
  afters: AnyAfter[];
}

export class Router implements Dispatcher {
  readonly #routes = new Map<string, Route>();
  readonly #targets = new Map<string, RouteTarget>();

  handle(action: string, handler: AnyHandler, options: HandleOptions = {}): void {
    const route = this.#route(action);
    route.handler = handler;
    route.validate = options.validate ?? true;
    this.#targets.delete(action);
  }

  after(action: string, hook: AnyAfter): void {
    this.#route(action).afters.push(hook);
    this.#targets.delete(action);
  }

  /** True when a handler answers this action. */
  has(action: string): boolean {
    return this.#routes.get(action)?.handler !== undefined;
  }

  route(action: string): RouteTarget | undefined {
    let target = this.#targets.get(action);
    if (target) return target;
    const route = this.#routes.get(action);
    const handler = route?.handler as ((payload: unknown, context: IncomingContext) => unknown) | undefined;
    if (!route || !handler) return undefined;
    const afters = route.afters as Array<
      (p: unknown, r: unknown, c: IncomingContext) => void | Promise<void>
    >;
    target = {
      validate: route.validate,
      invoke: handler,
      after:
        afters.length === 0
          ? undefined
          : async (payload, response, context) => {
              for (const hook of afters) await hook(payload, response, context);
            },
    };
    this.#targets.set(action, target);
    return target;
  }

  #route(action: string): Route {
    let route = this.#routes.get(action);
    if (!route) {
      route = { handler: undefined, validate: true, afters: [] };
      this.#routes.set(action, route);
    }
    return route;
  }
}
