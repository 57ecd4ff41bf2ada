#!/usr/bin/env node
/** `npm start`: runs the CSMS until SIGINT/SIGTERM, then shuts down gracefully. */
import { pino } from 'pino';
import { startCsms } from './app.js';
import { ConfigError, describeConfig, loadConfig } from './config.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`csms: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = pino({ level: config.logLevel });
  console.log(`ocppkit CSMS starting with:\n${describeConfig(config)}`);
  const csms = await startCsms(config, { logger });
  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
  const lines = [
    '',
    `  OCPP (ws):   ws://${host}:${csms.ocppPort}/ocpp/<station identity>   (ocpp1.6, ocpp2.0.1)`,
    ...(csms.tlsPort ? [`  OCPP (wss):  wss://${host}:${csms.tlsPort}/ocpp/<station identity>`] : []),
    `  Dashboard:   http://${host}:${csms.apiPort}/`,
    `  API:         http://${host}:${csms.apiPort}/api/v1   docs: http://${host}:${csms.apiPort}/docs`,
    `  Database:    ${csms.database.kind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`,
    csms.apiTokenGenerated
      ? `  API token:   ${csms.apiToken}   (generated at first start, kept in the database; CSMS_API_TOKEN overrides it)`
      : '  API token:   from CSMS_API_TOKEN',
    '',
  ];
  console.log(lines.join('\n'));
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: closing station connections and flushing writes');
    csms.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('csms: failed to start:', error);
  process.exit(1);
});
