/**
 * The worker thread PGlite runs in (pglite-thread.ts starts it). PGlite is PostgreSQL compiled to
 * WASM: every statement runs synchronously on the thread that calls it. In the CSMS's own event
 * loop, a batch of writes held every station's answer until it was done; here it runs beside it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { StatementCache } from './pglite-statements.js';
import { OID_INT8, OID_NUMERIC, parseInt8, parseNumeric } from './type-parsers.js';

export type ToWorker =
  | { readonly id: number; readonly op: 'query'; readonly sql: string; readonly params: unknown[] }
  | { readonly id: number; readonly op: 'exec'; readonly sql: string }
  | { readonly id: number; readonly op: 'close' }
  | { readonly id: number; readonly op: 'gc' };

export type FromWorker =
  | { readonly id: 0; readonly ready: true }
  | { readonly id: 0; readonly failed: SerializedError }
  | { readonly id: number; readonly result: WorkerQueryResult }
  | { readonly id: number; readonly error: SerializedError };

export interface WorkerQueryResult {
  readonly rows: unknown[];
  readonly command: string | undefined;
  readonly affectedRows: number | undefined;
}

/** An error's message and own fields (a PostgreSQL error's code, detail, constraint…). */
export type SerializedError = { readonly message: string; readonly name: string } & Record<string, unknown>;

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { message: String(error), name: 'Error' };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value !== 'function' && typeof value !== 'object') fields[key] = value;
  }
  return { ...fields, message: error.message, name: error.name };
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('pglite-worker.js runs as a worker thread');
  const { dataDir } = workerData as { dataDir: string | undefined };
  const parsers = { [OID_INT8]: parseInt8, [OID_NUMERIC]: parseNumeric };
  let pglite: PGlite;
  try {
    pglite = dataDir ? await PGlite.create(dataDir, { parsers }) : await PGlite.create({ parsers });
    // Prepared statements (pglite-statements.ts) are planned for their parameters every run, as the
    // unnamed ones of query() are. By default PostgreSQL switches a statement to a generic plan after
    // five runs, and the boot storm's credentials lookup (identity = ANY of an array) then took 64 ms
    // a statement instead of 2.4 (19,000 stations; storm CPU per station 1.54 ms against 1.10).
    await pglite.exec('SET plan_cache_mode = force_custom_plan');
  } catch (error) {
    port.postMessage({ id: 0, failed: serializeError(error) } satisfies FromWorker);
    return;
  }
  // Loading PGlite leaves tens of MB of garbage (its file system image, the WASM bytes); collect
  // it now when the process runs with --expose-gc (workers inherit it), so that memory measured
  // later does not depend on when this isolate happens to collect.
  (globalThis as { gc?: () => void }).gc?.();
  const statements = new StatementCache(pglite);
  port.on('message', async (message: ToWorker) => {
    try {
      if (message.op === 'query') {
        const result = await statements.query(message.sql, message.params, { rowMode: 'object' });
        const reply: FromWorker = {
          id: message.id,
          result: { rows: result.rows, command: result.command, affectedRows: result.affectedRows },
        };
        port.postMessage(reply);
      } else if (message.op === 'gc') {
        const gc = (globalThis as { gc?: () => void }).gc;
        gc?.();
        await new Promise((resolve) => setTimeout(resolve, 100));
        gc?.();
        port.postMessage({
          id: message.id,
          result: { rows: [], command: undefined, affectedRows: undefined },
        });
      } else if (message.op === 'exec') {
        await statements.closeAll();
        await pglite.exec(message.sql);
        port.postMessage({
          id: message.id,
          result: { rows: [], command: undefined, affectedRows: undefined },
        });
      } else {
        await pglite.close();
        port.postMessage({
          id: message.id,
          result: { rows: [], command: undefined, affectedRows: undefined },
        });
        port.close();
      }
    } catch (error) {
      port.postMessage({ id: message.id, error: serializeError(error) } satisfies FromWorker);
    }
  });
  port.postMessage({ id: 0, ready: true } satisfies FromWorker);
}

void main();
