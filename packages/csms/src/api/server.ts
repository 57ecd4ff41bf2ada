/**
 * The management API (Fastify, under /api/v1) and the health and metrics endpoints.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { CsmsConfig } from '../config.js';
import type { DatabaseHandle, Stores } from '../db/index.js';
import type { CsmsEvents } from '../events.js';
import type { CsmsMetrics } from '../metrics.js';
import type { StationGateway } from '../ocpp/station-gateway.js';

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

export async function createApiServer(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.logger.child({ component: 'api' }) as FastifyBaseLogger });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
  return app;
}
