/**
 * Our CALLs to the peer, one outstanding at a time, the rest waiting in order
 * (OCPP-J 1.6 §4.1.1 SHOULD, 2.0.1 Part 4 §4.1.1 SHALL). A timeout starts when the CALL is sent,
 * so calls queued while a client reconnects are not lost to the outage.
 */
import { OcppError } from '../errors/errors.js';

interface PendingCall {
  readonly action: string;
  readonly payload: Record<string, unknown>;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (answer: SentCallResult) => void;
  readonly reject: (error: Error) => void;
  readonly onAbort: () => void;
  id?: string;
  timer?: NodeJS.Timeout;
}

export interface SentCallResult {
  readonly messageId: string;
  readonly result: unknown;
}

export type Settlement = { readonly result: unknown } | { readonly error: Error };

export interface OutgoingCallsOptions {
  readonly defaultTimeoutMs: number;
  readonly send: (id: string, action: string, payload: Record<string, unknown>) => boolean;
  readonly nextId: () => string;
  readonly connected: () => boolean;
}

export class OutgoingCalls {
  readonly #options: OutgoingCallsOptions;
  readonly #queue: PendingCall[] = [];
  #inFlight: PendingCall | undefined;
  /** Set once the transport has ended: later calls fail at once instead of waiting forever. */
  #ended: Error | undefined;

  constructor(options: OutgoingCallsOptions) {
    this.#options = options;
  }

  enqueue(
    action: string,
    payload: Record<string, unknown>,
    options: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<SentCallResult> {
    const { signal } = options;
    if (this.#ended) return Promise.reject(this.#ended);
    if (signal?.aborted) return Promise.reject(abortError(action, signal));
    return new Promise<SentCallResult>((resolve, reject) => {
      const call: PendingCall = {
        action,
        payload,
        timeoutMs: options.timeoutMs ?? this.#options.defaultTimeoutMs,
        signal,
        resolve,
        reject,
        onAbort: () => this.#finish(call, { error: abortError(action, signal) }),
      };
      signal?.addEventListener('abort', call.onAbort, { once: true });
      this.#queue.push(call);
      this.#pump();
    });
  }

  /** The action of the CALL with this id if it is the one in flight. */
  actionOf(id: string): string | undefined {
    return this.#inFlight?.id === id ? this.#inFlight.action : undefined;
  }

  /** Settles the in-flight CALL with this id; false when no such CALL is waiting (late or unknown id). */
  settle(id: string, settlement: Settlement): boolean {
    const call = this.#inFlight;
    if (!call || call.id !== id) return false;
    this.#finish(call, settlement);
    return true;
  }

  /** The socket is open (again): send what waits. */
  resume(): void {
    this.#pump();
  }

  /** The socket dropped: the in-flight CALL cannot be answered any more; queued ones wait for a reconnect. */
  interrupt(error: Error): void {
    if (this.#inFlight) this.#finish(this.#inFlight, { error });
  }

  /** The transport ended: fail everything. */
  failAll(error: Error): void {
    this.#ended = error;
    this.interrupt(error);
    for (const call of this.#queue.splice(0)) {
      this.#cleanup(call);
      call.reject(error);
    }
  }

  #pump(): void {
    while (!this.#inFlight && this.#queue.length > 0 && this.#options.connected()) {
      const call = this.#queue.shift()!;
      call.id = this.#options.nextId();
      this.#inFlight = call;
      if (!this.#options.send(call.id, call.action, call.payload)) {
        this.#finish(call, { error: new OcppError('OCPP_ERR_CONNECTION_CLOSED', 'Connection closed') });
        continue;
      }
      call.timer = setTimeout(() => {
        this.#finish(call, {
          error: new OcppError('OCPP_ERR_TIMEOUT', `No answer to ${call.action} within ${call.timeoutMs} ms`),
        });
      }, call.timeoutMs);
    }
  }

  #finish(call: PendingCall, settlement: Settlement): void {
    this.#cleanup(call);
    if (this.#inFlight === call) {
      this.#inFlight = undefined;
    } else {
      const index = this.#queue.indexOf(call);
      if (index < 0) return;
      this.#queue.splice(index, 1);
    }
    if ('error' in settlement) call.reject(settlement.error);
    else call.resolve({ messageId: call.id!, result: settlement.result });
    this.#pump();
  }

  #cleanup(call: PendingCall): void {
    if (call.timer) clearTimeout(call.timer);
    call.signal?.removeEventListener('abort', call.onAbort);
  }
}

function abortError(action: string, signal: AbortSignal | undefined): OcppError {
  return new OcppError('OCPP_ERR_ABORTED', `${action} was aborted`, { cause: signal?.reason });
}
