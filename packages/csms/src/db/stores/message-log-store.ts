import { type Insertable, type Kysely, sql } from 'kysely';
import type { Database, MessageDirection, MessageLogRow, MessageLogTable, MessageType } from '../schema.js';
import { type Instant, toDate, toJsonb } from './conversions.js';

export interface MessageLogEntry {
  stationIdentity: string;
  direction: MessageDirection;
  messageType: MessageType;
  /** Known for CALLs, and for results when the logger remembers the call. */
  action?: string;
  messageId?: string;
  payload: unknown;
  at?: Instant;
}

export interface MessageLogQuery {
  action?: string;
  /** Default 100, at most 1000. */
  limit?: number;
  /** Only entries older than this id: pass the last id of a page to get the next. */
  beforeId?: number;
}

const MAX_LIST = 1000;
// Keeps one INSERT well under PostgreSQL's 65535 bound parameters (7 per row).
const ROWS_PER_INSERT = 2000;

function toRow(entry: MessageLogEntry): Insertable<MessageLogTable> {
  return {
    station_identity: entry.stationIdentity,
    direction: entry.direction,
    message_type: entry.messageType,
    action: entry.action ?? null,
    message_id: entry.messageId ?? null,
    payload: toJsonb(entry.payload),
    ...(entry.at !== undefined && { created_at: toDate(entry.at) }),
  };
}

export function createMessageLogStore(db: Kysely<Database>) {
  return {
    async append(entry: MessageLogEntry): Promise<void> {
      await db.insertInto('message_log').values(toRow(entry)).execute();
    },

    /** Writes a batch in multi-row INSERTs (entries of several stations may be mixed). */
    async appendMany(entries: readonly MessageLogEntry[]): Promise<void> {
      for (let start = 0; start < entries.length; start += ROWS_PER_INSERT) {
        await db
          .insertInto('message_log')
          .values(entries.slice(start, start + ROWS_PER_INSERT).map(toRow))
          .execute();
      }
    },

    /** A station's frames, newest first. */
    async listRecent(stationIdentity: string, query: MessageLogQuery = {}): Promise<MessageLogRow[]> {
      const limit = Math.min(Math.max(Math.trunc(query.limit ?? 100), 1), MAX_LIST);
      let select = db.selectFrom('message_log').selectAll().where('station_identity', '=', stationIdentity);
      if (query.action !== undefined) select = select.where('action', '=', query.action);
      if (query.beforeId !== undefined) select = select.where('id', '<', query.beforeId);
      return select.orderBy('id', 'desc').limit(limit).execute();
    },

    /** Keeps the newest `maxPerStation` entries of every station; returns how many were deleted. */
    async prune(maxPerStation: number): Promise<number> {
      const ranked = db
        .selectFrom('message_log')
        .select([
          'id',
          sql<number>`row_number() OVER (PARTITION BY station_identity ORDER BY id DESC)`.as('position'),
        ])
        .as('ranked');
      const result = await db
        .deleteFrom('message_log')
        .where(
          'id',
          'in',
          db.selectFrom(ranked).select('ranked.id').where('ranked.position', '>', maxPerStation),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type MessageLogStore = ReturnType<typeof createMessageLogStore>;
