/**
 * Configuration from command-line flags and environment variables (flags win). Every setting has
 * one flag, one variable and one default, listed in SETTINGS; `describeConfig` prints them
 * without secrets.
 */
import { parseArgs } from 'node:util';

export type UnknownStationPolicy = 'accept' | 'pending' | 'reject';

/**
 * Which frames the message log keeps: all of them; all but the periodic messages answered with a
 * CALLRESULT (the default: Heartbeats, MeterValues, and 2.0.1/2.1 TransactionEvents sent for their
 * meter values); all but such Heartbeats; or none (the live stream still shows them). What a periodic
 * message says is stored anyway (the last contact, the meter values, the transaction events); at one
 * per station per interval they would be most of the log's writes, and a station's 200 kept rows
 * would hold nothing else after a few hours of charging. One answered with a CALLERROR, or not
 * answered, is kept.
 */
export const MESSAGE_LOG_POLICIES = ['all', 'no-periodic', 'no-heartbeats', 'off'] as const;
/** One of MESSAGE_LOG_POLICIES. */
export type MessageLogPolicy = (typeof MESSAGE_LOG_POLICIES)[number];

export interface CsmsConfig {
  readonly host: string;
  readonly ocppPort: number;
  readonly apiPort: number;
  /** PGlite data directory, used when `databaseUrl` is not set. */
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  /** Bearer token for the API; generated and printed at start when not set. */
  readonly apiToken: string | undefined;
  readonly logLevel: string;
  /** What BootNotification answers a station nobody registered. */
  readonly unknownStations: UnknownStationPolicy;
  readonly heartbeatIntervalS: number;
  /** wss listener (security profiles 2 and 3) when a certificate and key are given. */
  readonly tlsPort: number;
  readonly tlsCert: string | undefined;
  readonly tlsKey: string | undefined;
  /** CA bundle trusted for client certificates (profile 3). */
  readonly tlsCa: string | undefined;
  /** Message log rows kept per station (a CALL with its answer, or a frame that came alone). */
  readonly messageLogSize: number;
  readonly messageLog: MessageLogPolicy;
}

interface Setting {
  readonly key: keyof CsmsConfig;
  readonly flag: string;
  readonly env: string;
  readonly kind: 'string' | 'port' | 'int' | 'choice';
  /** The values a 'choice' setting accepts. */
  readonly choices?: readonly string[];
  readonly fallback: string | number | undefined;
  readonly secret?: boolean;
  readonly help: string;
}

export const SETTINGS: readonly Setting[] = [
  {
    key: 'host',
    flag: 'host',
    env: 'CSMS_HOST',
    kind: 'string',
    fallback: '0.0.0.0',
    help: 'address to listen on',
  },
  {
    key: 'ocppPort',
    flag: 'ocpp-port',
    env: 'CSMS_OCPP_PORT',
    kind: 'port',
    fallback: 9000,
    help: 'OCPP WebSocket port',
  },
  {
    key: 'apiPort',
    flag: 'api-port',
    env: 'CSMS_API_PORT',
    kind: 'port',
    fallback: 8080,
    help: 'HTTP API and dashboard port',
  },
  {
    key: 'dataDir',
    flag: 'data-dir',
    env: 'CSMS_DATA_DIR',
    kind: 'string',
    fallback: './data',
    help: 'PGlite data directory',
  },
  {
    key: 'databaseUrl',
    flag: 'database-url',
    env: 'DATABASE_URL',
    kind: 'string',
    fallback: undefined,
    secret: true,
    help: 'PostgreSQL URL (instead of PGlite)',
  },
  {
    key: 'apiToken',
    flag: 'api-token',
    env: 'CSMS_API_TOKEN',
    kind: 'string',
    fallback: undefined,
    secret: true,
    help: 'API bearer token',
  },
  {
    key: 'logLevel',
    flag: 'log-level',
    env: 'CSMS_LOG_LEVEL',
    kind: 'string',
    fallback: 'info',
    help: 'pino log level',
  },
  {
    key: 'unknownStations',
    flag: 'unknown-stations',
    env: 'CSMS_UNKNOWN_STATIONS',
    kind: 'choice',
    choices: ['accept', 'pending', 'reject'],
    fallback: 'accept',
    help: 'accept | pending | reject stations that are not registered',
  },
  {
    key: 'heartbeatIntervalS',
    flag: 'heartbeat-interval',
    env: 'CSMS_HEARTBEAT_INTERVAL',
    kind: 'int',
    fallback: 300,
    help: 'heartbeat interval in seconds given at boot',
  },
  {
    key: 'tlsPort',
    flag: 'tls-port',
    env: 'CSMS_TLS_PORT',
    kind: 'port',
    fallback: 9443,
    help: 'OCPP wss port',
  },
  {
    key: 'tlsCert',
    flag: 'tls-cert',
    env: 'CSMS_TLS_CERT',
    kind: 'string',
    fallback: undefined,
    help: 'PEM file',
  },
  {
    key: 'tlsKey',
    flag: 'tls-key',
    env: 'CSMS_TLS_KEY',
    kind: 'string',
    fallback: undefined,
    help: 'PEM file',
  },
  {
    key: 'tlsCa',
    flag: 'tls-ca',
    env: 'CSMS_TLS_CA',
    kind: 'string',
    fallback: undefined,
    help: 'client CA PEM file',
  },
  {
    key: 'messageLogSize',
    flag: 'message-log-size',
    env: 'CSMS_MESSAGE_LOG_SIZE',
    kind: 'int',
    fallback: 200,
    help: 'message log rows kept per station (a CALL with its answer, or a lone frame)',
  },
  {
    key: 'messageLog',
    flag: 'message-log',
    env: 'CSMS_MESSAGE_LOG',
    kind: 'choice',
    choices: MESSAGE_LOG_POLICIES,
    fallback: 'no-periodic',
    help: 'all | no-periodic | no-heartbeats | off: frames kept in the message log',
  },
];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads flags (`--ocpp-port 9001`) and environment variables into a validated config. */
export function loadConfig(argv: readonly string[] = process.argv.slice(2), env = process.env): CsmsConfig {
  const options = Object.fromEntries(SETTINGS.map((s) => [s.flag, { type: 'string' as const }]));
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...argv], options, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const config: Record<string, unknown> = {};
  for (const setting of SETTINGS) {
    const raw = (values[setting.flag] as string | undefined) ?? env[setting.env] ?? setting.fallback;
    config[setting.key] = raw === undefined || raw === '' ? undefined : parseValue(setting, String(raw));
  }
  return config as unknown as CsmsConfig;
}

function parseValue(setting: Setting, raw: string): string | number {
  const where = `--${setting.flag} / ${setting.env}`;
  switch (setting.kind) {
    case 'string':
      return raw;
    case 'choice': {
      const choices = setting.choices ?? [];
      if (choices.includes(raw)) return raw;
      const listed = `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
      throw new ConfigError(`${where} must be ${listed}, not ${JSON.stringify(raw)}`);
    }
    case 'port':
    case 'int': {
      const value = Number(raw);
      const max = setting.kind === 'port' ? 65535 : Number.MAX_SAFE_INTEGER;
      if (!Number.isInteger(value) || value < 0 || value > max) {
        throw new ConfigError(
          `${where} must be an integer${setting.kind === 'port' ? ' port' : ''}, not ${raw}`,
        );
      }
      return value;
    }
  }
}

/** One line per setting, secrets masked. */
export function describeConfig(config: CsmsConfig): string {
  return SETTINGS.map((s) => {
    const value = config[s.key];
    const shown =
      value === undefined ? '(not set)' : s.secret ? maskSecret(s.key, String(value)) : String(value);
    return `  ${s.flag.padEnd(18)} ${shown}`;
  }).join('\n');
}

function maskSecret(key: keyof CsmsConfig, value: string): string {
  if (key === 'databaseUrl') {
    try {
      const url = new URL(value);
      if (url.password) url.password = '***';
      return url.toString();
    } catch {
      return '***';
    }
  }
  return '***';
}
