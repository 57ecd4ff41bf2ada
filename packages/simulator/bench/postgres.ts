/**
 * A fresh PostgreSQL database per CSMS run, created on the server DATABASE_URL points at and dropped
 * afterwards, so that every run starts from empty tables and the benchmark leaves nothing behind.
 */
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';

export interface BenchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

let created = 0;

async function onServer<T>(serverUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `csms_bench_${process.pid}_${++created}`;
  // The name is ours (letters, digits, underscores), so it is safe to splice in.
  await onServer(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      onServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => {},
      ),
  };
}

/** The server's version string, for the report. */
export function postgresVersion(serverUrl: string): Promise<string> {
  return onServer(serverUrl, async (client) => {
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    return `PostgreSQL ${result.rows[0]?.server_version ?? '?'}`;
  });
}

/** Whether the PostgreSQL server of `serverUrl` runs on this machine, where /proc shows its processes. */
export function isLocalServer(serverUrl: string): boolean {
  const host = new URL(serverUrl).hostname;
  return host === '' || host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

/**
 * CPU milliseconds every PostgreSQL process of this machine has used so far, read from /proc: each
 * live process's own time, and the time of the exited ones, which the postmaster holds as its
 * children's (cutime, cstime) once it has reaped them. Undefined where /proc shows no postgres process.
 * Other databases' work on the same server is counted too.
 */
export function postgresCpuMs(proc = '/proc'): number | undefined {
  let ticks = 0;
  let found = false;
  let pids: string[];
  try {
    pids = readdirSync(proc).filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`${proc}/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
    const close = stat.lastIndexOf(')');
    if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
    const fields = stat.slice(close + 2).split(' ');
    // Fields 14–17 of proc(5) (utime, stime, cutime, cstime) are 11–14 here, counted from the state (3).
    for (let i = 11; i <= 14; i++) ticks += Number(fields[i] ?? 0);
    found = true;
  }
  // Clock ticks of USER_HZ, which Linux fixes at 100 a second for /proc.
  return found ? ticks * 10 : undefined;
}
