/**
 * Request/answer over a forked child's IPC channel: the benchmark's parent drives its server and load
 * children this way. Each request carries an id; the child answers with the same id, or with an
 * error. Messages without an id are progress reports.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createInterface } from 'node:readline';

interface Envelope {
  readonly id?: number;
  readonly cmd?: string;
  readonly body?: unknown;
  readonly result?: unknown;
  readonly error?: string;
  readonly progress?: unknown;
}

export type Handlers = Record<string, (body: never) => unknown>;

export interface ChildHandle {
  readonly child: ChildProcess;
  /** Sends a command and resolves with the child's answer; rejects if the child fails it or exits. */
  request<T>(cmd: string, body?: unknown): Promise<T>;
  /** Resolves with the exit code once the child ended. */
  readonly exited: Promise<number | null>;
}

/**
 * Forks `script` with `args`; its stdout and stderr are passed on line by line to our stderr, marked
 * with `label`, so the benchmark's own stdout stays a clean report.
 */
export function forkChild(
  script: string,
  args: readonly string[],
  options: { label: string; execArgv?: readonly string[]; onProgress?: (progress: unknown) => void },
): ChildHandle {
  const child = fork(script, [...args], {
    execArgv: [...(options.execArgv ?? [])],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) =>
      process.stderr.write(`[${options.label}] ${line}\n`),
    );
  }
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      for (const w of waiting.values()) w.reject(new Error(`${options.label} exited (${code})`));
      waiting.clear();
      resolve(code);
    });
  });
  child.on('message', (message: Envelope) => {
    if (message.id === undefined) {
      options.onProgress?.(message.progress);
      return;
    }
    const waiter = waiting.get(message.id);
    if (!waiter) return;
    waiting.delete(message.id);
    if (message.error !== undefined) waiter.reject(new Error(`${options.label}: ${message.error}`));
    else waiter.resolve(message.result);
  });
  return {
    child,
    exited,
    request<T>(cmd: string, body?: unknown): Promise<T> {
      if (child.exitCode !== null || child.signalCode !== null) {
        return Promise.reject(new Error(`${options.label} is not running`));
      }
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ id, cmd, body } satisfies Envelope);
      });
    },
  };
}

/** The child's side: runs the handler of each command and answers it. */
export function serveRequests(handlers: Handlers): void {
  process.on('message', (message: Envelope) => {
    const { id, cmd } = message;
    if (id === undefined || cmd === undefined) return;
    const handler = handlers[cmd];
    const answer = (reply: Envelope) => process.send?.(reply);
    if (!handler) {
      answer({ id, error: `unknown command ${cmd}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message.body as never))
      .then(
        (result) => answer({ id, result }),
        (error: unknown) => answer({ id, error: error instanceof Error ? error.message : String(error) }),
      );
  });
}

/** A progress report from a child to its parent. */
export function reportProgress(progress: unknown): void {
  process.send?.({ progress } satisfies Envelope);
}
