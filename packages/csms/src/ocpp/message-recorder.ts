/**
 * Keeps the recent OCPP frames of every station in the message log. Frames are written in batches
 * off the hot path: the log is for operators, not for durability, so a failed write is logged and dropped.
 *
 * Each station's log is trimmed to `keepPerStation` once it has grown by as much again, and when the
 * station disconnects having logged frames since its last trim (so that one whose connections are
 * short is trimmed too). A trim runs a second after (so the stations that came due meanwhile are
 * trimmed by one statement), not while stations wait for the database, and walks the station's own
 * index range: the cost follows the frames written, not the size of the log.
 * Measured: pruning the whole log every 5,000 frames stalled a busy PGlite CSMS for 0.4–1 s each
 * time once the log held 100,000–200,000 rows.
 */
import type { FrameEvent } from 'ocppkit';
import type { Logger } from 'pino';
import type { MessageLogEntry, Stores } from '../db/index.js';
import { BatchWriter } from './batch-writer.js';
import { groupCommits } from './group-commits.js';

type LogEntry = MessageLogEntry;

const PRUNE_DELAY_MS = 1000;
const LOG_YIELD_MAX_MS = 15_000;
const LOG_YIELD_MAX_ROWS = 200_000;
const TRIM_STATIONS_PER_STATEMENT = 5;
const MESSAGE_TYPES = {
  2: 'CALL',
  3: 'CALLRESULT',
  4: 'CALLERROR',
  5: 'CALLRESULTERROR',
  6: 'SEND',
} as const;

/** What the recorder keeps on the station's session: its count lives and dies with the connection. */
export interface LoggingStation {
  readonly identity: string;
  /** Frames logged since the station's log was last trimmed (or since it connected). */
  logFramesSinceTrim: number;
}

export class MessageRecorder {
  readonly #writer: BatchWriter<LogEntry>;
  readonly #stores: Stores;
  readonly #keep: number;
  readonly #log: Logger;
  readonly #due = new Set<string>();
  #trimTimer: NodeJS.Timeout | undefined;
  #trimming: Promise<void> | undefined;
  /** How long the due trims have given way to stations waiting for the database. */
  #trimWaitedMs = 0;

  constructor(stores: Stores, keepPerStation: number, logger: Logger) {
    this.#stores = stores;
    this.#keep = keepPerStation;
    this.#log = logger;
    // Nobody waits for the log: 50 ms of frames go in one statement however light the traffic, and
    // at most 500 (~15 ms of PGlite) at once however heavy.
    this.#writer = new BatchWriter((rows) => stores.messageLog.appendMany(rows), {
      gatherMs: 50,
      maxBatch: 500,
      // While stations wait for their connect, boot and status rows (a boot storm), the log waits:
      // on PGlite, which runs in this event loop, its 8 rows per booting station took about as long
      // as everything the station waits for. Bounded, so a long storm still sees its log.
      yieldTo: { busy: groupCommits(stores).busy, maxMs: LOG_YIELD_MAX_MS, maxRows: LOG_YIELD_MAX_ROWS },
      onLooseError: (error, rows) =>
        logger.warn({ err: error, frames: rows.length }, 'message log write failed'),
    });
  }

  /** Frames that could not be parsed are not stored (they still reach the live event stream). */
  record(station: LoggingStation, event: FrameEvent): void {
    const frame = event.frame;
    if (!frame) return;
    const isError = frame[0] === 4 || frame[0] === 5;
    const entry: LogEntry = {
      stationIdentity: station.identity,
      direction: event.direction,
      messageType: MESSAGE_TYPES[frame[0]],
      messageId: frame[1],
      action: event.action,
      payload: isError
        ? { errorCode: frame[2], description: frame[3], details: frame[4] }
        : frame[frame.length - 1],
      // Stamped now: during a boot storm the row may wait seconds to be written.
      at: Date.now(),
    };
    this.#writer.add(entry);
    station.logFramesSinceTrim += 1;
    if (station.logFramesSinceTrim >= this.#keep) this.#trimLater(station);
  }

  /** The station disconnected: its log is trimmed if it grew since the last trim. */
  stationLeft(station: LoggingStation): void {
    if (station.logFramesSinceTrim > 0) this.#trimLater(station);
  }

  #trimLater(station: LoggingStation): void {
    station.logFramesSinceTrim = 0;
    this.#due.add(station.identity);
    this.#trimTimer ??= setTimeout(() => this.#trim(), PRUNE_DELAY_MS).unref();
  }

  #trim(): void {
    this.#trimTimer = undefined;
    // One trim at a time; stations that come due meanwhile wait for the next. Stations waiting for
    // the database (a reconnect storm, whose disconnects made every station due) go first, for a
    // while: a CSMS that is always busy still trims.
    const yields = groupCommits(this.#stores).busy() && this.#trimWaitedMs < LOG_YIELD_MAX_MS;
    if (this.#trimming || yields) {
      if (yields) this.#trimWaitedMs += PRUNE_DELAY_MS;
      this.#trimTimer = setTimeout(() => this.#trim(), PRUNE_DELAY_MS).unref();
      return;
    }
    this.#trimWaitedMs = 0;
    // A few stations per statement (~3 ms of PGlite each), the sockets read between two.
    const stations: string[] = [];
    for (const station of this.#due) {
      stations.push(station);
      if (stations.length === TRIM_STATIONS_PER_STATEMENT) break;
    }
    for (const station of stations) this.#due.delete(station);
    this.#trimming = this.#stores.messageLog
      .pruneStations(stations, this.#keep)
      .then(
        () => {},
        (error: unknown) => this.#log.warn({ err: error }, 'message log prune failed'),
      )
      .finally(() => {
        this.#trimming = undefined;
        if (this.#due.size > 0) this.#trimTimer ??= setTimeout(() => this.#trim(), 0).unref();
      });
  }

  /** Writes what is pending (used at shutdown); trims that are due are left for the next start. */
  async flush(): Promise<void> {
    clearTimeout(this.#trimTimer);
    this.#trimTimer = undefined;
    await this.#trimming;
    await this.#writer.flush();
  }
}
