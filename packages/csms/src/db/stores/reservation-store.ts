import type { Kysely } from 'kysely';
import type { Database, ReservationRow, ReservationStatus } from '../schema.js';
import { type Instant, toDate } from './conversions.js';
import { type Page, type PageRequest, pageBounds } from './pagination.js';

export interface NewReservation {
  stationIdentity: string;
  /** 2.0.1 evseId; omit for 1.6. */
  evseId?: number;
  /** 1.6 connectorId (0 = any connector). */
  connectorId?: number;
  /** 2.0.1 connectorType. */
  connectorType?: string;
  idToken: string;
  idTokenType?: string;
  groupIdToken?: string;
  expiresAt: Instant;
}

export interface ReservationFilter extends PageRequest {
  stationIdentity?: string;
  /** Only reservations that still hold: Pending or Accepted, not yet expired. */
  active?: boolean;
}

// A reservation holds while it is asked for or granted; every other status ends it.
const HOLDING: ReservationStatus[] = ['Pending', 'Accepted'];

export function createReservationStore(db: Kysely<Database>) {
  return {
    /** Creates a Pending reservation; its id is the reservationId to send in ReserveNow. */
    async create(reservation: NewReservation): Promise<ReservationRow> {
      return db
        .insertInto('reservations')
        .values({
          station_identity: reservation.stationIdentity,
          evse_id: reservation.evseId ?? null,
          connector_id: reservation.connectorId ?? null,
          connector_type: reservation.connectorType ?? null,
          id_token: reservation.idToken,
          id_token_type: reservation.idTokenType ?? null,
          group_id_token: reservation.groupIdToken ?? null,
          expires_at: toDate(reservation.expiresAt),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /** Sets the status (the ReserveNow answer, Cancelled, Used, Expired, Removed). */
    async setStatus(id: number, status: ReservationStatus): Promise<ReservationRow | undefined> {
      return db
        .updateTable('reservations')
        .set({ status, updated_at: new Date() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    },

    async get(id: number): Promise<ReservationRow | undefined> {
      return db.selectFrom('reservations').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Reservations, soonest expiry first. */
    async list(filter: ReservationFilter = {}): Promise<Page<ReservationRow>> {
      const { limit, offset } = pageBounds(filter);
      let query = db.selectFrom('reservations');
      if (filter.stationIdentity !== undefined)
        query = query.where('station_identity', '=', filter.stationIdentity);
      if (filter.active === true)
        query = query.where('status', 'in', HOLDING).where('expires_at', '>', new Date());
      if (filter.active === false) {
        query = query.where((eb) =>
          eb.or([eb('status', 'not in', HOLDING), eb('expires_at', '<=', new Date())]),
        );
      }
      const [items, count] = await Promise.all([
        query.selectAll().orderBy('expires_at').orderBy('id').limit(limit).offset(offset).execute(),
        query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return { items, total: count.total, limit, offset };
    },

    /** Marks holding reservations past their expiry as Expired; returns how many. */
    async expireDue(now: Instant = new Date()): Promise<number> {
      const result = await db
        .updateTable('reservations')
        .set({ status: 'Expired', updated_at: new Date() })
        .where('status', 'in', HOLDING)
        .where('expires_at', '<=', toDate(now))
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}

export type ReservationStore = ReturnType<typeof createReservationStore>;
