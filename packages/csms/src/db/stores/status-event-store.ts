import type { Kysely } from 'kysely';
import type { Database, StationStatusEventKind, StationStatusEventRow } from '../schema.js';
import { type Instant, toDate, toNullableJsonb } from './conversions.js';
import { type Page, type PageRequest, pageBounds } from './pagination.js';
import { inTransaction } from './transaction-scope.js';

/**
 * A FirmwareStatusNotification, DiagnosticsStatusNotification (1.6), LogStatusNotification
 * or PublishFirmwareStatusNotification.
 */
export interface StatusEventReport {
  stationIdentity: string;
  kind: StationStatusEventKind;
  status: string;
  requestId?: number;
  /** Anything else worth keeping (statusInfo, location, ...). */
  details?: unknown;
  /** These notifications carry no timestamp; default: now. */
  at?: Instant;
}

export interface StatusEventFilter extends PageRequest {
  kind?: StationStatusEventKind;
}

export function createStatusEventStore(db: Kysely<Database>) {
  return {
    /**
     * Appends the status unless it repeats the latest one of its kind and request: these
     * messages have no timestamp to tell a resend apart, and a status reported twice in
     * a row says nothing new.
     */
    async record(report: StatusEventReport): Promise<{ duplicate: boolean }> {
      return inTransaction(db, async (trx) => {
        const latest = await trx
          .selectFrom('station_status_events')
          .select(['status', 'request_id'])
          .where('station_identity', '=', report.stationIdentity)
          .where('kind', '=', report.kind)
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst();
        const requestId = report.requestId ?? null;
        if (latest && latest.status === report.status && latest.request_id === requestId) {
          return { duplicate: true };
        }
        await trx
          .insertInto('station_status_events')
          .values({
            station_identity: report.stationIdentity,
            kind: report.kind,
            status: report.status,
            request_id: requestId,
            details: toNullableJsonb(report.details),
            ...(report.at !== undefined && { reported_at: toDate(report.at) }),
          })
          .execute();
        return { duplicate: false };
      });
    },

    /** The newest status of a kind, e.g. where a firmware update stands. */
    async latest(
      stationIdentity: string,
      kind: StationStatusEventKind,
    ): Promise<StationStatusEventRow | undefined> {
      return db
        .selectFrom('station_status_events')
        .selectAll()
        .where('station_identity', '=', stationIdentity)
        .where('kind', '=', kind)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
    },

    /** A station's status events, newest first. */
    async list(
      stationIdentity: string,
      filter: StatusEventFilter = {},
    ): Promise<Page<StationStatusEventRow>> {
      const { limit, offset } = pageBounds(filter);
      let query = db.selectFrom('station_status_events').where('station_identity', '=', stationIdentity);
      if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
      const [items, count] = await Promise.all([
        query.selectAll().orderBy('id', 'desc').limit(limit).offset(offset).execute(),
        query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return { items, total: count.total, limit, offset };
    },
  };
}

export type StatusEventStore = ReturnType<typeof createStatusEventStore>;
