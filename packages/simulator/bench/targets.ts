/**
 * The servers measured (the CSMS on each database, the ocpp-rpc peer, the bare echo) and the child
 * processes that run them and the load.
 */
import { fileURLToPath } from 'node:url';
import { type ChildHandle, forkChild } from './ipc.js';
import type { BenchOptions } from './options.js';
import { createBenchDatabase, isLocalServer, postgresCpuMs } from './postgres.js';
import type { MemorySample, ServerInfo, ServerKind } from './server-child.js';

export interface Target {
  readonly key: 'echo' | 'ocpp-rpc' | 'csms-pglite' | 'csms-postgres';
  readonly label: string;
  readonly kind: ServerKind;
}

export const ECHO: Target = { key: 'echo', label: 'bare ws echo (ceiling)', kind: 'echo' };
export const PEER: Target = { key: 'ocpp-rpc', label: 'ocpp-rpc CSMS, strict (peer)', kind: 'ocpp-rpc' };
export const CSMS_PGLITE: Target = { key: 'csms-pglite', label: 'CSMS, PGlite', kind: 'csms' };
export const CSMS_POSTGRES: Target = { key: 'csms-postgres', label: 'CSMS, PostgreSQL', kind: 'csms' };

/** Every server of this run: the CSMS on PostgreSQL only when DATABASE_URL is set. */
export function targetsOf(options: BenchOptions): Target[] {
  const all = [ECHO, PEER, CSMS_PGLITE, ...(options.databaseUrl ? [CSMS_POSTGRES] : [])];
  return options.servers ? all.filter((t) => options.servers?.includes(t.key)) : all;
}

export const isCsms = (target: Target) => target.kind === 'csms';

const SCRIPT = fileURLToPath(new URL('./csms-bench.js', import.meta.url));

export interface RunningServer {
  readonly info: ServerInfo;
  /**
   * Process memory: after a garbage collection when `gc`, and with `settle` once V8 has given back
   * what a burst grew (server-child.ts, settledMemory).
   */
  memory(gc: boolean, settle?: boolean): Promise<MemorySample>;
  /** CPU milliseconds used since the previous call. */
  cpu(): Promise<number>;
  /**
   * CPU milliseconds PostgreSQL's processes used since the previous call, for the CSMS on a
   * PostgreSQL of this machine; undefined for the others.
   */
  databaseCpu(): number | undefined;
  connections(): Promise<number>;
  /** Stops the server, waits for the process to exit, drops its database. */
  stop(): Promise<void>;
}

export async function startServer(target: Target, options: BenchOptions): Promise<RunningServer> {
  const database =
    target.key === 'csms-postgres' ? await createBenchDatabase(options.databaseUrl!) : undefined;
  const execArgv = ['--expose-gc'];
  if (options.profileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.profileDir}`);
  const args = [
    '--serve',
    target.kind,
    ...(database ? ['--database-url', database.url] : []),
    ...(options.csmsDist ? ['--csms-dist', options.csmsDist] : []),
  ];
  const handle = forkChild(SCRIPT, args, { label: target.key, execArgv });
  let info: ServerInfo;
  try {
    info = await handle.request<ServerInfo>('info');
  } catch (error) {
    handle.child.kill();
    await handle.exited;
    await database?.drop();
    throw error;
  }
  const sampleDatabase =
    database && isLocalServer(options.databaseUrl!) ? () => postgresCpuMs() : () => undefined;
  let databaseMark = sampleDatabase();
  return {
    info,
    databaseCpu() {
      const now = sampleDatabase();
      const used = now !== undefined && databaseMark !== undefined ? now - databaseMark : undefined;
      databaseMark = now;
      return used;
    },
    memory: (gc, settle = false) => handle.request<MemorySample>('memory', { gc, settle }),
    cpu: () => handle.request<number>('cpu'),
    connections: () => handle.request<number>('connections'),
    async stop() {
      try {
        await handle.request('stop');
      } catch {
        handle.child.kill();
      }
      await handle.exited;
      await database?.drop();
    },
  };
}

export interface LoadChild {
  readonly handle: ChildHandle;
  stop(): Promise<void>;
}

export function startLoadChild(label: string, onProgress?: (progress: unknown) => void): LoadChild {
  const handle = forkChild(SCRIPT, ['--load'], { label, onProgress });
  return {
    handle,
    async stop() {
      await handle.request('exit').catch(() => handle.child.kill());
      await handle.exited;
    },
  };
}
