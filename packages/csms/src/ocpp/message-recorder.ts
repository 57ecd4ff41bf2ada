/**
 * Keeps the recent OCPP frames of every station in the message log. Frames are written in batches
 * off the hot path: the log is for operators, not for durability, so a failed write is logged and dropped.
 */
import type { FrameEvent } from 'ocppkit';
import type { Logger } from 'pino';
import type { MessageLogEntry, Stores } from '../db/index.js';
import { BatchWriter } from './batch-writer.js';

type LogEntry = MessageLogEntry;

const PRUNE_EVERY = 5000;
const MESSAGE_TYPES = {
  2: 'CALL',
  3: 'CALLRESULT',
  4: 'CALLERROR',
  5: 'CALLRESULTERROR',
  6: 'SEND',
} as const;

export class MessageRecorder {
  readonly #writer: BatchWriter<LogEntry>;
  readonly #stores: Stores;
  readonly #keep: number;
  readonly #log: Logger;
  #sincePrune = 0;

  constructor(stores: Stores, keepPerStation: number, logger: Logger) {
    this.#stores = stores;
    this.#keep = keepPerStation;
    this.#log = logger;
    this.#writer = new BatchWriter((rows) => stores.messageLog.appendMany(rows));
  }

  /** Frames that could not be parsed are not stored (they still reach the live event stream). */
  record(identity: string, event: FrameEvent): void {
    const frame = event.frame;
    if (!frame) return;
    const isError = frame[0] === 4 || frame[0] === 5;
    const entry: LogEntry = {
      stationIdentity: identity,
      direction: event.direction,
      messageType: MESSAGE_TYPES[frame[0]],
      messageId: frame[1],
      action: event.action,
      payload: isError
        ? { errorCode: frame[2], description: frame[3], details: frame[4] }
        : frame[frame.length - 1],
    };
    this.#writer
      .write([entry])
      .catch((error: unknown) => this.#log.warn({ err: error }, 'message log write failed'));
    if (++this.#sincePrune >= PRUNE_EVERY) {
      this.#sincePrune = 0;
      this.#stores.messageLog
        .prune(this.#keep)
        .catch((error: unknown) => this.#log.warn({ err: error }, 'message log prune failed'));
    }
  }

  flush(): Promise<void> {
    return this.#writer.flush();
  }
}
