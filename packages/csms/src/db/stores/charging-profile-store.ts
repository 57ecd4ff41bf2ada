import { type Kysely, sql } from 'kysely';
import type { ChargingProfileReportKind, ChargingProfileReportRow, Database } from '../schema.js';
import { type Instant, toDate, toJsonb } from './conversions.js';
import { type Page, type PageRequest, pageBounds } from './pagination.js';
import { inTransaction } from './transaction-scope.js';

/**
 * What a station said about charging profiles and limits: ReportChargingProfiles,
 * NotifyChargingLimit, ClearedChargingLimit, or a composite schedule it returned.
 */
export interface ChargingProfileReport {
  stationIdentity: string;
  kind: ChargingProfileReportKind;
  requestId?: number;
  evseId?: number;
  /** ChargingLimitSourceEnumType (2.0.1) where the message has one. */
  limitSource?: string;
  /** The request (or the relevant part of it) as received. */
  payload: unknown;
  at?: Instant;
}

export interface ChargingProfileReportFilter extends PageRequest {
  kind?: ChargingProfileReportKind;
}

export function createChargingProfileStore(db: Kysely<Database>) {
  return {
    /**
     * Appends the report unless it repeats the latest one of its kind word for word: these
     * messages have no timestamp to tell a resend apart.
     */
    async record(report: ChargingProfileReport): Promise<{ duplicate: boolean }> {
      const payload = toJsonb(report.payload);
      const requestId = report.requestId ?? null;
      return inTransaction(db, async (trx) => {
        const latest = await trx
          .selectFrom('charging_profile_reports')
          // jsonb equality ignores key order and whitespace.
          .select([sql<boolean>`payload = ${payload}::jsonb`.as('samePayload'), 'request_id'])
          .where('station_identity', '=', report.stationIdentity)
          .where('kind', '=', report.kind)
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst();
        if (latest?.samePayload && latest.request_id === requestId) return { duplicate: true };
        await trx
          .insertInto('charging_profile_reports')
          .values({
            station_identity: report.stationIdentity,
            kind: report.kind,
            request_id: requestId,
            evse_id: report.evseId ?? null,
            limit_source: report.limitSource ?? null,
            payload,
            ...(report.at !== undefined && { reported_at: toDate(report.at) }),
          })
          .execute();
        return { duplicate: false };
      });
    },

    /** A station's reports, newest first. */
    async list(
      stationIdentity: string,
      filter: ChargingProfileReportFilter = {},
    ): Promise<Page<ChargingProfileReportRow>> {
      const { limit, offset } = pageBounds(filter);
      let query = db.selectFrom('charging_profile_reports').where('station_identity', '=', stationIdentity);
      if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
      const [items, count] = await Promise.all([
        query.selectAll().orderBy('id', 'desc').limit(limit).offset(offset).execute(),
        query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return { items, total: count.total, limit, offset };
    },
  };
}

export type ChargingProfileStore = ReturnType<typeof createChargingProfileStore>;
