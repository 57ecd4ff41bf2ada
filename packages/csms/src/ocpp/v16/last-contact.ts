/**
 * Keeps `stations.last_contact_at` fresh without a write per message. OCPP 1.6 §4.6: the Central
 * System SHOULD assume a station is available whenever any PDU is received, as for a Heartbeat.
 * A Heartbeat always writes (its purpose, and its rate is the interval we gave at boot); any other
 * CALL writes only when the last write of this connection is older than `intervalMs`, so a busy
 * station costs one extra UPDATE a minute at most. The connection's own start counts as a write:
 * `markConnected` set last_contact_at then.
 */
import type { StationSession } from '../station-session.js';

export const LAST_CONTACT_INTERVAL_MS = 60_000;

export class LastContact {
  readonly #session: StationSession;
  readonly #intervalMs: number;
  #touchedAt = Date.now();

  constructor(session: StationSession, intervalMs = LAST_CONTACT_INTERVAL_MS) {
    this.#session = session;
    this.#intervalMs = intervalMs;
  }

  /** A CALL arrived: writes when the last write is older than the interval. */
  seen(): Promise<void> {
    if (Date.now() - this.#touchedAt < this.#intervalMs) return Promise.resolve();
    return this.touch();
  }

  /** Writes now. A failed write is logged, never turned into a CALLERROR: the message itself was fine. */
  async touch(): Promise<void> {
    const at = new Date();
    this.#touchedAt = at.getTime();
    try {
      await this.#session.services.stores.stations.touch(this.#session.identity, at);
    } catch (error) {
      this.#session.logger.warn({ err: error }, 'could not record the last contact');
    }
  }
}
