/**
 * Starts a real CSMS for a test: OCPP and API on free ports of 127.0.0.1, on a fresh database —
 * PGlite in memory, or a fresh schema of the PostgreSQL at TEST_DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { type RunningCsms, startCsms } from '../../src/app.js';
import { type CsmsConfig, loadConfig, SETTINGS } from '../../src/config.js';

export type DatabaseKind = 'pglite' | 'postgres';

/** The databases tests run against: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function databaseKinds(): DatabaseKind[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export interface TestCsms extends Omit<RunningCsms, 'api'> {
  /** The Fastify instance (RunningCsms.api), for inject(). */
  readonly fastify: RunningCsms['api'];
  readonly ocppUrl: string;
  readonly apiUrl: string;
  /** fetch against the API with the bearer token. */
  api(
    path: string,
    init?: { method?: string; body?: unknown; token?: string | null },
  ): Promise<{
    status: number;
    body: any;
  }>;
}

export async function startTestCsms(
  kind: DatabaseKind = 'pglite',
  overrides: Partial<Record<keyof CsmsConfig, string>> = {},
): Promise<TestCsms> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const flags = Object.entries({
    host: '127.0.0.1',
    'ocpp-port': '0',
    'api-port': '0',
    'data-dir': ':memory:',
    'api-token': 'test-token',
    'log-level': process.env.TEST_LOG_LEVEL ?? 'silent',
    ...Object.fromEntries(Object.entries(overrides).map(([key, value]) => [flagOf(key), value])),
  }).flatMap(([flag, value]) => [`--${flag}`, value]);
  const env = kind === 'postgres' ? { DATABASE_URL: process.env.TEST_DATABASE_URL } : {};
  const config = loadConfig(flags, env);
  const logger = pino({ level: config.logLevel });
  const csms = await startCsms(config, { logger, databaseSchema: kind === 'postgres' ? schema : undefined });
  const apiUrl = `http://127.0.0.1:${csms.apiPort}`;
  const stop = csms.stop;
  return Object.assign({}, csms, {
    fastify: csms.api,
    ocppUrl: `ws://127.0.0.1:${csms.ocppPort}/ocpp`,
    apiUrl,
    async api(path: string, init: { method?: string; body?: unknown; token?: string | null } = {}) {
      const headers: Record<string, string> = {};
      const token = init.token === undefined ? csms.apiToken : init.token;
      if (token) headers.authorization = `Bearer ${token}`;
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${apiUrl}${path}`, {
        method: init.method ?? 'GET',
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {}
      return { status: response.status, body };
    },
    async stop() {
      await stop();
      if (kind === 'postgres') await dropSchema(schema);
    },
  });
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

function flagOf(key: string): string {
  const setting = SETTINGS.find((s) => s.key === key);
  if (!setting) throw new Error(`no setting ${key}`);
  return setting.flag;
}
