/**
 * OCPP ocpp2.0.1: the generated messages, enums and datatypes, and a `ChargePoint` typed for them.
 * @example
 * import { ChargePoint, on, Routes } from 'ocppkit/v201';
 */
import {
  type AfterHook as BaseAfterHook,
  ChargePoint as BaseChargePoint,
  type ChargePointOptions as BaseChargePointOptions,
  type Handler as BaseHandler,
} from '../charge-point.js';
import type { ActionMap, SendMap } from '../generated/v201.js';
import { createDecorators } from '../routing/decorators.js';
import { Routes as BaseRoutes } from '../routing/routes.js';

export * from '../generated/v201.js';

/** A peer speaking ocpp2.0.1; subclass it and mark methods with `@on` / `@after`, or call `handle()`. */
export class ChargePoint extends BaseChargePoint<ActionMap, SendMap> {
  static override readonly protocol = 'ocpp2.0.1';
}

/**
 * Handlers shared by any number of ocpp2.0.1 ChargePoints: `new ChargePoint(connection, { routes })`.
 * Type the handlers' `context.chargePoint` with a subclass: `new Routes<MyCsms>()`.
 */
export class Routes<CP extends ChargePoint = ChargePoint> extends BaseRoutes<ActionMap, CP, SendMap> {
  static override readonly protocol = 'ocpp2.0.1';
}

export const { on, after } = createDecorators<ActionMap>();

/** The options of `new ChargePoint(transport, options)`. */
export type ChargePointOptions = BaseChargePointOptions<ActionMap, SendMap>;

export type Handler<A extends keyof ActionMap> = BaseHandler<ActionMap, A, ChargePoint>;
export type AfterHook<A extends keyof ActionMap> = BaseAfterHook<ActionMap, A, ChargePoint>;
