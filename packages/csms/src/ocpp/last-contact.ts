/**
 * Keeps `stations.last_contact_at` fresh without a write per message. OCPP 1.6 §4.6: the Central
 * System SHOULD assume a station is available whenever any PDU is received, as for a Heartbeat.
 * A Heartbeat always writes (its purpose, and its rate is the interval we gave at boot); any other
 * CALL writes only when the last write of this connection is older than `intervalMs`, so a busy
 * station costs one extra UPDATE a minute at most. The connection's own start counts as a write:
 * `markConnected` set last_contact_at then.
 *
 * The writes of all stations go through one group commit (BatchWriter): a Heartbeat is still
 * answered only once its contact is stored, but a busy CSMS stores the contacts of every station
 * that heartbeated meanwhile in one UPDATE (measured: one UPDATE per Heartbeat capped PGlite at
 * ~700 Heartbeats/s and PostgreSQL at ~3,000/s).
 */
import type { BatchWriter } from './batch-writer.js';
import { type Contact, groupCommits } from './group-commits.js';
import type { StationSession } from './station-session.js';

export const LAST_CONTACT_INTERVAL_MS = 60_000;

export class LastContact {
  readonly #session: StationSession;
  readonly #intervalMs: number;
  readonly #writer: BatchWriter<Contact>;
  #touchedAt = Date.now();

  constructor(session: StationSession, intervalMs = LAST_CONTACT_INTERVAL_MS) {
    this.#session = session;
    this.#intervalMs = intervalMs;
    this.#writer = groupCommits(session.services.stores).contacts;
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
      await this.#writer.write([{ identity: this.#session.identity, at }]);
    } catch (error) {
      this.#session.logger.warn({ err: error }, 'could not record the last contact');
    }
  }
}
