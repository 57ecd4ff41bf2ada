/**
 * What a simulated station reports about itself: every frame, connection changes, boots, status
 * changes, transactions and the outcome of each CALL it made. The CLI prints them; the fleet counts them.
 */

export type StationEvent =
  | {
      readonly type: 'frame';
      readonly direction: 'in' | 'out';
      readonly text: string;
      readonly action?: string;
    }
  | { readonly type: 'connected'; readonly reconnect: boolean }
  | { readonly type: 'disconnected'; readonly code: number; readonly reason: string }
  | { readonly type: 'boot'; readonly status: string; readonly interval: number }
  | { readonly type: 'status'; readonly connectorId: number; readonly status: string }
  | {
      readonly type: 'transaction';
      readonly event: 'started' | 'ended' | 'id-assigned' | 'rejected';
      readonly connectorId: number;
      /** 1.6: the CSMS's integer id once known; 2.0.1: the station's id. */
      readonly transactionId: string | number | undefined;
      readonly energyWh: number;
    }
  | {
      readonly type: 'meter';
      readonly connectorId: number;
      readonly energyWh: number;
      readonly powerW: number;
    }
  | {
      readonly type: 'call';
      readonly action: string;
      readonly ms: number;
      /** Error code (`OCPP_ERR_…` or the CALLERROR code) when the CALL failed. */
      readonly error?: string;
      /** The CALL failed because this station dropped its own connection (goOffline, reset, close). */
      readonly interrupted?: boolean;
    }
  | { readonly type: 'error'; readonly message: string; readonly error?: unknown };

export type StationEventListener = (event: StationEvent) => void;

/** A listener list that never lets one failing listener break the station. */
export class EventHub {
  #listeners: StationEventListener[] = [];

  on(listener: StationEventListener): () => void {
    this.#listeners.push(listener);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  emit(event: StationEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A listener's bug is the listener's problem; the station keeps running.
      }
    }
  }
}
