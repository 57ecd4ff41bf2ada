import { type Kysely, sql } from 'kysely';
import type { Database, MessageDirection, MessageLogFrame, MessageLogRow, MessageType } from '../schema.js';
import { type Instant, storableJson, toDate } from './conversions.js';

export interface MessageLogEntry {
  stationIdentity: string;
  direction: MessageDirection;
  messageType: MessageType;
  /** Known for CALLs, and for results when the logger remembers the call. */
  action?: string;
  messageId?: string;
  payload: unknown;
  /**
   * When the frame was seen: an Instant, or milliseconds since the epoch (what the recorder passes,
   * cheaper per frame). Default: when the row is written.
   */
  at?: Instant | number;
  /** The answer to this CALL, logged in its row (it goes the other way). */
  answer?: MessageLogAnswer;
}

export interface MessageLogAnswer {
  messageType: 'CALLRESULT' | 'CALLERROR';
  payload: unknown;
  /** As `at` above. */
  at?: Instant | number;
}

export interface MessageLogQuery {
  action?: string;
  /** Default 100, at most 1000. */
  limit?: number;
  /** Only frames older than this id: pass the last id of a page to get the next. */
  beforeId?: number;
}

const MAX_LIST = 1000;

/** Milliseconds since the epoch: the recorder's numbers as they are, an Instant parsed. */
function atMs(at: Instant | number): number {
  return typeof at === 'number' ? at : toDate(at).getTime();
}

const OTHER_WAY = { in: 'out', out: 'in' } as const;

/** A row's frames, newest first: its answer (if any), then its CALL or lone frame. */
function framesOf(row: MessageLogRow): MessageLogFrame[] {
  const id = Number(row.id);
  const frame: MessageLogFrame = {
    id: 2 * id,
    station_identity: row.station_identity,
    direction: row.direction,
    message_type: row.message_type,
    action: row.action,
    message_id: row.message_id,
    payload: row.payload,
    created_at: row.created_at,
  };
  if (row.answer_type === null) return [frame];
  const answer: MessageLogFrame = {
    ...frame,
    id: 2 * id + 1,
    direction: OTHER_WAY[row.direction],
    message_type: row.answer_type,
    payload: row.answer_payload,
    created_at: row.answered_at ?? row.created_at,
  };
  return [answer, frame];
}

export function createMessageLogStore(db: Kysely<Database>) {
  /**
   * Writes a batch (entries of several stations may be mixed) in one INSERT … SELECT FROM
   * json_to_recordset: the whole batch is one JSON text, which the database parses at a fraction
   * of the cost of a VALUES list (PGlite, 400 rows: 27 µs a row instead of 43) and pg sends without
   * escaping every payload into an array literal (0.8 µs of our CPU a row instead of 2). The
   * payloads stay JSON text (a json column, migration 0006), cheaper to store than jsonb.
   */
  async function appendMany(entries: readonly MessageLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // A NUL or lone surrogate in one frame would fail the whole batch (see storableJson).
    const rows = storableJson(
      JSON.stringify(
        entries.map((e) => ({
          s: e.stationIdentity,
          d: e.direction,
          t: e.messageType,
          a: e.action ?? null,
          m: e.messageId ?? null,
          // JSON null becomes SQL NULL in a recordset; COALESCE below stores it as JSON null again.
          p: e.payload ?? null,
          // Milliseconds: a number costs nothing to write, an ISO string per row does.
          at: e.at === undefined ? null : atMs(e.at),
          // A lone frame has no answer: its type is NULL, and so its payload and time below.
          rt: e.answer?.messageType ?? null,
          rp: e.answer?.payload ?? null,
          rat: e.answer?.at === undefined ? null : atMs(e.answer.at),
        })),
      ),
    );
    await sql`INSERT INTO message_log (station_identity, direction, message_type, action, message_id,
        payload, created_at, answer_type, answer_payload, answered_at)
      SELECT s, d, t, a, m, COALESCE(p, 'null'::json), COALESCE(to_timestamp(at / 1000.0), now()), rt,
        CASE WHEN rt IS NOT NULL THEN COALESCE(rp, 'null'::json) END,
        CASE WHEN rt IS NOT NULL THEN COALESCE(to_timestamp(rat / 1000.0), now()) END
      FROM json_to_recordset(${rows}::json) AS entry (s text, d text, t text, a text, m text, p json,
        at double precision, rt text, rp json, rat double precision)`.execute(db);
  }

  return {
    /** One entry, written as appendMany writes a batch (one mapping of an entry to its row). */
    async append(entry: MessageLogEntry): Promise<void> {
      await appendMany([entry]);
    },

    appendMany,

    /** A station's frames, newest first (a CALL's answer right before the CALL). */
    async listRecent(stationIdentity: string, query: MessageLogQuery = {}): Promise<MessageLogFrame[]> {
      const limit = Math.min(Math.max(Math.trunc(query.limit ?? 100), 1), MAX_LIST);
      const beforeId = query.beforeId;
      let select = db.selectFrom('message_log').selectAll().where('station_identity', '=', stationIdentity);
      if (query.action !== undefined) select = select.where('action', '=', query.action);
      // The rows with a frame below beforeId: 2 × id < beforeId.
      if (beforeId !== undefined) select = select.where('id', '<=', Math.floor((beforeId - 1) / 2));
      const rows = await select.orderBy('id', 'desc').limit(limit).execute();
      const frames = rows.flatMap(framesOf);
      return (beforeId === undefined ? frames : frames.filter((frame) => frame.id < beforeId)).slice(
        0,
        limit,
      );
    },

    /**
     * Keeps the newest `maxPerStation` rows (a CALL with its answer, or a lone frame) of each of
     * these stations; returns how many were deleted. Walks each station's index range only, so its
     * cost follows the rows deleted, not the size of the log (PGlite, 80,000 rows of 200 stations:
     * 120 ms, where prune() takes 500 ms).
     */
    async pruneStations(identities: readonly string[], maxPerStation: number): Promise<number> {
      if (identities.length === 0) return 0;
      const result = await sql`DELETE FROM message_log AS entry USING (
          SELECT station.identity, (SELECT kept.id FROM message_log AS kept
            WHERE kept.station_identity = station.identity
            ORDER BY kept.id DESC OFFSET ${maxPerStation} LIMIT 1) AS newest_dropped
          FROM unnest(${[...identities]}::text[]) AS station (identity)) AS cut
        WHERE entry.station_identity = cut.identity AND entry.id <= cut.newest_dropped`.execute(db);
      return Number(result.numAffectedRows ?? 0n);
    },

    /** Keeps the newest `maxPerStation` rows of every station; returns how many were deleted. */
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
