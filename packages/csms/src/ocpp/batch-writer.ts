/**
 * Group commit: rows handed in while a write is running are written together by the next one, and
 * a write starts only once the frames already read from the sockets have handed in theirs (one
 * setImmediate): PGlite answers within the same tick, so without that pause every row of a busy
 * PGlite CSMS was its own statement (measured: 1 row per INSERT at 200 stations). Each caller's
 * promise settles when its own rows are committed, so an answer that awaits it is sent only after
 * the data is durable.
 */
interface Waiting<Row> {
  readonly rows: Row[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class BatchWriter<Row> {
  readonly #write: (rows: Row[]) => Promise<void>;
  readonly #maxBatch: number;
  readonly #gatherMs: number;
  readonly #onLooseError: (error: unknown, rows: Row[]) => void;
  readonly #yieldTo: BatchWriterOptions<Row>['yieldTo'];
  /** When the loose rows began to wait for the foreground (0: they are not waiting). */
  #yieldingSince = 0;
  #pending: Waiting<Row>[] = [];
  /** Rows handed in with add(): nobody waits for them. */
  #loose: Row[] = [];
  #running: Promise<void> | undefined;

  constructor(write: (rows: Row[]) => Promise<void>, options: BatchWriterOptions<Row> = {}) {
    this.#write = write;
    this.#maxBatch = options.maxBatch ?? 5000;
    this.#gatherMs = options.gatherMs ?? 0;
    this.#onLooseError = options.onLooseError ?? (() => {});
    this.#yieldTo = options.yieldTo;
  }

  /** Resolves once these rows are committed. */
  write(rows: Row[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#pending.push({ rows, resolve, reject });
      this.#start();
    });
  }

  /**
   * Queues a row nobody waits for (the message log): no promise per row, which a CSMS writing two
   * rows per CALL notices. A failed write goes to `onLooseError`.
   */
  add(row: Row): void {
    this.#loose.push(row);
    this.#start();
  }

  /** Resolves when everything handed in so far is written (used at shutdown). */
  async flush(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** True while loose rows should wait for the writes somebody waits for (see `yieldTo`). */
  #yields(): boolean {
    const yieldTo = this.#yieldTo;
    if (yieldTo?.busy()) {
      const now = Date.now();
      if (this.#yieldingSince === 0) this.#yieldingSince = now;
      if (this.#loose.length < yieldTo.maxRows && now - this.#yieldingSince < yieldTo.maxMs) return true;
    }
    this.#yieldingSince = 0;
    return false;
  }

  #start(): void {
    this.#running ??= gathered(this.#gatherMs).then(() => this.#drain());
  }

  async #drain(): Promise<void> {
    try {
      for (let first = true; this.#pending.length > 0 || this.#loose.length > 0; first = false) {
        // PGlite runs a statement without leaving the event loop: let the sockets be read between
        // two batches, or a backlog would hold every station's answer until it is all written.
        if (!first) await gathered(0);
        if (this.#pending.length === 0 && this.#yields()) {
          await gathered(Math.max(this.#gatherMs, 10));
          continue;
        }
        // Rows nobody waits for gather between two writes as well, unless a full batch is there:
        // under steady traffic every write used to find a few new rows and write them at once
        // (measured on PGlite at 1,000 MeterValues/s: ~400 message-log INSERTs a second, of ~5 rows).
        if (
          !first &&
          this.#pending.length === 0 &&
          this.#loose.length < this.#maxBatch &&
          this.#gatherMs > 0
        ) {
          await gathered(this.#gatherMs);
        }
        const loose = this.#loose.splice(0, this.#maxBatch);
        let count = loose.length;
        let taken = 0;
        while (
          taken < this.#pending.length &&
          (count === 0 || count + this.#pending[taken]!.rows.length <= this.#maxBatch)
        ) {
          count += this.#pending[taken]!.rows.length;
          taken += 1;
        }
        const batch = this.#pending.splice(0, taken);
        try {
          await this.#write(batch.length === 0 ? loose : [...loose, ...batch.flatMap((b) => b.rows)]);
          for (const b of batch) b.resolve();
        } catch (error) {
          if (loose.length > 0) this.#onLooseError(error, loose);
          if (batch.length === 1 && loose.length === 0) batch[0]!.reject(error);
          // One caller's bad rows must not fail the others: retry each caller's rows on their own.
          else for (const b of batch) await this.#write(b.rows).then(b.resolve, b.reject);
        }
      }
    } finally {
      this.#running = undefined;
    }
  }
}

export interface BatchWriterOptions<Row> {
  /** What to do when rows handed in with add() could not be written (default: nothing). */
  readonly onLooseError?: (error: unknown, rows: Row[]) => void;
  /** Rows per write at most (default 5000). */
  readonly maxBatch?: number;
  /**
   * How long an idle writer waits for more rows before it writes, and how long rows nobody waits
   * for gather between two writes (default 0: until the I/O callbacks of this turn of the event
   * loop ran). Worth it where nobody waits for the write, or
   * where a statement costs much more than a row (PGlite: ~0.4 ms a statement).
   */
  readonly gatherMs?: number;
  /**
   * Rows nobody waits for give way while `busy()` says the database is running writes that
   * stations wait for (a boot storm), for at most `maxMs` and `maxRows`, then are written anyway.
   */
  readonly yieldTo?: { readonly busy: () => boolean; readonly maxMs: number; readonly maxRows: number };
}

/** Resolves after `ms`, or after the I/O callbacks of this turn of the event loop, which may add rows. */
function gathered(ms: number): Promise<void> {
  return new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
}
