import type { Kysely } from 'kysely';
import type { Database, SecurityEventRow } from '../schema.js';
import { type Instant, toDate } from './conversions.js';
import { type Page, type PageRequest, pageBounds } from './pagination.js';

/** A SecurityEventNotification (1.6 security extension, 2.0.1/2.1). */
export interface SecurityEventReport {
  stationIdentity: string;
  type: string;
  timestamp: Instant;
  techInfo?: string;
  /** Whether the event is critical per the spec's list of security events; the handler knows. */
  critical?: boolean;
}

export interface SecurityEventFilter extends PageRequest {
  critical?: boolean;
}

export function createSecurityEventStore(db: Kysely<Database>) {
  return {
    /** Stores the event; the same type, time and techInfo again is a duplicate. */
    async record(report: SecurityEventReport): Promise<{ duplicate: boolean }> {
      const stored = await db
        .insertInto('security_events')
        .values({
          station_identity: report.stationIdentity,
          type: report.type,
          event_at: toDate(report.timestamp),
          tech_info: report.techInfo ?? null,
          critical: report.critical ?? false,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      return { duplicate: stored === undefined };
    },

    /** A station's events, newest first. */
    async list(stationIdentity: string, filter: SecurityEventFilter = {}): Promise<Page<SecurityEventRow>> {
      const { limit, offset } = pageBounds(filter);
      let query = db.selectFrom('security_events').where('station_identity', '=', stationIdentity);
      if (filter.critical !== undefined) query = query.where('critical', '=', filter.critical);
      const [items, count] = await Promise.all([
        query
          .selectAll()
          .orderBy('event_at', 'desc')
          .orderBy('id', 'desc')
          .limit(limit)
          .offset(offset)
          .execute(),
        query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return { items, total: count.total, limit, offset };
    },
  };
}

export type SecurityEventStore = ReturnType<typeof createSecurityEventStore>;
