/**
 * /api/v1/id-tokens: the tokens the CSMS authorizes (Authorize, StartTransaction, TransactionEvent).
 * A token is keyed by its text and its 2.0.1 type; `?type=` picks one when the text exists with
 * several types (without it, the first type in alphabetical order is used).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { IdTokenFields, IdTokenRow, IdTokenStatus } from '../../db/index.js';
import { ApiError } from '../errors.js';
import {
  camelCaseKeys,
  errorResponses,
  ID_TOKEN_MAX,
  ID_TOKEN_STATUSES,
  ID_TOKEN_TYPES,
  page,
  paginationQuery,
} from '../schemas.js';
import type { ApiDeps } from '../server.js';

const idTokenText = { type: 'string', minLength: 1, maxLength: ID_TOKEN_MAX } as const;
const tokenType = {
  type: 'string',
  enum: ID_TOKEN_TYPES,
  description: 'OCPP 2.0.1 IdTokenEnumType',
} as const;
const status = { type: 'string', enum: ID_TOKEN_STATUSES } as const;

/** The fields an operator sets; null clears one. */
const fieldProperties = {
  status,
  expiresAt: { type: ['string', 'null'], format: 'date-time' },
  parentIdToken: { type: ['string', 'null'], minLength: 1, maxLength: ID_TOKEN_MAX, description: 'Group id' },
  maxConcurrentTx: {
    type: ['integer', 'null'],
    minimum: 1,
    description: 'Transactions allowed at once (null = no limit)',
  },
} as const;

const tokenParams = {
  type: 'object',
  properties: { idToken: idTokenText },
  required: ['idToken'],
} as const;
const typeQuery = {
  type: 'object',
  properties: { type: tokenType },
  additionalProperties: false,
} as const;

interface TokenFieldsBody {
  status?: IdTokenStatus;
  expiresAt?: string | null;
  parentIdToken?: string | null;
  maxConcurrentTx?: number | null;
}
type TokenRoute = { Params: { idToken: string }; Querystring: { type?: string } };

function fieldsOf(body: TokenFieldsBody): IdTokenFields {
  return {
    ...(body.status !== undefined && { status: body.status }),
    ...(body.expiresAt !== undefined && { expiresAt: body.expiresAt }),
    ...(body.parentIdToken !== undefined && { parentIdToken: body.parentIdToken }),
    ...(body.maxConcurrentTx !== undefined && { maxConcurrentTx: body.maxConcurrentTx }),
  };
}

export const idTokenRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  const tokens = deps.stores.idTokens;

  async function requireToken(idToken: string, type: string | undefined): Promise<IdTokenRow> {
    const row = await tokens.get(idToken, type);
    if (!row)
      throw new ApiError('ID_TOKEN_NOT_FOUND', `No id token ${idToken}${type ? ` of type ${type}` : ''}`);
    return row;
  }

  app.get<{ Querystring: { search?: string; status?: IdTokenStatus; limit: number; offset: number } }>(
    '/id-tokens',
    {
      schema: {
        tags: ['id-tokens'],
        summary: 'List id tokens',
        querystring: {
          type: 'object',
          properties: {
            search: { type: 'string', description: 'Part of the token or its group' },
            status,
            ...paginationQuery,
          },
          additionalProperties: false,
        },
        response: { 200: page('IdToken'), ...errorResponses(400) },
      },
    },
    async (request) => {
      const result = await tokens.list(request.query);
      return { ...result, items: result.items.map(camelCaseKeys) };
    },
  );

  app.post<{ Body: TokenFieldsBody & { idToken: string; type?: string } }>(
    '/id-tokens',
    {
      schema: {
        tags: ['id-tokens'],
        summary: 'Add an id token',
        body: {
          type: 'object',
          properties: {
            idToken: idTokenText,
            type: { ...tokenType, default: 'ISO14443' },
            ...fieldProperties,
          },
          required: ['idToken'],
          additionalProperties: false,
        },
        response: { 201: { $ref: 'IdToken#' }, ...errorResponses(400, 409) },
      },
    },
    async (request, reply) => {
      const { idToken, type } = request.body;
      const created = await tokens.create({ idToken, ...(type && { type }), ...fieldsOf(request.body) });
      if (!created) throw new ApiError('ID_TOKEN_EXISTS', `Id token ${idToken} (${type}) exists already`);
      return reply.status(201).send(camelCaseKeys(created));
    },
  );

  app.get<TokenRoute>(
    '/id-tokens/:idToken',
    {
      schema: {
        tags: ['id-tokens'],
        summary: 'An id token',
        params: tokenParams,
        querystring: typeQuery,
        response: { 200: { $ref: 'IdToken#' }, ...errorResponses(400, 404) },
      },
    },
    async (request) => camelCaseKeys(await requireToken(request.params.idToken, request.query.type)),
  );

  app.patch<TokenRoute & { Body: TokenFieldsBody }>(
    '/id-tokens/:idToken',
    {
      schema: {
        tags: ['id-tokens'],
        summary: 'Change an id token (e.g. block it)',
        params: tokenParams,
        querystring: typeQuery,
        body: { type: 'object', properties: fieldProperties, additionalProperties: false, minProperties: 1 },
        response: { 200: { $ref: 'IdToken#' }, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const { idToken } = request.params;
      const current = await requireToken(idToken, request.query.type);
      const updated = await tokens.update(idToken, current.type, fieldsOf(request.body));
      if (!updated) throw new ApiError('ID_TOKEN_NOT_FOUND', `No id token ${idToken}`);
      return camelCaseKeys(updated);
    },
  );

  app.delete<TokenRoute>(
    '/id-tokens/:idToken',
    {
      schema: {
        tags: ['id-tokens'],
        summary: 'Remove an id token',
        params: tokenParams,
        querystring: typeQuery,
        response: { 204: { type: 'null', description: 'Removed' }, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const { idToken } = request.params;
      const current = await requireToken(idToken, request.query.type);
      if (!(await tokens.delete(idToken, current.type))) {
        throw new ApiError('ID_TOKEN_NOT_FOUND', `No id token ${idToken}`);
      }
      return reply.status(204).send();
    },
  );
};
