/**
 * `@on(action)` and `@after(action)`: standard (TC39) method decorators, thin sugar over
 * `handle()` and `after()`. No reflect-metadata: a decorator notes its action on the method itself,
 * and the first ChargePoint of a class builds one route table for the class from its prototype
 * chain. Every instance shares that table; the handler runs with `this` = `context.chargePoint`.
 * Each version module exports a pair typed by its action map.
 */
import type { ChargePoint, HandlerContext } from '../charge-point.js';
import { type AnyAfter, type AnyHandler, type HandleOptions, Router } from './router.js';
import type { ActionMapOf, ActionOf, MaybePromise, RequestOf, ResponseOf } from './types.js';

type Decoration =
  | { readonly kind: 'on'; readonly action: string; readonly options: HandleOptions | undefined }
  | { readonly kind: 'after'; readonly action: string };

/** Decorated methods and classes, as WeakMap keys. */
type AnyFunction = Function;
type Method = (this: unknown, ...args: never[]) => unknown;

/** Decorated method → its decorations, in the order they were applied. */
const decorations = new WeakMap<AnyFunction, Decoration[]>();
/** Class → the table of its decorated methods (null: it has none). Built once per class. */
const classTables = new WeakMap<AnyFunction, Router | null>();

export function createDecorators<M extends ActionMapOf<M>>() {
  /**
   * Marks a method as the handler of `action`.
   * @example
   * class Csms extends ChargePoint {
   *   @on('Heartbeat') heartbeat() { return { currentTime: new Date().toISOString() }; }
   * }
   */
  function on<A extends ActionOf<M>>(action: A, options?: HandleOptions) {
    return <This extends ChargePoint<M>>(
      method: (
        this: This,
        request: RequestOf<M, A>,
        context: HandlerContext<This>,
      ) => MaybePromise<ResponseOf<M, A>>,
      context: ClassMethodDecoratorContext<This>,
    ): void => {
      if (context.private) {
        // A #private method is not on the prototype: it registers per instance, as handle() would.
        context.addInitializer(function (this: This) {
          this.handle(action, (request, ctx) => method.call(this, request, ctx), options);
        });
      } else {
        decorate(method, { kind: 'on', action, options });
      }
    };
  }

  /** Marks a method to run after the CALLRESULT of `action` has been sent. */
  function after<A extends ActionOf<M>>(action: A) {
    return <This extends ChargePoint<M>>(
      method: (
        this: This,
        request: RequestOf<M, A>,
        response: ResponseOf<M, A>,
        context: HandlerContext<This>,
      ) => void | Promise<void>,
      context: ClassMethodDecoratorContext<This>,
    ): void => {
      if (context.private) {
        context.addInitializer(function (this: This) {
          this.after(action, (request, response, ctx) => method.call(this, request, response, ctx));
        });
      } else {
        decorate(method, { kind: 'after', action });
      }
    };
  }

  return { on, after };
}

function decorate(method: AnyFunction, decoration: Decoration): void {
  const list = decorations.get(method);
  if (list) list.push(decoration);
  else decorations.set(method, [decoration]);
}

/**
 * The table of the decorated methods of class `cls` and its base classes, or undefined. Base
 * classes register first, so a subclass's `@on` for the same action wins and every `@after` runs,
 * the base's first. A method overridden without a decorator does not change the route: the
 * decorated function answers, as it did when each instance registered its own.
 */
export function decoratedRoutes(cls: AnyFunction, stopAt: object): Router | undefined {
  let table = classTables.get(cls);
  if (table === undefined) {
    table = buildTable(cls.prototype as object, stopAt);
    classTables.set(cls, table);
  }
  return table ?? undefined;
}

function buildTable(prototype: object, stopAt: object): Router | null {
  const chain: object[] = [];
  for (let p: object | null = prototype; p && p !== stopAt; p = Object.getPrototypeOf(p) as object | null) {
    chain.unshift(p);
  }
  let table: Router | null = null;
  for (const p of chain) {
    for (const key of Reflect.ownKeys(p)) {
      // The descriptor, not p[key]: reading would run getters of the class.
      const method = Object.getOwnPropertyDescriptor(p, key)?.value as Method | undefined;
      const list = typeof method === 'function' ? decorations.get(method) : undefined;
      if (!list) continue;
      table ??= new Router();
      for (const decoration of list) {
        if (decoration.kind === 'on') {
          const handler = (request: unknown, context: { chargePoint: unknown }) =>
            method!.call(context.chargePoint, request as never, context as never);
          table.handle(decoration.action, handler as AnyHandler, decoration.options);
        } else {
          const hook = (request: unknown, response: unknown, context: { chargePoint: unknown }) =>
            method!.call(context.chargePoint, request as never, response as never, context as never);
          table.after(decoration.action, hook as AnyAfter);
        }
      }
    }
  }
  return table;
}
