/**
 * OCPP commands to a connected station: the generic POST /stations/{id}/call/{action} (payload as
 * the body, in the station's version) and one friendly endpoint per common command (a
 * version-neutral body, see api/commands/). Nothing is sent unless the payload passes the OCPP
 * schema of the station's version. Failures map to statuses in errors.ts: unknown station 404,
 * not connected 409, CALLERROR 502, no answer in time 504.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { getValidator, type OcppProtocol } from 'ocppkit';
import { setsStationPassword } from '../../ocpp/secret-redaction.js';
import { findUnstorable } from '../../ocpp/storable-text.js';
import {
  type CommandContext,
  FRIENDLY_COMMANDS,
  type FriendlyCommand,
  isCsmsAction,
} from '../commands/index.js';
import { ApiError } from '../errors.js';
import { errorResponses, identityParams } from '../schemas.js';
import type { ApiDeps } from '../server.js';
import { requireStation } from './stations.js';

/** OCPP-J suggests 30 s for an answer. */
const DEFAULT_TIMEOUT_MS = 30_000;

const timeoutQuery = {
  type: 'object',
  properties: {
    timeoutMs: {
      type: 'integer',
      minimum: 1,
      maximum: 300_000,
      default: DEFAULT_TIMEOUT_MS,
      description: 'How long to wait for the station to answer',
    },
  },
  additionalProperties: false,
} as const;

const commandResponses = { 200: { $ref: 'CommandResult#' }, ...errorResponses(400, 404, 409, 502, 504) };

type CommandRequest = { Params: { id: string }; Querystring: { timeoutMs: number }; Body: object };

/** Commands without options may be posted without a body. */
async function emptyBodyIsEmptyObject(request: FastifyRequest): Promise<void> {
  request.body ??= {};
}

export const commandRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  /** The station's protocol; 404 when it is not registered, 409 when it is not connected. */
  async function connectedProtocol(identity: string): Promise<OcppProtocol> {
    const live = () => (deps.gateway.isConnected(identity) ? deps.gateway.protocolOf(identity) : undefined);
    // A connected station has its row (the connection upserts it, and a connected station cannot be
    // deleted), so the database is asked only to tell an unknown station (404) from one that is
    // not connected (409): a fan-out of commands does not wait for a SELECT each.
    const connected = live();
    if (connected) return connected;
    await requireStation(deps, identity);
    // It may have connected while the database answered.
    const protocol = live();
    if (!protocol) throw new ApiError('STATION_NOT_CONNECTED', `Station ${identity} is not connected`);
    return protocol;
  }

  /** A password goes through PUT /stations/{id}/password only (secret-redaction.ts, setsStationPassword). */
  function refusePassword(identity: string, action: string, payload: object): void {
    if (setsStationPassword(action, payload)) {
      throw new ApiError(
        'PASSWORD_BY_COMMAND',
        `${action} would set the Basic Auth password of ${identity}; use PUT /api/v1/stations/${identity}/password, ` +
          'which stores it hashed so the station can still connect with it',
      );
    }
  }

  async function send(
    identity: string,
    protocol: OcppProtocol,
    action: string,
    payload: object,
    timeoutMs: number,
  ) {
    const response = (await deps.gateway.call(identity, action, payload, timeoutMs)) as object;
    return { station: identity, protocol, action, request: payload, response };
  }

  app.post<{ Params: { id: string; action: string }; Querystring: { timeoutMs: number }; Body: object }>(
    '/stations/:id/call/:action',
    {
      preValidation: emptyBodyIsEmptyObject,
      schema: {
        tags: ['commands'],
        summary: 'Send any CSMS-initiated OCPP action with the payload as the body',
        description:
          "The payload must match the action's schema in the station's OCPP version (1.6 or 2.0.1); " +
          'otherwise 400 INVALID_OCPP_REQUEST and nothing is sent.',
        params: {
          type: 'object',
          properties: {
            ...identityParams.properties,
            action: { type: 'string', pattern: '^[A-Za-z0-9]{1,64}$', description: 'e.g. GetConfiguration' },
          },
          required: ['id', 'action'],
        },
        querystring: timeoutQuery,
        body: { type: 'object', additionalProperties: true, description: 'The OCPP request payload' },
        response: commandResponses,
      },
    },
    async (request) => {
      const { id, action } = request.params;
      const protocol = await connectedProtocol(id);
      if (!isCsmsAction(protocol, action)) {
        throw new ApiError('UNKNOWN_ACTION', `${action} is not an action the CSMS sends in ${protocol}`);
      }
      refusePassword(id, action, request.body as object);
      return send(id, protocol, action, request.body as object, request.query.timeoutMs);
    },
  );

  for (const command of FRIENDLY_COMMANDS) registerFriendly(command);

  function registerFriendly(command: FriendlyCommand<never>): void {
    const versions = Object.keys(command.build).join(', ');
    app.post<CommandRequest>(
      `/stations/:id/${command.name}`,
      {
        preValidation: emptyBodyIsEmptyObject,
        schema: {
          tags: ['commands'],
          summary: command.summary,
          description: `${command.description ?? ''}\n\nOCPP versions: ${versions}.`.trim(),
          params: identityParams,
          querystring: timeoutQuery,
          body: command.body,
          response: commandResponses,
        },
      },
      async (request) => {
        const { id } = request.params;
        const protocol = await connectedProtocol(id);
        const build = command.build[protocol as keyof typeof command.build];
        if (!build) {
          const hint = command.otherwise ? `; use ${command.otherwise}` : '';
          throw new ApiError(
            'UNSUPPORTED_BY_PROTOCOL',
            `${command.name} is not available in ${protocol}${hint}`,
          );
        }
        const context: CommandContext = { deps, identity: id, protocol };
        let call = await build(request.body as never, context);
        // Checked before beforeSend, so a request that would be refused leaves no trace in the database.
        const failure = getValidator(protocol).validate(call.action, 'request', call.payload);
        if (failure) {
          throw new ApiError('INVALID_OCPP_REQUEST', `${call.action} request: ${failure.description}`);
        }
        refusePassword(id, call.action, call.payload);
        if (command.beforeSend) call = await command.beforeSend(call, request.body as never, context);
        let result: Awaited<ReturnType<typeof send>>;
        try {
          result = await send(id, protocol, call.action, call.payload, request.query.timeoutMs);
        } catch (error) {
          await command.onFailure?.(call, error, context);
          throw error;
        }
        if (command.afterResponse) {
          refuseUnstorableAnswer(call.action, result.response);
          await command.afterResponse(call, result.response, context);
        }
        return result;
      },
    );
  }
};

/**
 * A station's answer that is about to be stored, with text the database cannot hold (a NUL or a
 * lone surrogate, storable-text.ts) in one of its strings: refused as an invalid result naming the
 * field, and nothing of it stored, instead of an InternalError from the statement. (A station's CALLs
 * are refused so before their handlers run.)
 */
function refuseUnstorableAnswer(action: string, response: object): void {
  const path = findUnstorable(response);
  if (path === undefined) return;
  throw new ApiError(
    'STATION_CALL_ERROR',
    `${action} result: ${path} holds text the database cannot store (NUL or a lone surrogate); nothing was stored`,
    { path },
  );
}
