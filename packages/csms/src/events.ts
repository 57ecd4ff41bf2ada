/** Live events inside the CSMS, for the dashboard's server-sent events and for tests. */
import { EventEmitter } from 'node:events';

export type CsmsEvent =
  | {
      readonly type: 'station';
      readonly identity: string;
      readonly connected: boolean;
      readonly protocol?: string;
    }
  | { readonly type: 'boot'; readonly identity: string; readonly status: string }
  | {
      readonly type: 'connector';
      readonly identity: string;
      readonly evseId: number;
      readonly connectorId: number;
      readonly status: string;
    }
  | {
      readonly type: 'transaction';
      readonly identity: string;
      readonly transactionId: number;
      readonly active: boolean;
    }
  | { readonly type: 'meter'; readonly identity: string; readonly transactionId: number | null }
  | {
      readonly type: 'message';
      readonly identity: string;
      readonly direction: 'in' | 'out';
      readonly action: string | undefined;
      readonly text: string;
    };

export class CsmsEvents {
  readonly #emitter = new EventEmitter();

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  /** True while someone listens: callers skip building events nobody would read. */
  get observed(): boolean {
    return this.#emitter.listenerCount('event') > 0;
  }

  emit(event: CsmsEvent): void {
    this.#emitter.emit('event', event);
  }

  /** Returns a function that unsubscribes. */
  subscribe(listener: (event: CsmsEvent) => void): () => void {
    this.#emitter.on('event', listener);
    return () => this.#emitter.off('event', listener);
  }
}
