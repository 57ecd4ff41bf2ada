/**
 * Group commit: rows handed in while a write is running are written together by the next one.
 * Nothing waits for a timer, so an idle system writes at once and a busy one writes in batches;
 * each caller's promise settles when its own rows are committed, so an answer that awaits it is
 * sent only after the data is durable.
 */
interface Waiting<Row> {
  readonly rows: Row[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class BatchWriter<Row> {
  readonly #write: (rows: Row[]) => Promise<void>;
  readonly #maxBatch: number;
  #pending: Waiting<Row>[] = [];
  #running: Promise<void> | undefined;

  constructor(write: (rows: Row[]) => Promise<void>, options: { maxBatch?: number } = {}) {
    this.#write = write;
    this.#maxBatch = options.maxBatch ?? 5000;
  }

  /** Resolves once these rows are committed. */
  write(rows: Row[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#pending.push({ rows, resolve, reject });
      this.#running ??= this.#drain();
    });
  }

  /** Resolves when everything handed in so far is written (used at shutdown). */
  async flush(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        const batch: Waiting<Row>[] = [];
        let count = 0;
        while (
          this.#pending.length > 0 &&
          (batch.length === 0 || count + this.#pending[0]!.rows.length <= this.#maxBatch)
        ) {
          const next = this.#pending.shift()!;
          batch.push(next);
          count += next.rows.length;
        }
        try {
          await this.#write(batch.flatMap((b) => b.rows));
          for (const b of batch) b.resolve();
        } catch (error) {
          if (batch.length === 1) batch[0]!.reject(error);
          // One caller's bad rows must not fail the others: retry each caller's rows on their own.
          else for (const b of batch) await this.#write(b.rows).then(b.resolve, b.reject);
        }
      }
    } finally {
      this.#running = undefined;
    }
  }
}
