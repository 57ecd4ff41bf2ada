/**
 * The start-up module: opens the database, wires every service once, starts the OCPP gateway and
 * the HTTP API, and stops them in order (stations closed first, then pending writes flushed).
 */
import type { FastifyInstance } from 'fastify';
import { type Logger, pino } from 'pino';
import { resolveApiToken } from './api/api-token.js';
import { createApiServer } from './api/server.js';
import type { CsmsConfig } from './config.js';
import { type DatabaseHandle, openDatabase } from './db/database.js';
import { createStores, type Stores } from './db/index.js';
import { CsmsEvents } from './events.js';
import { type CsmsMetrics, createMetrics } from './metrics.js';
import { createAuthorizer } from './ocpp/authorization.js';
import { createMeterValueWriter, PGLITE_METER_GATHER_MS } from './ocpp/meter-value-writer.js';
import { StationGateway } from './ocpp/station-gateway.js';

export interface RunningCsms {
  readonly ocppPort: number;
  readonly tlsPort: number | undefined;
  readonly apiPort: number;
  readonly apiToken: string;
  /** True when the API token is not from the configuration: generated once, kept in the database (print it). */
  readonly apiTokenGenerated: boolean;
  readonly database: DatabaseHandle;
  readonly stores: Stores;
  readonly gateway: StationGateway;
  readonly events: CsmsEvents;
  readonly metrics: CsmsMetrics;
  readonly api: FastifyInstance;
  readonly logger: Logger;
  /** Closes stations (close frames), flushes writes, stops the API, closes the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly logger?: Logger;
  /** PostgreSQL schema to use (tests isolate themselves this way). */
  readonly databaseSchema?: string;
}

export async function startCsms(config: CsmsConfig, options: StartOptions = {}): Promise<RunningCsms> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const database = await openDatabase({
    url: config.databaseUrl,
    // ':memory:' keeps PGlite in memory (tests); any other value is a data directory.
    dataDir: config.databaseUrl || config.dataDir === ':memory:' ? undefined : config.dataDir,
    schema: options.databaseSchema,
    logger,
  });
  const stores = createStores(database.db);
  // Nobody is connected to a process that just started, whatever the last one recorded.
  await stores.stations.markAllDisconnected();
  const events = new CsmsEvents();
  const metrics = createMetrics();
  const meterValues = createMeterValueWriter(stores, {
    onWrite: (seconds) => metrics.dbSeconds.observe({ operation: 'meter_values_insert' }, seconds),
    gatherMs: database.kind === 'pglite' ? PGLITE_METER_GATHER_MS : 0,
  });
  const services = {
    config,
    stores,
    events,
    metrics,
    logger,
    meterValues,
    authorizer: createAuthorizer(stores),
  };
  const gateway = new StationGateway({ config, stores, events, metrics, logger, services });
  const { token: apiToken, origin: apiTokenOrigin } = await resolveApiToken(config.apiToken, stores.settings);
  const apiTokenGenerated = apiTokenOrigin !== 'config';
  const api = await createApiServer({ config, stores, gateway, events, metrics, logger, apiToken, database });
  let ports: { ocppPort: number; tlsPort: number | undefined };
  try {
    ports = await gateway.start();
    await api.listen({ port: config.apiPort, host: config.host });
  } catch (error) {
    await gateway.stop().catch(() => {});
    await database.close();
    throw error;
  }
  const address = api.server.address();
  const apiPort = typeof address === 'object' && address ? address.port : config.apiPort;
  let stopping: Promise<void> | undefined;
  return {
    ...ports,
    apiPort,
    apiToken,
    apiTokenGenerated,
    database,
    stores,
    gateway,
    events,
    metrics,
    api,
    logger,
    stop() {
      stopping ??= (async () => {
        await gateway.stop();
        await meterValues.flush();
        await api.close();
        await database.close();
        logger.info('CSMS stopped');
      })();
      return stopping;
    },
  };
}
