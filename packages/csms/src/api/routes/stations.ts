/**
 * /api/v1/stations: register, list, inspect, change (live, for a connected station), disconnect and
 * remove stations, and read their message log; the password route is in station-password.ts.
 * `connected` and `protocol` come live from the OCPP gateway; everything else from the database.
 */
import type { FastifyPluginAsync } from 'fastify';
import { MESSAGE_LOG_POLICIES } from '../../config.js';
import type { RegistrationStatus, SecurityProfile, StationView } from '../../db/index.js';
import type { StationGateway } from '../../ocpp/station-gateway.js';
import { checkPasswordFormat, hashPassword } from '../../security/passwords.js';
import { ApiError } from '../errors.js';
import {
  camelCaseKeys,
  errorResponses,
  IDENTITY_PATTERN,
  identityParams,
  page,
  paginationQuery,
} from '../schemas.js';
import type { ApiDeps } from '../server.js';
import { registerPasswordRoute } from './station-password.js';

const registrationStatus = { type: 'string', enum: ['Accepted', 'Pending', 'Rejected'] } as const;
const securityProfile = {
  type: 'integer',
  minimum: 0,
  maximum: 3,
  description:
    '0 = no authentication, 1 = Basic Auth over ws, 2 = Basic Auth over wss, 3 = client certificate',
} as const;
const password = {
  type: 'string',
  description: 'Basic Auth password: 16 to 40 characters of a-z A-Z 0-9 * - _ = : + | @ . (stored hashed)',
} as const;

interface IdParams {
  id: string;
}

export function stationView(row: StationView, gateway: StationGateway): Record<string, unknown> {
  return {
    ...camelCaseKeys(row),
    connected: gateway.isConnected(row.identity),
    protocol: gateway.protocolOf(row.identity) ?? row.protocol,
  };
}

/** The station row, or STATION_NOT_FOUND. */
export async function requireStation(deps: ApiDeps, identity: string): Promise<StationView> {
  const station = await deps.stores.stations.get(identity);
  if (!station) throw new ApiError('STATION_NOT_FOUND', `No station ${identity}`);
  return station;
}

async function hashChecked(value: string) {
  const problem = checkPasswordFormat(value);
  if (problem) throw new ApiError('INVALID_PASSWORD', problem);
  return hashPassword(value);
}

export const stationRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  const { stores, gateway } = deps;

  app.get<{ Querystring: { search?: string; connected?: boolean; limit: number; offset: number } }>(
    '/stations',
    {
      schema: {
        tags: ['stations'],
        summary: 'List stations',
        querystring: {
          type: 'object',
          properties: {
            search: { type: 'string', description: 'Part of the identity, vendor, model or serial number' },
            connected: { type: 'boolean' },
            ...paginationQuery,
          },
          additionalProperties: false,
        },
        response: { 200: page('Station'), ...errorResponses(400) },
      },
    },
    async (request) => {
      const result = await stores.stations.list(request.query);
      return { ...result, items: result.items.map((row) => stationView(row, gateway)) };
    },
  );

  app.get<{ Params: IdParams; Querystring: { messages: number } }>(
    '/stations/:id',
    {
      schema: {
        tags: ['stations'],
        summary: 'A station with its connectors, configuration or device model, and recent messages',
        params: identityParams,
        querystring: {
          type: 'object',
          properties: { messages: { type: 'integer', minimum: 0, maximum: 1000, default: 20 } },
          additionalProperties: false,
        },
        response: { 200: { $ref: 'StationDetail#' }, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const station = await requireStation(deps, id);
      const [connectors, configuration, variables, active, messages] = await Promise.all([
        stores.connectorStatus.listCurrent(id),
        stores.configuration.list(id),
        stores.deviceModel.list(id),
        stores.transactions.listActive(id),
        request.query.messages > 0 ? stores.messageLog.listRecent(id, { limit: request.query.messages }) : [],
      ]);
      return {
        ...stationView(station, gateway),
        connectors: connectors.map(camelCaseKeys),
        configuration: configuration.map(camelCaseKeys),
        variables: variables.map(camelCaseKeys),
        activeTransactions: active.map(camelCaseKeys),
        recentMessages: messages.map(camelCaseKeys),
      };
    },
  );

  app.get<{ Params: IdParams; Querystring: { action?: string; limit: number; beforeId?: number } }>(
    '/stations/:id/messages',
    {
      schema: {
        tags: ['stations'],
        summary: "A station's OCPP message log, newest first",
        description: 'Page backwards by passing the smallest id received as `beforeId`.',
        params: identityParams,
        querystring: {
          type: 'object',
          properties: {
            action: { type: 'string' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            beforeId: { type: 'integer', minimum: 1 },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            description: 'Messages, newest first',
            properties: {
              items: { type: 'array', items: { $ref: 'OcppMessage#' } },
              policy: {
                type: 'string',
                enum: [...MESSAGE_LOG_POLICIES],
                description:
                  'Which frames the log keeps (CSMS_MESSAGE_LOG). no-periodic: all but Heartbeats, ' +
                  'MeterValues and the 2.0.1/2.1 TransactionEvents sent for their meter values, when ' +
                  'answered with a CALLRESULT; no-heartbeats: all but such Heartbeats.',
              },
            },
            required: ['items', 'policy'],
          },
          ...errorResponses(400, 404),
        },
      },
    },
    async (request) => {
      await requireStation(deps, request.params.id);
      const items = await stores.messageLog.listRecent(request.params.id, request.query);
      return { items: items.map(camelCaseKeys), policy: deps.config.messageLog };
    },
  );

  app.post<{
    Body: {
      identity: string;
      securityProfile?: SecurityProfile;
      password?: string;
      registrationStatus?: RegistrationStatus;
    };
  }>(
    '/stations',
    {
      schema: {
        tags: ['stations'],
        summary: 'Register a station',
        body: {
          type: 'object',
          properties: {
            identity: {
              type: 'string',
              pattern: IDENTITY_PATTERN,
              description: 'At most 48 characters of a-z A-Z 0-9 * - _ = + | @ . (no colon)',
            },
            securityProfile,
            password,
            registrationStatus,
          },
          required: ['identity'],
          additionalProperties: false,
        },
        response: { 201: { $ref: 'Station#' }, ...errorResponses(400, 409) },
      },
    },
    async (request, reply) => {
      const { identity, securityProfile, registrationStatus } = request.body;
      const hashed =
        request.body.password === undefined ? undefined : await hashChecked(request.body.password);
      const created = await stores.stations.create({
        identity,
        ...(securityProfile !== undefined && { securityProfile }),
        ...(hashed && { password: hashed }),
        ...(registrationStatus && { registrationStatus }),
      });
      if (!created) throw new ApiError('STATION_EXISTS', `Station ${identity} exists already`);
      return reply.status(201).send(stationView(created, gateway));
    },
  );

  app.patch<{
    Params: IdParams;
    Body: { registrationStatus?: RegistrationStatus; securityProfile?: SecurityProfile };
  }>(
    '/stations/:id',
    {
      schema: {
        tags: ['stations'],
        summary: 'Change the registration status or security profile',
        description:
          'A connected station keeps its session and gets the new registration status at once: its ' +
          'next message is served (Accepted) or refused with SecurityError, without a reboot; its next ' +
          'BootNotification is answered with it too. A station that was answered Pending and is now ' +
          'Accepted is asked to boot again at once (TriggerMessage BootNotification), so it does not ' +
          'wait out its boot interval; a Rejected one is sent nothing (OCPP 2.0.1 B03.FR.03).',
        params: identityParams,
        body: {
          type: 'object',
          properties: { registrationStatus, securityProfile },
          additionalProperties: false,
          minProperties: 1,
        },
        response: { 200: { $ref: 'Station#' }, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const { id } = request.params;
      await requireStation(deps, id);
      const { registrationStatus, securityProfile } = request.body;
      if (registrationStatus) {
        await stores.stations.setRegistrationStatus(id, registrationStatus);
        gateway.setRegistrationStatus(id, registrationStatus);
      }
      if (securityProfile !== undefined) await stores.stations.setSecurityProfile(id, securityProfile);
      return stationView(await requireStation(deps, id), gateway);
    },
  );

  registerPasswordRoute(app, deps);

  app.post<{ Params: IdParams }>(
    '/stations/:id/disconnect',
    {
      schema: {
        tags: ['stations'],
        summary: "Close the station's connection",
        description:
          'Closes the WebSocket with 1000 (normal closure). The station reconnects as it is configured ' +
          'to, e.g. with a new password or security profile.',
        params: identityParams,
        response: { 204: { type: 'null', description: 'Closed' }, ...errorResponses(400, 404, 409) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      await requireStation(deps, id);
      if (!(await gateway.disconnect(id))) {
        throw new ApiError('STATION_NOT_CONNECTED', `Station ${id} is not connected`);
      }
      return reply.status(204).send();
    },
  );

  app.delete<{ Params: IdParams }>(
    '/stations/:id',
    {
      schema: {
        tags: ['stations'],
        summary: 'Remove a station and everything recorded for it',
        description: 'Refused while the station is connected (its messages would have nowhere to go).',
        params: identityParams,
        response: { 204: { type: 'null', description: 'Removed' }, ...errorResponses(400, 404, 409) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (gateway.isConnected(id)) {
        throw new ApiError('STATION_CONNECTED', `Station ${id} is connected; it cannot be removed now`);
      }
      if (!(await stores.stations.delete(id))) throw new ApiError('STATION_NOT_FOUND', `No station ${id}`);
      return reply.status(204).send();
    },
  );
};
