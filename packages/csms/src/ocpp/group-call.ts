/**
 * Group commit for work that answers each caller: the inputs handed in while a run is going (and
 * during the current turn of the event loop) are run together, one statement for all of them, and
 * each caller gets its own result. What a boot storm needs: 19,000 stations each asking "who am I"
 * and "store my boot" one statement at a time cost PGlite ~0.4 ms a statement and took two minutes
 * (see BENCHMARKS.md); one statement per few hundred stations takes seconds.
 */
export interface GroupCallOptions {
  /** Inputs per run at most (default 1000). */
  readonly maxBatch?: number;
  /**
   * How long an idle group call waits for more inputs before it runs (default 0), before its first
   * run and after a run that finished without the event loop turning. A database that runs its
   * statements in this thread lets nothing arrive while one runs: without a wait, stations that
   * arrive a few at a time (a boot storm through a listen backlog) each got a statement of their own
   * (measured when PGlite ran in the main thread: 2,802 statements for 3,000 connecting stations,
   * 330 stations/s). PostgreSQL answers over a socket and PGlite from its worker thread
   * (pglite-thread.ts): the loop turns while a statement runs, inputs gather meanwhile, and waiting
   * would only add latency, so after their first run it is not waited for.
   */
  readonly gatherMs?: number;
  /** Called as each run starts (group-commits.ts tells background writers the database is busy). */
  readonly onRun?: () => void;
}

interface Waiting<In, Out> {
  readonly input: In;
  readonly resolve: (output: Out) => void;
  readonly reject: (error: unknown) => void;
}

export class GroupCall<In, Out> {
  readonly #run: (inputs: In[]) => Promise<Out[]>;
  readonly #maxBatch: number;
  #pending: Waiting<In, Out>[] = [];
  #running: Promise<void> | undefined;
  readonly #gatherMs: number;
  readonly #onRun: (() => void) | undefined;
  /** The last run finished without the event loop turning (a database in this thread); true before the first. */
  #blocking = true;

  /** `run` returns one output per input, in the same order. */
  constructor(run: (inputs: In[]) => Promise<Out[]>, options: GroupCallOptions = {}) {
    this.#run = run;
    this.#maxBatch = options.maxBatch ?? 1000;
    this.#gatherMs = options.gatherMs ?? 0;
    this.#onRun = options.onRun;
  }

  call(input: In): Promise<Out> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ input, resolve, reject });
      this.#running ??= nextTurn(this.#blocking ? this.#gatherMs : 0).then(() => this.#drain());
    });
  }

  async #drain(): Promise<void> {
    try {
      for (let first = true; this.#pending.length > 0; first = false) {
        // Read the sockets between two runs: a database that answers within the turn would starve them.
        if (!first) await nextTurn();
        const batch = this.#pending.splice(0, this.#maxBatch);
        this.#onRun?.();
        try {
          let turned = false;
          setImmediate(() => {
            turned = true;
          });
          const outputs = await this.#run(batch.map((w) => w.input));
          this.#blocking = !turned;
          for (const [i, w] of batch.entries()) w.resolve(outputs[i] as Out);
        } catch (error) {
          if (batch.length === 1) batch[0]!.reject(error);
          // One caller's bad input must not fail the others: run each on its own.
          else {
            for (const w of batch)
              await this.#run([w.input]).then(([output]) => w.resolve(output as Out), w.reject);
          }
        }
      }
    } finally {
      this.#running = undefined;
    }
  }
}

/** Resolves after `ms`, or after the I/O callbacks of this turn of the event loop, which may add inputs. */
function nextTurn(ms = 0): Promise<void> {
  return new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
}
