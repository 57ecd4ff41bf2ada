/**
 * Our CALLs to the peer, one outstanding at a time, the rest waiting in order
 * (OCPP-J 1.6 §4.1.1 SHOULD, 2.0.1 Part 4 §4.1.1 SHALL). A timeout starts when the CALL is sent,
 * so calls queued while a client reconnects are not lost to the outage.
 */
import { randomBytes } from 'node:crypto';
import { OcppError } from '../errors/errors.js';

interface PendingCall {
  readonly action: string;
  readonly payload: Record<string, unknown>;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (answer: SentCallResult) => void;
  readonly reject: (error: Error) => void;
  onAbort: (() => void) | undefined;
  id?: string;
  timer?: NodeJS.Timeout;
}

export interface SentCallResult {
  readonly messageId: string;
  readonly result: unknown;
}

export type Settlement = { readonly result: unknown } | { readonly error: Error };

/** The session as the queue sees it: an interface, not closures that every connection would keep. */
export interface CallWriter {
  /** Writes the CALL frame; false when the socket is not open. */
  writeCall(id: string, action: string, payload: Record<string, unknown>): boolean;
  isOpen(): boolean;
}

/**
 * Message ids: unique per connection and direction is all OCPP asks (OCPP-J 1.6 §4.1.3, 2.0.1 Part 4
 * §4.1.4); one counter for the process, behind a random prefix per process, makes them unique across
 * connections too (easier to follow in logs) without a counter and a prefix string per connection.
 */
const ID_PREFIX = randomBytes(4).toString('hex');
let idCounter = 0;

export function nextMessageId(): string {
  idCounter = (idCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `${ID_PREFIX}-${idCounter.toString(36)}`;
}

export class OutgoingCalls {
  readonly #writer: CallWriter;
  readonly #defaultTimeoutMs: number;
  readonly #queue: PendingCall[] = [];
  #inFlight: PendingCall | undefined;

  constructor(writer: CallWriter, defaultTimeoutMs: number) {
    this.#writer = writer;
    this.#defaultTimeoutMs = defaultTimeoutMs;
  }

  enqueue(
    action: string,
    payload: Record<string, unknown>,
    options: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<SentCallResult> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortError(action, signal));
    return new Promise<SentCallResult>((resolve, reject) => {
      const call: PendingCall = {
        action,
        payload,
        timeoutMs: options.timeoutMs ?? this.#defaultTimeoutMs,
        signal,
        resolve,
        reject,
        onAbort: undefined,
      };
      if (signal) {
        call.onAbort = () => this.#finish(call, { error: abortError(action, signal) });
        signal.addEventListener('abort', call.onAbort, { once: true });
      }
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

  /** The transport ended: fail everything (the session refuses later calls itself). */
  failAll(error: Error): void {
    this.interrupt(error);
    for (const call of this.#queue.splice(0)) {
      this.#cleanup(call);
      call.reject(error);
    }
  }

  #pump(): void {
    while (!this.#inFlight && this.#queue.length > 0 && this.#writer.isOpen()) {
      const call = this.#queue.shift()!;
      call.id = nextMessageId();
      this.#inFlight = call;
      if (!this.#writer.writeCall(call.id, call.action, call.payload)) {
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
    if (call.onAbort) call.signal?.removeEventListener('abort', call.onAbort);
  }
}

function abortError(action: string, signal: AbortSignal | undefined): OcppError {
  return new OcppError('OCPP_ERR_ABORTED', `${action} was aborted`, { cause: signal?.reason });
}
