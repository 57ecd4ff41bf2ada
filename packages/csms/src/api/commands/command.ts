/**
 * A "friendly" command: one version-neutral request body, translated to the OCPP action and payload
 * of the station's protocol. The runner (routes/commands.ts) builds the CALL, validates it against
 * the version's schema, then runs `beforeSend` (side effects such as a reservation row, so nothing is
 * stored for a request that fails validation), sends it, and hands the answer to `afterResponse`.
 */
import { randomInt } from 'node:crypto';
import type { OcppProtocol } from 'ocppkit';
import { ApiError } from '../errors.js';
import type { ApiDeps } from '../server.js';

/** The protocols friendly commands are written for (the ones the gateway accepts). */
export type CommandProtocol = 'ocpp1.6' | 'ocpp2.0.1';

export interface CommandContext {
  readonly deps: ApiDeps;
  readonly identity: string;
  readonly protocol: OcppProtocol;
}

export interface OutgoingCall {
  readonly action: string;
  readonly payload: object;
}

export type Builder<Body> = (body: Body, context: CommandContext) => OutgoingCall | Promise<OutgoingCall>;

export interface FriendlyCommand<Body> {
  /** URL segment: POST /api/v1/stations/{id}/{name}. */
  readonly name: string;
  readonly summary: string;
  readonly description?: string;
  /** JSON schema of the body (an object schema). */
  readonly body: object;
  /** The CALL per protocol; a missing protocol answers UNSUPPORTED_BY_PROTOCOL. */
  readonly build: Partial<Record<CommandProtocol, Builder<Body>>>;
  /** Where to look instead when the station's protocol lacks the command (for the error message). */
  readonly otherwise?: string;
  readonly beforeSend?: (call: OutgoingCall, body: Body, context: CommandContext) => Promise<OutgoingCall>;
  /** Stores what the station answered. */
  readonly afterResponse?: (call: OutgoingCall, response: object, context: CommandContext) => Promise<void>;
  readonly onFailure?: (call: OutgoingCall, error: unknown, context: CommandContext) => Promise<void>;
}

/** Erases the body type so commands of different bodies fit one list. */
export function defineCommand<Body>(command: FriendlyCommand<Body>): FriendlyCommand<never> {
  return command as unknown as FriendlyCommand<never>;
}

/** Where a command applies, in the version-neutral body. */
export interface Location {
  evseId?: number;
  connectorId?: number;
}

export const locationProperties = {
  evseId: {
    type: 'integer',
    minimum: 0,
    description: '2.0.1 EVSE id; on a 1.6 station the connectorId (a 1.6 connector is a 2.0.1 EVSE)',
  },
  connectorId: {
    type: 'integer',
    minimum: 0,
    description: '1.6 connectorId; on a 2.0.1 station the connector within `evseId`',
  },
} as const;

/**
 * The 1.6 connectorId for a location: OCPP 1.6 has connectors only, and each is operated on its
 * own like a 2.0.1 EVSE (see db/migrations/0001-initial.ts), so evseId wins when both are given.
 */
export function connector16(location: Location): number | undefined {
  return location.evseId ?? location.connectorId;
}

/** The 2.0.1 EVSE of a location; a connectorId without an evseId is ambiguous there. */
export function evse201(location: Location): { id: number; connectorId?: number } | undefined {
  if (location.evseId === undefined) {
    if (location.connectorId !== undefined) {
      throw new ApiError(
        'VALIDATION_FAILED',
        'body/evseId is required on an OCPP 2.0.1 station when connectorId is given (connector ids count within an EVSE)',
      );
    }
    return undefined;
  }
  return location.connectorId === undefined
    ? { id: location.evseId }
    : { id: location.evseId, connectorId: location.connectorId };
}

/** Request ids (remoteStartId, requestId) are 32-bit integers that the station echoes in its reports. */
export function newRequestId(): number {
  return randomInt(1, 2 ** 31 - 1);
}

/** Drops undefined values, so optional OCPP fields are absent rather than `undefined`. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
