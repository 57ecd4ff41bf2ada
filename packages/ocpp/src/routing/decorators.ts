/**
 * `@on(action)` and `@after(action)`: standard (TC39) method decorators, thin sugar over
 * `handle()` and `after()`. No reflect-metadata: each decorated method registers itself when an
 * instance is constructed. Each version module exports a pair typed by its action map.
 */
import type { ChargePoint, HandlerContext } from '../charge-point.js';
import type { HandleOptions } from './router.js';
import type { ActionMapOf, ActionOf, MaybePromise, RequestOf, ResponseOf } from './types.js';

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
      context.addInitializer(function (this: This) {
        this.handle(action, (request, ctx) => method.call(this, request, ctx), options);
      });
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
      context.addInitializer(function (this: This) {
        this.after(action, (request, response, ctx) => method.call(this, request, response, ctx));
      });
    };
  }

  return { on, after };
}
