import type { Kysely } from 'kysely';
import type { Database, StationReportKind, StationReportRow } from '../schema.js';
import { type Instant, toDate, toJsonb } from './conversions.js';
import { type Page, type PageRequest, pageBounds } from './pagination.js';

/**
 * One part of NotifyCustomerInformation or NotifyDisplayMessages, or a SignCertificate CSR, as
 * received. Stations resend what got no answer, so the same part again is a duplicate: a part is
 * keyed by (requestId, seqNo), or by its content where the message has no seqNo.
 */
export interface StationReport {
  stationIdentity: string;
  kind: StationReportKind;
  requestId?: number;
  seqNo?: number;
  /** More parts follow (the message's tbc, default false). */
  tbc?: boolean;
  /** The request as received. */
  payload: unknown;
  at?: Instant;
}

export interface StationReportFilter extends PageRequest {
  kind?: StationReportKind;
  requestId?: number;
}

export function createStationReportStore(db: Kysely<Database>) {
  return {
    async record(report: StationReport): Promise<{ duplicate: boolean }> {
      const stored = await db
        .insertInto('station_reports')
        .values({
          station_identity: report.stationIdentity,
          kind: report.kind,
          request_id: report.requestId ?? null,
          seq_no: report.seqNo ?? null,
          tbc: report.tbc ?? false,
          payload: toJsonb(report.payload),
          ...(report.at !== undefined && { received_at: toDate(report.at) }),
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      return { duplicate: stored === undefined };
    },

    /**
     * A station's reports, newest request first and its parts in order (seqNo, then arrival), so
     * the parts of one answer read top to bottom.
     */
    async list(stationIdentity: string, filter: StationReportFilter = {}): Promise<Page<StationReportRow>> {
      const { limit, offset } = pageBounds(filter);
      let query = db.selectFrom('station_reports').where('station_identity', '=', stationIdentity);
      if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
      if (filter.requestId !== undefined) query = query.where('request_id', '=', filter.requestId);
      const [items, count] = await Promise.all([
        query
          .selectAll()
          .orderBy('request_id', (ob) => ob.desc().nullsLast())
          .orderBy('seq_no')
          .orderBy('id')
          .limit(limit)
          .offset(offset)
          .execute(),
        query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return { items, total: count.total, limit, offset };
    },
  };
}

export type StationReportStore = ReturnType<typeof createStationReportStore>;
