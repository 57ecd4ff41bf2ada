/**
 * Transaction messages, delivered one at a time and in order, kept while the station is offline.
 * OCPP 1.6 §4.7 / 2.0.1 E08.FR.05–06: transaction-related messages are queued while offline and sent
 * once the connection is back; a message the CSMS could not process is retried
 * TransactionMessageAttempts times, TransactionMessageRetryInterval apart (growing with each try).
 * The payload is built when the message is sent, so a 1.6 MeterValues or StopTransaction queued
 * before its StartTransaction was answered carries the transactionId the CSMS assigned meanwhile.
 */
import { OcppError } from 'ocppkit';

export interface TransactionQueueOptions {
  send(action: string, payload: Record<string, unknown>): Promise<unknown>;
  /** Connected, accepted and not offline. */
  canSend(): boolean;
  maxAttempts(): number;
  retryIntervalMs(): number;
  /** A message dropped after its last attempt (or because it can never succeed). */
  onGiveUp?(action: string, error: unknown): void;
}

interface Entry {
  readonly action: string;
  readonly payload: () => Record<string, unknown>;
  readonly onAnswer: ((answer: unknown) => void) | undefined;
  readonly resolve: (answer: unknown) => void;
  readonly reject: (error: unknown) => void;
  attempts: number;
}

export class TransactionQueue {
  readonly #options: TransactionQueueOptions;
  readonly #entries: Entry[] = [];
  #draining = false;
  #closed = false;
  #wake: (() => void) | undefined;
  #idleWaiters: Array<() => void> = [];

  constructor(options: TransactionQueueOptions) {
    this.#options = options;
  }

  get length(): number {
    return this.#entries.length;
  }

  /** The actions waiting, oldest first. */
  get pending(): string[] {
    return this.#entries.map((e) => e.action);
  }

  /**
   * Queues a message; resolves with the CSMS's answer once delivered, rejects when given up.
   * `onAnswer` runs before the next message is built (a promise callback would run too late).
   */
  push(
    action: string,
    payload: () => Record<string, unknown>,
    onAnswer?: (answer: unknown) => void,
  ): Promise<unknown> {
    if (this.#closed) return Promise.reject(new OcppError('OCPP_ERR_CONNECTION_CLOSED', 'Station closed'));
    const delivered = new Promise<unknown>((resolve, reject) => {
      this.#entries.push({ action, payload, onAnswer, resolve, reject, attempts: 0 });
    });
    // Offline callers do not wait for delivery; the rejection is still theirs to see if they do.
    delivered.catch(() => {});
    if (!this.#draining) void this.#drain();
    return delivered;
  }

  /** The station can send again (connected, accepted): deliver what waits, cutting a retry wait short. */
  resume(): void {
    this.#wake?.();
    if (!this.#draining) void this.#drain();
  }

  /** Resolves when nothing is waiting any more. */
  whenEmpty(): Promise<void> {
    if (this.#entries.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Fails every waiting message (the station is closed for good). */
  close(): void {
    this.#closed = true;
    this.#wake?.();
    const error = new OcppError('OCPP_ERR_CONNECTION_CLOSED', 'Station closed');
    for (const entry of this.#entries.splice(0)) entry.reject(error);
    this.#notifyIdle();
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (!this.#closed && this.#entries.length > 0 && this.#options.canSend()) {
        const entry = this.#entries[0]!;
        try {
          const answer = await this.#options.send(entry.action, entry.payload());
          this.#entries.shift();
          try {
            entry.onAnswer?.(answer);
          } finally {
            entry.resolve(answer);
          }
        } catch (error) {
          if (this.#closed) break;
          if (isConnectionLoss(error)) {
            // Kept at the head; resume() runs again once the station is back. A retried message
            // may arrive twice, which the CSMS must treat as a duplicate (OCPP-NOTES).
            if (this.#options.canSend()) await this.#sleep(100);
            continue;
          }
          entry.attempts += 1;
          if (!isRetryable(error) || entry.attempts >= this.#options.maxAttempts()) {
            this.#entries.shift();
            entry.reject(error);
            this.#options.onGiveUp?.(entry.action, error);
            continue;
          }
          await this.#sleep(this.#options.retryIntervalMs() * entry.attempts);
        }
      }
    } finally {
      this.#draining = false;
      if (this.#entries.length === 0) this.#notifyIdle();
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }

  #notifyIdle(): void {
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}

function isConnectionLoss(error: unknown): boolean {
  return error instanceof OcppError && error.code === 'OCPP_ERR_CONNECTION_CLOSED';
}

/** Our own invalid request will never get through; everything else (timeouts, CALLERRORs) may. */
function isRetryable(error: unknown): boolean {
  return !(error instanceof OcppError && error.code === 'OCPP_ERR_REQUEST_INVALID');
}
