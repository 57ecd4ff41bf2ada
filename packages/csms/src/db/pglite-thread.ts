/**
 * PGlite in a worker thread (pglite-worker.ts), behind the one method the Kysely dialect uses. The
 * CSMS's event loop then reads sockets and answers stations while the database works on the other
 * core; measured on the 19,000-station boot storm, PGlite was ~40 % of the CSMS's CPU when it ran
 * in the event loop.
 */
import { Worker } from 'node:worker_threads';
import { DatabaseError, type DatabaseErrorCode } from './errors.js';
import type { FromWorker, SerializedError, ToWorker, WorkerQueryResult } from './pglite-worker.js';

/** What the dialect needs of a PGlite: one query at a time, rows as objects. */
export interface PGliteQueryable {
  query<R>(sql: string, params: unknown[]): Promise<{ rows: R[]; command?: string; affectedRows?: number }>;
}

interface Waiting {
  readonly resolve: (result: WorkerQueryResult) => void;
  readonly reject: (error: Error) => void;
}

type Request = ToWorker extends infer T ? (T extends { id: number } ? Omit<T, 'id'> : never) : never;

export class PGliteThread implements PGliteQueryable {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, Waiting>();
  #nextId = 1;
  #exited: Error | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (message: FromWorker) => {
      const waiting = this.#waiting.get(message.id);
      if (!waiting) return;
      this.#waiting.delete(message.id);
      if ('result' in message) waiting.resolve(message.result);
      else if ('error' in message) waiting.reject(deserializeError(message.error));
    });
    worker.on('exit', (code) => {
      this.#exited = new Error(`the PGlite worker exited (code ${code})`);
      for (const waiting of this.#waiting.values()) waiting.reject(this.#exited);
      this.#waiting.clear();
    });
  }

  /** Starts the worker and opens the database in `dataDir` (in memory when undefined). */
  static async create(dataDir: string | undefined): Promise<PGliteThread> {
    const worker = new Worker(new URL('./pglite-worker.js', import.meta.url), { workerData: { dataDir } });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: FromWorker) => {
        if (message.id !== 0) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        if ('ready' in message) resolve();
        else if ('failed' in message) {
          void worker.terminate();
          reject(deserializeError(message.failed));
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    return new PGliteThread(worker);
  }

  async query<R>(
    sql: string,
    params: unknown[],
  ): Promise<{ rows: R[]; command?: string; affectedRows?: number }> {
    const result = await this.#send({ op: 'query', sql, params });
    return { rows: result.rows as R[], command: result.command, affectedRows: result.affectedRows };
  }

  async exec(sql: string): Promise<void> {
    await this.#send({ op: 'exec', sql });
  }

  /** Runs the worker's garbage collector (only when the process runs with --expose-gc). */
  async collectGarbage(): Promise<void> {
    await this.#send({ op: 'gc' });
  }

  /** Closes the database (its files are consistent afterwards) and ends the thread. */
  async close(): Promise<void> {
    if (this.#exited) return;
    await this.#send({ op: 'close' });
    await this.#worker.terminate();
  }

  #send(request: Request): Promise<WorkerQueryResult> {
    if (this.#exited) return Promise.reject(this.#exited);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#worker.postMessage({ ...request, id } as ToWorker);
    });
  }
}

/** The error as thrown in the worker, with its fields (code, detail…) but this thread's stack. */
function deserializeError(serialized: SerializedError): Error {
  const { message, name, ...fields } = serialized;
  // Our own errors (an int8 too big for a JS number, from the worker's type parsers) keep their class.
  if (name === 'DatabaseError' && typeof fields.code === 'string' && fields.code.startsWith('DB_')) {
    return new DatabaseError(fields.code as DatabaseErrorCode, message);
  }
  const error = new Error(message);
  error.name = name;
  return Object.assign(error, fields);
}
