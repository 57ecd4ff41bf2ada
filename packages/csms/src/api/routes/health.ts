/**
 * Probes and metrics, outside /api/v1 and without authentication: orchestrators and Prometheus
 * scrape them without a token.
 */
import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import { ApiError } from '../errors.js';
import type { ApiDeps } from '../server.js';

const status = {
  description: 'Healthy',
  type: 'object',
  properties: { status: { type: 'string' }, databaseMs: { type: 'number' } },
  required: ['status'],
} as const;

export const healthRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process is up',
        security: [],
        response: { 200: status },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: the database answers `select 1`',
        security: [],
        response: { 200: status, 503: { $ref: 'ApiError#' } },
      },
    },
    async () => {
      const started = process.hrtime.bigint();
      try {
        await sql`select 1`.execute(deps.database.db);
      } catch (error) {
        throw new ApiError('DATABASE_UNAVAILABLE', `database does not answer: ${(error as Error).message}`);
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      deps.metrics.dbSeconds.observe({ operation: 'readyz_select_1' }, seconds);
      return { status: 'ok', databaseMs: Math.round(seconds * 1e6) / 1e3 };
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['health'],
        summary: 'Prometheus metrics (text exposition format)',
        security: [],
        response: {
          200: {
            description: 'Prometheus text format',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    async (_request, reply) => {
      reply.type(deps.metrics.registry.contentType);
      return deps.metrics.registry.metrics();
    },
  );
};
