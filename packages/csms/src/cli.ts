#!/usr/bin/env node
/**
 * `csms`: the management API from a terminal. Talks HTTP to a running CSMS (--url, default
 * http://localhost:8080, or CSMS_URL) with its bearer token (--token or CSMS_API_TOKEN); prints
 * tables, or the API's JSON with --json. Exits 1 with a one-line message on any error.
 */
import { parseArgs } from 'node:util';

const USAGE = `Usage: csms [--url URL] [--token TOKEN] [--json] <command>

Commands:
  stations [--search TEXT] [--connected] [--limit N] [--offset N]
  station <identity>
  tokens [--search TEXT] [--status STATUS] [--limit N] [--offset N]
  tokens add <idToken> [--type TYPE] [--status STATUS] [--expires ISO-DATE] [--parent ID] [--max-tx N]
  tokens block <idToken> [--type TYPE]
  call <station> <action> ['<json payload>'] [--timeout MS]
  transactions [--station IDENTITY] [--active] [--limit N] [--offset N]

Environment: CSMS_URL, CSMS_API_TOKEN.`;

const OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  search: { type: 'string' },
  connected: { type: 'boolean' },
  limit: { type: 'string' },
  offset: { type: 'string' },
  status: { type: 'string' },
  type: { type: 'string' },
  expires: { type: 'string' },
  parent: { type: 'string' },
  'max-tx': { type: 'string' },
  station: { type: 'string' },
  active: { type: 'boolean' },
  timeout: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];
type Row = Record<string, unknown>;

/** A failure to report in one line (exit code 1). */
class CliError extends Error {}

interface Client {
  readonly json: boolean;
  request(method: string, path: string, body?: unknown): Promise<unknown>;
}

function createClient(values: Values, env: NodeJS.ProcessEnv): Client {
  const base = (values.url ?? env.CSMS_URL ?? 'http://localhost:8080').replace(/\/+$/, '');
  const token = values.token ?? env.CSMS_API_TOKEN;
  return {
    json: values.json ?? false,
    async request(method, path, body) {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      let response: Response;
      try {
        response = await fetch(`${base}/api/v1${path}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        const cause = (
          error as { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } }
        ).cause;
        const reason = cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (error as Error).message;
        throw new CliError(`cannot reach ${base} (${reason}); is the CSMS running? (--url / CSMS_URL)`);
      }
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        throw new CliError(
          `${base} answered HTTP ${response.status} with something that is not JSON; is --url right?`,
        );
      }
      if (!response.ok) throw new CliError(describeHttpError(response.status, parsed, Boolean(token)));
      return parsed;
    },
  };
}

function describeHttpError(status: number, body: unknown, hadToken: boolean): string {
  const error = (body ?? {}) as {
    code?: string;
    message?: string;
    details?: { errorCode?: string; description?: string };
  };
  if (status === 401) {
    return hadToken
      ? 'the API refused the token (401); check --token / CSMS_API_TOKEN'
      : 'the API needs a token (401): pass --token or set CSMS_API_TOKEN (printed when the CSMS starts)';
  }
  const callError = error.details?.errorCode
    ? ` [${error.details.errorCode}: ${error.details.description ?? ''}]`
    : '';
  return `${error.code ?? `HTTP ${status}`}: ${error.message ?? 'request failed'}${callError}`;
}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number))
    throw new CliError(`--${name} must be an integer, not ${JSON.stringify(value)}`);
  return number;
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Left-aligned columns, a header row, and a dash when a value is empty. */
function formatTable(rows: readonly Row[], columns: readonly string[]): string {
  if (rows.length === 0) return '(none)';
  const cells = [columns.map((c) => c.toUpperCase()), ...rows.map((row) => columns.map((c) => cell(row[c])))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i]!.length)));
  return cells
    .map((line) =>
      line
        .map((text, i) => text.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function printPage(client: Client, page: unknown, columns: readonly string[]): void {
  if (client.json) return void console.log(JSON.stringify(page, null, 2));
  const { items, total, offset } = page as { items: Row[]; total: number; offset: number };
  console.log(formatTable(items, columns));
  if (items.length < total) console.log(`(${offset + 1}-${offset + items.length} of ${total})`);
}

async function showStation(client: Client, identity: string): Promise<void> {
  const station = (await client.request('GET', `/stations/${encodeURIComponent(identity)}`)) as Row & {
    connectors: Row[];
    configuration: Row[];
    variables: Row[];
    activeTransactions: Row[];
    recentMessages: Row[];
  };
  if (client.json) return void console.log(JSON.stringify(station, null, 2));
  const fields = [
    'identity',
    'connected',
    'protocol',
    'registrationStatus',
    'securityProfile',
    'vendor',
    'model',
  ];
  for (const field of [...fields, 'firmwareVersion', 'lastContactAt'])
    console.log(`${field.padEnd(20)}${cell(station[field])}`);
  console.log(
    `\nConnectors\n${formatTable(station.connectors, ['evseId', 'connectorId', 'status', 'errorCode', 'statusAt'])}`,
  );
  console.log(
    `\nActive transactions\n${formatTable(station.activeTransactions, ['id', 'evseId', 'idToken', 'startedAt', 'energyWh'])}`,
  );
  if (station.configuration.length)
    console.log(`\nConfiguration\n${formatTable(station.configuration, ['key', 'value', 'readonly'])}`);
  if (station.variables.length) {
    console.log(
      `\nVariables\n${formatTable(station.variables, ['componentName', 'variableName', 'attributeType', 'value'])}`,
    );
  }
  console.log(
    `\nRecent messages\n${formatTable(station.recentMessages, ['createdAt', 'direction', 'messageType', 'action'])}`,
  );
}

async function tokens(client: Client, args: readonly string[], values: Values): Promise<void> {
  const [sub, idToken] = args;
  if (sub === undefined) {
    const path = `/id-tokens${query({ search: values.search, status: values.status, limit: integer('limit', values.limit), offset: integer('offset', values.offset) })}`;
    const columns = ['idToken', 'type', 'status', 'expiresAt', 'parentIdToken', 'maxConcurrentTx'];
    return printPage(client, await client.request('GET', path), columns);
  }
  if (!idToken) throw new CliError(`usage: csms tokens ${sub} <idToken>`);
  let token: unknown;
  if (sub === 'add') {
    token = await client.request('POST', '/id-tokens', {
      idToken,
      ...(values.type && { type: values.type }),
      ...(values.status && { status: values.status }),
      ...(values.expires && { expiresAt: values.expires }),
      ...(values.parent && { parentIdToken: values.parent }),
      ...(values['max-tx'] !== undefined && { maxConcurrentTx: integer('max-tx', values['max-tx']) }),
    });
  } else if (sub === 'block') {
    token = await client.request(
      'PATCH',
      `/id-tokens/${encodeURIComponent(idToken)}${query({ type: values.type })}`,
      {
        status: 'Blocked',
      },
    );
  } else {
    throw new CliError(`unknown tokens command ${JSON.stringify(sub)} (add, block)`);
  }
  if (client.json) return void console.log(JSON.stringify(token, null, 2));
  const row = token as Row;
  console.log(
    `${sub === 'add' ? 'added' : 'blocked'} ${cell(row.idToken)} (${cell(row.type)}): ${cell(row.status)}`,
  );
}

async function call(client: Client, args: readonly string[], values: Values): Promise<void> {
  const [station, action, json] = args;
  if (!station || !action) throw new CliError("usage: csms call <station> <action> ['<json payload>']");
  let payload: unknown;
  try {
    payload = JSON.parse(json ?? '{}');
  } catch (error) {
    throw new CliError(`the payload is not valid JSON: ${(error as Error).message}`);
  }
  const path = `/stations/${encodeURIComponent(station)}/call/${encodeURIComponent(action)}${query({ timeoutMs: integer('timeout', values.timeout) })}`;
  const reply = (await client.request('POST', path, payload)) as { response: unknown };
  console.log(JSON.stringify(client.json ? reply : reply.response, null, 2));
}

async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help || command === undefined || command === 'help') return void console.log(USAGE);
  const client = createClient(values, env);
  switch (command) {
    case 'stations': {
      const path = `/stations${query({ search: values.search, connected: values.connected, limit: integer('limit', values.limit), offset: integer('offset', values.offset) })}`;
      const columns = [
        'identity',
        'connected',
        'protocol',
        'registrationStatus',
        'vendor',
        'model',
        'lastContactAt',
      ];
      return printPage(client, await client.request('GET', path), columns);
    }
    case 'station':
      if (!args[0]) throw new CliError('usage: csms station <identity>');
      return showStation(client, args[0]);
    case 'tokens':
      return tokens(client, args, values);
    case 'call':
      return call(client, args, values);
    case 'transactions': {
      const path = `/transactions${query({ station: values.station, active: values.active, limit: integer('limit', values.limit), offset: integer('offset', values.offset) })}`;
      const columns = [
        'id',
        'stationIdentity',
        'evseId',
        'idToken',
        'status',
        'startedAt',
        'stoppedAt',
        'energyWh',
      ];
      return printPage(client, await client.request('GET', path), columns);
    }
    default:
      throw new CliError(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
  }
}

runCli(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`csms: ${error instanceof CliError ? error.message : String(error)}`);
  process.exitCode = 1;
});
