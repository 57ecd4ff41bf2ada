/**
 * The server child (`csms-bench.js --serve <kind>`): runs the CSMS, the bare echo or the ocpp-rpc
 * peer in a process of its own, so that it never shares an event loop with the load generators, and
 * answers the parent's questions about it: where to connect, how many stations it holds, its memory
 * (after a garbage collection; the child runs with --expose-gc) and the CPU time it used.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getHeapSpaceStatistics } from 'node:v8';
import type { BenchServer } from './bench-server.js';
import { serveRequests } from './ipc.js';
import { startEchoServer } from './peers/echo-server.js';
import { startOcppRpcCsms } from './peers/ocpp-rpc-csms.js';
import { type HeapSample, settle } from './settle.js';

export type ServerKind = 'echo' | 'ocpp-rpc' | 'csms';

/** The API token the benchmark's CSMS uses (it only ever listens on 127.0.0.1). */
export const BENCH_API_TOKEN = 'csms-bench-token-0123456789';

export interface ServerInfo {
  readonly ocppUrl: string;
  readonly apiUrl: string | undefined;
  readonly apiToken: string | undefined;
  readonly pid: number;
}

export interface MemorySample {
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
}

type AppModule = typeof import('@ocppkit/csms/dist/src/app.js');
type ConfigModule = typeof import('@ocppkit/csms/dist/src/config.js');

/** This repository's CSMS, or another build of it (`--csms-dist`: the before of an A/B comparison). */
async function csmsModules(dist: string | undefined): Promise<[AppModule, ConfigModule]> {
  if (!dist)
    return Promise.all([import('@ocppkit/csms/dist/src/app.js'), import('@ocppkit/csms/dist/src/config.js')]);
  const load = (file: string) => import(pathToFileURL(join(dist, file)).href);
  return Promise.all([load('app.js') as Promise<AppModule>, load('config.js') as Promise<ConfigModule>]);
}

async function startCsmsServer(
  databaseUrl: string | undefined,
  dist: string | undefined,
): Promise<BenchServer> {
  const [{ startCsms }, { loadConfig }] = await csmsModules(dist);
  // PGlite as `npm start` runs it: a data directory on disk, a fresh one per run. (In memory, its
  // files live in the process's memory: 19,000 booted stations added ~9 KB each to its RSS, and
  // growing those in-memory files was ~2 % of the boot storm's CPU.)
  const dataDir = mkdtempSync(join(tmpdir(), 'csms-bench-data-'));
  const config = loadConfig([], {
    CSMS_HOST: '127.0.0.1',
    CSMS_OCPP_PORT: '0',
    CSMS_API_PORT: '0',
    CSMS_DATA_DIR: dataDir,
    CSMS_API_TOKEN: BENCH_API_TOKEN,
    CSMS_LOG_LEVEL: 'error',
    // Any other CSMS_* setting of the bench's environment (e.g. CSMS_MESSAGE_LOG=all) reaches the CSMS.
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('CSMS_'))),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const csms = await startCsms(config);
  return {
    ocppUrl: `ws://127.0.0.1:${csms.ocppPort}/ocpp`,
    apiUrl: `http://127.0.0.1:${csms.apiPort}/api/v1`,
    apiToken: csms.apiToken,
    connections: () => csms.gateway.connectedStations().size,
    collectGarbage: () => csms.database.collectGarbage?.() ?? Promise.resolve(),
    close: async () => {
      await csms.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function start(
  kind: ServerKind,
  databaseUrl: string | undefined,
  csmsDist: string | undefined,
): Promise<BenchServer> {
  switch (kind) {
    case 'echo':
      return startEchoServer();
    case 'ocpp-rpc':
      return startOcppRpcCsms();
    case 'csms':
      return startCsmsServer(databaseUrl, csmsDist);
    default:
      throw new Error(`unknown server kind ${String(kind)}`);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The young generation's size in this fresh process: the size V8 comes back to when idle. */
const IDLE_NEW_SPACE = newSpaceSize();

function newSpaceSize(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

function heapSample(): HeapSample {
  const { rss, heapTotal, heapUsed, external } = process.memoryUsage();
  return { rss, heapTotal, heapUsed, external, newSpace: newSpaceSize() };
}

/**
 * The memory of an idle process (settle.ts), collecting in the other isolates of the process too
 * (PGlite's worker thread: collected once only, its young generation grown by the start-up's
 * migrations or by the storm moved the PGlite figure by ±0.9 KB per station from run to run).
 */
async function settledMemory(gc: () => void, collectOthers: () => Promise<void>): Promise<MemorySample> {
  const { rss, heapUsed, external } = await settle(
    {
      collect: async () => {
        await collectOthers();
        gc();
      },
      sample: heapSample,
      sleep,
      now: Date.now,
    },
    IDLE_NEW_SPACE,
  );
  return { rss, heapUsed, external };
}

/** Runs the server child until the parent says stop. */
export function runServerChild(kind: ServerKind, databaseUrl: string | undefined, csmsDist?: string): void {
  const started = start(kind, databaseUrl, csmsDist);
  // An unhandled failure to start is reported to the parent's first request, not thrown here.
  started.catch(() => {});
  let cpuMark = process.cpuUsage();
  serveRequests({
    info: async (): Promise<ServerInfo> => {
      const server = await started;
      return { ocppUrl: server.ocppUrl, apiUrl: server.apiUrl, apiToken: server.apiToken, pid: process.pid };
    },
    connections: async () => (await started).connections(),
    memory: async (body: { gc: boolean; settle?: boolean }): Promise<MemorySample> => {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (body.gc && gc) {
        // PGlite's worker thread has a heap of its own.
        const collectOthers = async () => (await started).collectGarbage?.();
        await collectOthers();
        // Twice, with a pause between: weak callbacks and finalizers of the first run free more.
        gc();
        await sleep(200);
        gc();
        await sleep(200);
        if (body.settle) return settledMemory(gc, collectOthers);
      }
      const { rss, heapUsed, external } = process.memoryUsage();
      return { rss, heapUsed, external };
    },
    cpu: () => {
      const used = process.cpuUsage(cpuMark);
      cpuMark = process.cpuUsage();
      return (used.user + used.system) / 1000;
    },
    stop: async () => {
      await (await started).close();
      // A normal exit after the answer is sent, so that --cpu-prof writes its profile.
      setTimeout(() => process.exit(0), 50);
      return true;
    },
  });
}
