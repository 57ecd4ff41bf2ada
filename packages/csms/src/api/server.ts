/**
 * The management API (Fastify): resources under /api/v1 behind a bearer token, the OpenAPI document
 * at /docs/json with interactive docs at /docs, and /healthz, /readyz, /metrics without a token.
 *
 * Order matters: the swagger plugin must be registered before any route, so it sees them all.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { CsmsConfig } from '../config.js';
import type { DatabaseHandle, Stores } from '../db/index.js';
import type { CsmsEvents } from '../events.js';
import type { CsmsMetrics } from '../metrics.js';
import type { StationGateway } from '../ocpp/station-gateway.js';
import { bearerAuth } from './auth.js';
import { SHARED_SCHEMAS } from './components.js';
import { errorTableMarkdown, handleApiError, handleNotFound } from './errors.js';
import { commandRoutes } from './routes/commands.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { idTokenRoutes } from './routes/id-tokens.js';
import { stationRecordRoutes } from './routes/station-records.js';
import { stationRoutes } from './routes/stations.js';
import { transactionRoutes } from './routes/transactions.js';

export interface ApiDeps {
  readonly config: CsmsConfig;
  readonly stores: Stores;
  readonly gateway: StationGateway;
  readonly events: CsmsEvents;
  readonly metrics: CsmsMetrics;
  readonly logger: Logger;
  readonly apiToken: string;
  readonly database: DatabaseHandle;
}

export const API_PREFIX = '/api/v1';

export async function createApiServer(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: 'api' }) as FastifyBaseLogger,
    // Unknown fields are refused (400), not silently dropped: a typo in a PATCH must not look like success.
    ajv: { customOptions: { removeAdditional: false } },
    // Idle keep-alive connections (a browser, a CLI) must not hold up a graceful stop.
    forceCloseConnections: true,
  });
  // The API reads JSON only; other bodies are refused with 415 rather than read as a string.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(handleApiError);
  app.setNotFoundHandler(handleNotFound);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'ocppkit CSMS management API',
        version: '1',
        description: [
          'Manage stations, id tokens and transactions, and send OCPP commands to connected stations.',
          'Every /api/v1 route needs `Authorization: Bearer <token>` (CSMS_API_TOKEN, or the token printed at start).',
          'Errors have the body `{ statusCode, code, message, details? }`; the codes:',
          '',
          errorTableMarkdown(),
        ].join('\n'),
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearerAuth: [] }],
      tags: [
        { name: 'stations', description: 'Registered stations and what they reported' },
        { name: 'commands', description: 'OCPP commands to a connected station' },
        { name: 'transactions', description: 'Charging transactions and their meter values' },
        { name: 'id-tokens', description: 'Id tokens (RFID cards, app tokens) the CSMS authorizes' },
        { name: 'health', description: 'Probes and metrics, without authentication' },
      ],
    },
    // Shared schemas keep their $id as the component name (ApiError, Station, …).
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(healthRoutes, deps);
  await app.register(
    async (api) => {
      api.addHook('onRequest', bearerAuth(deps.apiToken));
      // Here too, so an unknown /api/v1 route needs the token before it is told it does not exist.
      api.setNotFoundHandler(handleNotFound);
      await api.register(stationRoutes, deps);
      await api.register(stationRecordRoutes, deps);
      await api.register(commandRoutes, deps);
      await api.register(transactionRoutes, deps);
      await api.register(idTokenRoutes, deps);
      await api.register(eventRoutes, deps);
    },
    { prefix: API_PREFIX },
  );
  await app.register(dashboardRoutes, deps);
  return app;
}
