import { type Kysely, sql } from 'kysely';
import type { Database, MeterValueRow, TransactionEventRow, TransactionRow } from '../schema.js';
import { type Instant, toDate } from './conversions.js';
import {
  createMeterValueStore,
  type MeterValue,
  type SampledValue16,
  samplesFromOcpp16,
} from './meter-value-store.js';
import { type Page, type PageRequest, pageBounds } from './pagination.js';
import { recordTransactionEvent, type TransactionEventRequest } from './transaction-event-recorder.js';
import { inTransaction } from './transaction-scope.js';

/** The stored fields of an OCPP 1.6 StartTransaction.req. */
export interface StartTransaction16 {
  connectorId: number;
  idTag: string;
  meterStart: number;
  timestamp: Instant;
  reservationId?: number;
}

/** The stored fields of an OCPP 1.6 StopTransaction.req. */
export interface StopTransaction16 {
  transactionId: number;
  meterStop: number;
  timestamp: Instant;
  idTag?: string;
  reason?: string;
  transactionData?: readonly MeterValue<SampledValue16>[];
}

export interface StartTransaction16Outcome {
  /** The id to answer with; the same one again for a repeated request. */
  transactionId: number;
  duplicate: boolean;
}

export interface StopTransaction16Outcome {
  /** Undefined when the station has no transaction with that id. */
  transaction: TransactionRow | undefined;
  /** The transaction had ended already; the stored stop was left as it was. */
  duplicate: boolean;
}

export interface TransactionListFilter extends PageRequest {
  stationIdentity?: string;
  idToken?: string;
  /** true = only running, false = only ended. */
  active?: boolean;
  /** Started at or after. */
  from?: Instant;
  /** Started before. */
  to?: Instant;
}

export type TransactionWithMeterValues = TransactionRow & { meterValues: MeterValueRow[] };

export function createTransactionStore(db: Kysely<Database>) {
  return {
    /**
     * Starts an OCPP 1.6 transaction. Idempotent: the same station, connector, idTag,
     * meterStart and timestamp (a resent request) get the first transactionId back.
     */
    async startTransaction16(
      stationIdentity: string,
      request: StartTransaction16,
    ): Promise<StartTransaction16Outcome> {
      const naturalKey = {
        station_identity: stationIdentity,
        connector_id: request.connectorId,
        id_token: request.idTag,
        meter_start: request.meterStart,
        started_at: toDate(request.timestamp),
      };
      const inserted = await db
        .insertInto('transactions')
        .values({
          ...naturalKey,
          evse_id: request.connectorId,
          reservation_id: request.reservationId ?? null,
        })
        .onConflict((oc) =>
          oc
            .columns(['station_identity', 'connector_id', 'id_token', 'meter_start', 'started_at'])
            .where('station_transaction_id', 'is', null)
            .doNothing(),
        )
        .returning('id')
        .executeTakeFirst();
      if (inserted) return { transactionId: inserted.id, duplicate: false };
      const existing = await db
        .selectFrom('transactions')
        .select('id')
        .where('station_identity', '=', naturalKey.station_identity)
        .where('connector_id', '=', naturalKey.connector_id)
        .where('id_token', '=', naturalKey.id_token)
        .where('meter_start', '=', naturalKey.meter_start)
        .where('started_at', '=', naturalKey.started_at)
        .where('station_transaction_id', 'is', null)
        .executeTakeFirstOrThrow();
      return { transactionId: existing.id, duplicate: true };
    },

    /**
     * Ends an OCPP 1.6 transaction and stores its transactionData. Idempotent: once ended,
     * a transaction keeps its first stop; repeating the request changes nothing.
     */
    async stopTransaction16(
      stationIdentity: string,
      request: StopTransaction16,
    ): Promise<StopTransaction16Outcome> {
      return inTransaction(db, async (trx) => {
        const stopped = await trx
          .updateTable('transactions')
          .set({
            status: 'Ended',
            stopped_at: toDate(request.timestamp),
            meter_stop: request.meterStop,
            energy_wh: sql<number>`${request.meterStop}::numeric - meter_start`,
            // 1.6 StopTransaction.req: reason may be omitted only when it is Local.
            stop_reason: request.reason ?? 'Local',
            stop_id_token: request.idTag ?? null,
            updated_at: new Date(),
          })
          .where('id', '=', request.transactionId)
          .where('station_identity', '=', stationIdentity)
          .where('status', '=', 'Active')
          .returningAll()
          .executeTakeFirst();
        if (stopped) {
          if (request.transactionData?.length) {
            const samples = samplesFromOcpp16(
              stationIdentity,
              stopped.connector_id ?? 0,
              stopped.id,
              request.transactionData,
            );
            await createMeterValueStore(trx).insertMany(samples);
          }
          return { transaction: stopped, duplicate: false };
        }
        const existing = await trx
          .selectFrom('transactions')
          .selectAll()
          .where('id', '=', request.transactionId)
          .where('station_identity', '=', stationIdentity)
          .executeTakeFirst();
        return { transaction: existing, duplicate: existing !== undefined };
      });
    },

    /**
     * Keeps an OCPP 1.6 StopTransaction whose transactionId names no transaction of the station
     * (-1 after a StartTransaction that never got through, 1.6 errata v4.0 §3.18, or an id this
     * CSMS never gave it) as an Ended row of its own, with its transactionData, so nothing the
     * station reported is lost. The stop names no connector, so connector_id stays null. What is
     * known of the start (from a Transaction.Begin reading) may be passed in. Idempotent: a resent
     * stop (same station, stop time and meterStop) finds the row created the first time.
     */
    async recordUnknownStop16(
      stationIdentity: string,
      request: StopTransaction16 & { startedAt: Instant; meterStart?: number },
    ): Promise<StopTransaction16Outcome> {
      return inTransaction(db, async (trx) => {
        const stoppedAt = toDate(request.timestamp);
        const existing = await trx
          .selectFrom('transactions')
          .selectAll()
          .where('station_identity', '=', stationIdentity)
          .where('station_transaction_id', 'is', null)
          .where('connector_id', 'is', null)
          .where('stopped_at', '=', stoppedAt)
          .where('meter_stop', '=', request.meterStop)
          .executeTakeFirst();
        if (existing) return { transaction: existing, duplicate: true };
        const meterStart = request.meterStart ?? null;
        const created = await trx
          .insertInto('transactions')
          .values({
            station_identity: stationIdentity,
            status: 'Ended',
            started_at: toDate(request.startedAt),
            stopped_at: stoppedAt,
            meter_start: meterStart,
            meter_stop: request.meterStop,
            energy_wh:
              meterStart === null
                ? null
                : sql<number>`${request.meterStop}::numeric - ${meterStart}::numeric`,
            stop_reason: request.reason ?? 'Local',
            stop_id_token: request.idTag ?? null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        if (request.transactionData?.length) {
          const samples = samplesFromOcpp16(stationIdentity, 0, created.id, request.transactionData).map(
            (sample) => ({ ...sample, evseId: null, connectorId: null }),
          );
          await createMeterValueStore(trx).insertMany(samples);
        }
        return { transaction: created, duplicate: false };
      });
    },

    /** Records an OCPP 2.0.1/2.1 TransactionEvent; see transaction-event-recorder.ts. */
    recordTransactionEvent(stationIdentity: string, event: TransactionEventRequest) {
      return recordTransactionEvent(db, stationIdentity, event);
    },

    async get(id: number): Promise<TransactionRow | undefined> {
      return db.selectFrom('transactions').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async getWithMeterValues(id: number): Promise<TransactionWithMeterValues | undefined> {
      const transaction = await db
        .selectFrom('transactions')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (!transaction) return undefined;
      return { ...transaction, meterValues: await createMeterValueStore(db).listForTransaction(id) };
    },

    async findByStationTransactionId(
      stationIdentity: string,
      stationTransactionId: string,
    ): Promise<TransactionRow | undefined> {
      return db
        .selectFrom('transactions')
        .selectAll()
        .where('station_identity', '=', stationIdentity)
        .where('station_transaction_id', '=', stationTransactionId)
        .executeTakeFirst();
    },

    /** The newest running transaction on an EVSE or connector (1.6: pass connectorId). */
    async findActive(
      stationIdentity: string,
      where: { evseId?: number; connectorId?: number },
    ): Promise<TransactionRow | undefined> {
      let query = db
        .selectFrom('transactions')
        .selectAll()
        .where('station_identity', '=', stationIdentity)
        .where('status', '=', 'Active');
      if (where.evseId !== undefined) query = query.where('evse_id', '=', where.evseId);
      if (where.connectorId !== undefined) query = query.where('connector_id', '=', where.connectorId);
      return query.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    },

    async listActive(stationIdentity: string): Promise<TransactionRow[]> {
      return db
        .selectFrom('transactions')
        .selectAll()
        .where('station_identity', '=', stationIdentity)
        .where('status', '=', 'Active')
        .orderBy('started_at')
        .execute();
    },

    /** Transactions, newest start first. */
    async list(filter: TransactionListFilter = {}): Promise<Page<TransactionRow>> {
      const { limit, offset } = pageBounds(filter);
      let query = db.selectFrom('transactions');
      if (filter.stationIdentity !== undefined)
        query = query.where('station_identity', '=', filter.stationIdentity);
      if (filter.idToken !== undefined) query = query.where('id_token', '=', filter.idToken);
      if (filter.active !== undefined) query = query.where('status', '=', filter.active ? 'Active' : 'Ended');
      if (filter.from !== undefined) query = query.where('started_at', '>=', toDate(filter.from));
      if (filter.to !== undefined) query = query.where('started_at', '<', toDate(filter.to));
      const [items, count] = await Promise.all([
        query
          .selectAll()
          .orderBy('started_at', 'desc')
          .orderBy('id', 'desc')
          .limit(limit)
          .offset(offset)
          .execute(),
        query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return { items, total: count.total, limit, offset };
    },

    /** The 2.0.1 events of a transaction in seqNo order. */
    async listEvents(transactionId: number): Promise<TransactionEventRow[]> {
      return db
        .selectFrom('transaction_events')
        .selectAll()
        .where('transaction_id', '=', transactionId)
        .orderBy('seq_no')
        .execute();
    },
  };
}

export type TransactionStore = ReturnType<typeof createTransactionStore>;
