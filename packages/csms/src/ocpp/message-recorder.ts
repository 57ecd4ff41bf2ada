/**
 * Keeps the recent OCPP frames of every station in the message log. Frames are written in batches
 * off the hot path: the log is for operators, not for durability, so a failed write is logged and dropped.
 *
 * A CALL is held until its answer is seen, and the two are written as one row (half the rows to
 * write: most frames are CALLs and their answers). A CALL unanswered after `holdMs`, when another
 * CALL of the same side comes, or when the station leaves, is written alone, and an answer that
 * finds no CALL held for it too. A routine CALL (the policy's periodic messages) waits the same
 * way, and is dropped if its answer is a CALLRESULT.
 *
 * Each station's log is trimmed to `keepPerStation` rows once it has grown by as much again, and when
 * the station disconnects having logged rows since its last trim (so that one whose connections are
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

/**
 * A row of the log as the recorder makes it: stamped in milliseconds when it saw the frame; a routine
 * CALL (see record) is marked.
 */
export type LogEntry = MessageLogEntry & { at: number; routine?: true };

const PRUNE_DELAY_MS = 1000;
/** How long a CALL waits for its answer to share its row (default); swept once a second. */
const HOLD_MS = 5000;
const SWEEP_MS = 1000;
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

export interface MessageRecorderOptions {
  /** How long a CALL is held for its answer before it is written alone (default 5 s). */
  readonly holdMs?: number;
}

/** What the recorder keeps on the station's session: it lives and dies with the connection. */
export interface LoggingStation {
  readonly identity: string;
  /** Rows logged since the station's log was last trimmed (or since it connected). */
  logRowsSinceTrim: number;
  /** The station's CALL held for the CSMS's answer, and the CSMS's CALL held for the station's. */
  logCallIn: LogEntry | undefined;
  logCallOut: LogEntry | undefined;
}

export class MessageRecorder {
  readonly #writer: BatchWriter<LogEntry>;
  readonly #stores: Stores;
  readonly #keep: number;
  readonly #log: Logger;
  readonly #due = new Set<string>();
  #trimTimer: NodeJS.Timeout | undefined;
  readonly #holdMs: number;
  /** Stations that may hold a CALL, swept every SWEEP_MS (at most) for CALLs that waited holdMs. */
  readonly #holding = new Set<LoggingStation>();
  #sweepTimer: NodeJS.Timeout | undefined;
  #trimming: Promise<void> | undefined;
  /** How long the due trims have given way to stations waiting for the database. */
  #trimWaitedMs = 0;

  constructor(stores: Stores, keepPerStation: number, logger: Logger, options: MessageRecorderOptions = {}) {
    this.#stores = stores;
    this.#holdMs = options.holdMs ?? HOLD_MS;
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

  /**
   * Frames that could not be parsed are not stored (they still reach the live event stream). A
   * `routine` CALL (the log policy's choice: a Heartbeat, say) is dropped with its answer when that
   * answer is a CALLRESULT; answered with a CALLERROR, or not answered in time, it is written as
   * any other, so the log keeps what went wrong.
   */
  record(station: LoggingStation, event: FrameEvent, routine = false): void {
    const frame = event.frame;
    if (!frame) return;
    const type = frame[0];
    const isError = type === 4 || type === 5;
    const payload = isError
      ? { errorCode: frame[2], description: frame[3], details: frame[4] }
      : frame[frame.length - 1];
    // Stamped now: during a boot storm the row may wait seconds to be written.
    const at = Date.now();
    const incoming = event.direction === 'in';
    if (type === 3 || type === 4) {
      // The answer to the other side's CALL (a CALLRESULTERROR, type 5, answers nothing).
      const call = incoming ? station.logCallOut : station.logCallIn;
      if (call?.messageId === frame[1]) {
        if (incoming) station.logCallOut = undefined;
        else station.logCallIn = undefined;
        if (call.routine && type === 3) return;
        call.answer = { messageType: type === 3 ? 'CALLRESULT' : 'CALLERROR', payload, at };
        this.#add(station, call);
        return;
      }
    }
    const entry: LogEntry = {
      stationIdentity: station.identity,
      direction: event.direction,
      messageType: MESSAGE_TYPES[type],
      messageId: frame[1],
      action: event.action,
      payload,
      at,
    };
    if (type !== 2) {
      this.#add(station, entry);
      return;
    }
    if (routine) entry.routine = true;
    // A CALL while one of the same side is held: that one is not going to be answered in time.
    const held = incoming ? station.logCallIn : station.logCallOut;
    if (held) this.#add(station, held);
    if (incoming) station.logCallIn = entry;
    else station.logCallOut = entry;
    this.#holding.add(station);
    this.#sweepTimer ??= setTimeout(() => this.#sweep(), Math.min(SWEEP_MS, this.#holdMs)).unref();
  }

  /** The station disconnected: what it holds is written, and its log trimmed if it grew. */
  stationLeft(station: LoggingStation): void {
    this.#release(station);
    this.#holding.delete(station);
    if (station.logRowsSinceTrim > 0) this.#trimLater(station);
  }

  #add(station: LoggingStation, entry: LogEntry): void {
    this.#writer.add(entry);
    station.logRowsSinceTrim += 1;
    if (station.logRowsSinceTrim >= this.#keep) this.#trimLater(station);
  }

  /** Writes the CALLs a station holds that were seen before `before` (default: all of them). */
  #release(station: LoggingStation, before = Number.POSITIVE_INFINITY): void {
    const callIn = station.logCallIn;
    if (callIn && callIn.at <= before) {
      station.logCallIn = undefined;
      this.#add(station, callIn);
    }
    const callOut = station.logCallOut;
    if (callOut && callOut.at <= before) {
      station.logCallOut = undefined;
      this.#add(station, callOut);
    }
  }

  #sweep(): void {
    this.#sweepTimer = undefined;
    const before = Date.now() - this.#holdMs;
    for (const station of this.#holding) {
      this.#release(station, before);
      if (!station.logCallIn && !station.logCallOut) this.#holding.delete(station);
    }
    if (this.#holding.size > 0) {
      this.#sweepTimer = setTimeout(() => this.#sweep(), Math.min(SWEEP_MS, this.#holdMs)).unref();
    }
  }

  #trimLater(station: LoggingStation): void {
    station.logRowsSinceTrim = 0;
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

  /**
   * Writes what is pending, held CALLs too (used at shutdown, and by tests); trims that are due are
   * left for the next start.
   */
  async flush(): Promise<void> {
    for (const station of this.#holding) this.#release(station);
    this.#holding.clear();
    clearTimeout(this.#sweepTimer);
    this.#sweepTimer = undefined;
    clearTimeout(this.#trimTimer);
    this.#trimTimer = undefined;
    await this.#trimming;
    await this.#writer.flush();
  }
}
