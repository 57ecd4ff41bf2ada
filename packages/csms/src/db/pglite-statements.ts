/**
 * Named prepared statements for PGlite. `PGlite.query` parses, describes, plans and runs every
 * statement anew, as six calls into its WASM (parse, describe, bind, describe, execute, sync).
 * Here a statement seen a second time is prepared once (Parse and Describe of a named statement),
 * and each later run sends Bind, Describe, Execute and Sync together in one call.
 *
 * Measured in one thread with a data directory (3 runs each, CPU per statement): a one-row
 * meter-value INSERT (unnest of 13 arrays) 690–1,370 µs with `query`, 380–510 µs prepared and
 * planned for its parameters each run (the worker sets plan_cache_mode = force_custom_plan: generic
 * plans were slower still for some statements, see pglite-worker.ts); ten rows 1,060–1,180 against
 * 660–920 µs.
 *
 * Only SELECT, INSERT, UPDATE, DELETE and WITH are prepared. Any other statement but transaction
 * control (DDL, SET…) first closes every prepared statement, since a table it changed could change
 * what one returns; PostgreSQL re-plans a prepared statement whose tables changed, but refuses to
 * run one whose result columns changed ("cached plan must not change result type"), and such a run
 * is retried unprepared. Errors are those `query` throws: the same PostgreSQL error, with `query`.
 */
import { type PGlite, parse, protocol, type QueryOptions, type Results } from '@electric-sql/pglite';

const PREPARABLE = /^\s*(?:select|insert|update|delete|with)\b/i;
const TRANSACTION_CONTROL = /^\s*(?:begin|start|commit|end|rollback|abort|savepoint|release)\b/i;
/**
 * Errors after which a statement is run again unprepared: feature_not_supported, which PostgreSQL
 * gives a prepared SELECT whose columns changed, and invalid_sql_statement_name, for one closed
 * meanwhile (a DDL statement from another caller of the worker).
 */
const RETRY_UNPREPARED = new Set(['0A000', '26000']);

interface Prepared {
  readonly name: string;
  /** The parameters' type OIDs, as PostgreSQL inferred them: which serializer each value needs. */
  readonly types: readonly number[];
}

export interface StatementCacheOptions {
  /** Prepared statements kept at most; the least recently run is closed first (default 100). */
  readonly maxPrepared?: number;
  /** Statement texts remembered as seen once (default 1,000; then forgotten all at once). */
  readonly maxSeen?: number;
}

export class StatementCache {
  readonly #pglite: PGlite;
  readonly #maxPrepared: number;
  readonly #maxSeen: number;
  /** In the order last run (a Map keeps insertion order; a run moves its entry to the end). */
  readonly #prepared = new Map<string, Prepared>();
  readonly #seen = new Set<string>();
  #nextName = 1;

  constructor(pglite: PGlite, options: StatementCacheOptions = {}) {
    this.#pglite = pglite;
    this.#maxPrepared = options.maxPrepared ?? 100;
    this.#maxSeen = options.maxSeen ?? 1000;
  }

  /** The statements prepared now (for tests and diagnostics). */
  get size(): number {
    return this.#prepared.size;
  }

  /** Runs one statement, as `PGlite.query` would. */
  async query(sql: string, params: unknown[], options: QueryOptions): Promise<Results> {
    if (!PREPARABLE.test(sql)) {
      if (!TRANSACTION_CONTROL.test(sql)) await this.closeAll();
      return this.#pglite.query(sql, params, options);
    }
    let prepared = this.#prepared.get(sql);
    if (prepared) {
      this.#prepared.delete(sql);
      this.#prepared.set(sql, prepared);
    } else if (this.#seen.has(sql)) {
      this.#seen.delete(sql);
      prepared = await this.#prepare(sql);
    } else {
      if (this.#seen.size >= this.#maxSeen) this.#seen.clear();
      this.#seen.add(sql);
      return this.#pglite.query(sql, params, options);
    }
    try {
      return await this.#run(prepared, params, options);
    } catch (error) {
      if (!RETRY_UNPREPARED.has(String((error as { code?: unknown }).code))) throw withQuery(error, sql);
      await this.#close([sql]);
      return this.#pglite.query(sql, params, options);
    }
  }

  /** Closes every prepared statement (before DDL, and when the database's schema may have changed). */
  async closeAll(): Promise<void> {
    if (this.#prepared.size > 0) await this.#close([...this.#prepared.keys()]);
  }

  /** Parse and Describe, as `query` does, but named. Throws what `query` would have (a syntax error…). */
  async #prepare(sql: string): Promise<Prepared> {
    if (this.#prepared.size >= this.#maxPrepared) {
      await this.#close([...this.#prepared.keys()].slice(0, this.#prepared.size - this.#maxPrepared + 1));
    }
    const name = `ocppkit_${this.#nextName++}`;
    const { serialize } = protocol;
    const { messages } = await this.#pglite
      .runExclusive(() =>
        this.#pglite.execProtocol(
          concat([
            serialize.parse({ name, text: sql }),
            serialize.describe({ type: 'S', name }),
            serialize.sync(),
          ]),
        ),
      )
      .catch((error: unknown) => {
        throw withQuery(error, sql);
      });
    const prepared: Prepared = { name, types: parse.parseDescribeStatementResults(messages) };
    this.#prepared.set(sql, prepared);
    return prepared;
  }

  async #run(prepared: Prepared, params: unknown[], options: QueryOptions): Promise<Results> {
    const serializers = this.#pglite.serializers;
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serializer = serializers[prepared.types[i] ?? 0];
      return serializer ? serializer(value) : String(value);
    });
    const { serialize } = protocol;
    const message = concat([
      serialize.bind({ statement: prepared.name, values }),
      serialize.describe({ type: 'P' }),
      serialize.execute({}),
      serialize.sync(),
    ]);
    const { messages } = await this.#pglite.runExclusive(() => this.#pglite.execProtocol(message));
    const [result] = parse.parseResults(messages, this.#pglite.parsers, options);
    if (!result) throw new Error('PGlite returned no result for a prepared statement');
    return result;
  }

  /** Closes these statements; a failure (an aborted transaction) only leaves them in PGlite's memory. */
  async #close(sqls: readonly string[]): Promise<void> {
    const { serialize } = protocol;
    const closes: Uint8Array[] = [];
    for (const sql of sqls) {
      const prepared = this.#prepared.get(sql);
      if (!prepared) continue;
      this.#prepared.delete(sql);
      closes.push(serialize.close({ type: 'S', name: prepared.name }));
    }
    if (closes.length === 0) return;
    closes.push(serialize.sync());
    await this.#pglite.runExclusive(() => this.#pglite.execProtocol(concat(closes), { throwOnError: false }));
  }
}

/** The statement's text on its error, as `PGlite.query` adds it. */
function withQuery(error: unknown, sql: string): unknown {
  return error instanceof Error ? Object.assign(error, { query: sql }) : error;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
