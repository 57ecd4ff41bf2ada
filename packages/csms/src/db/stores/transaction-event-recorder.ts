import { type Kysely, sql, type Updateable } from 'kysely';
import type { Database, TransactionEventType, TransactionRow, TransactionTable } from '../schema.js';
import { toDate, toJsonb } from './conversions.js';
import {
  createMeterValueStore,
  DEFAULT_MEASURAND,
  type MeterValue,
  type SampledValue201,
  samplesFromOcpp201,
} from './meter-value-store.js';
import { inTransaction } from './transaction-scope.js';

/**
 * The fields of an OCPP 2.0.1/2.1 TransactionEventRequest that are stored. The generated
 * request types fit this shape, so a handler passes its request as it came.
 */
export interface TransactionEventRequest {
  eventType: TransactionEventType;
  timestamp: string;
  triggerReason: string;
  seqNo: number;
  offline?: boolean;
  reservationId?: number;
  transactionInfo: {
    transactionId: string;
    chargingState?: string;
    timeSpentCharging?: number;
    stoppedReason?: string;
    remoteStartId?: number;
  };
  idToken?: { idToken: string; type: string };
  evse?: { id: number; connectorId?: number };
  meterValue?: readonly MeterValue<SampledValue201>[];
}

export interface TransactionEventOutcome {
  /** This seqNo of this transaction was recorded before; nothing changed. */
  duplicate: boolean;
  transaction: TransactionRow;
}

/**
 * Records a TransactionEvent and folds it into its transaction, in one database
 * transaction. Events may arrive in any order (a station delivers its offline queue, or a
 * retry overtakes): an Updated or Ended seen before Started still yields a correct row.
 */
export function recordTransactionEvent(
  db: Kysely<Database>,
  stationIdentity: string,
  event: TransactionEventRequest,
): Promise<TransactionEventOutcome> {
  const eventAt = toDate(event.timestamp);
  const stationTransactionId = event.transactionInfo.transactionId;
  return inTransaction(db, async (trx) => {
    // Creating-or-touching the row locks it on PostgreSQL, so concurrent events of one
    // transaction are folded in one after another and none of them is lost.
    const current = await trx
      .insertInto('transactions')
      .values({
        station_identity: stationIdentity,
        station_transaction_id: stationTransactionId,
        started_at: eventAt,
      })
      .onConflict((oc) =>
        oc
          .columns(['station_identity', 'station_transaction_id'])
          .doUpdateSet((eb) => ({ updated_at: eb.ref('transactions.updated_at') })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();

    const stored = await trx
      .insertInto('transaction_events')
      .values({
        transaction_id: current.id,
        station_identity: stationIdentity,
        station_transaction_id: stationTransactionId,
        seq_no: event.seqNo,
        event_type: event.eventType,
        trigger_reason: event.triggerReason,
        event_at: eventAt,
        offline: event.offline ?? false,
        payload: toJsonb(event),
      })
      .onConflict((oc) => oc.columns(['station_identity', 'station_transaction_id', 'seq_no']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!stored) return { duplicate: true, transaction: current };

    const merged = await trx
      .updateTable('transactions')
      .set(mergeEvent(current, event, eventAt))
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();

    if (event.meterValue?.length) {
      const samples = samplesFromOcpp201(
        stationIdentity,
        {
          evseId: event.evse?.id ?? merged.evse_id,
          connectorId: event.evse?.connectorId ?? merged.connector_id,
          transactionId: merged.id,
        },
        event.meterValue,
      );
      await createMeterValueStore(trx).insertMany(samples);
    }
    return { duplicate: false, transaction: await updateEnergy(trx, merged.id) };
  });
}

/**
 * How one event changes the transaction row. Facts that don't change during a transaction
 * (EVSE, start token, remote start id) keep the first value seen; the running state
 * (chargingState, timeSpentCharging) comes from the highest seqNo; Ended is final.
 */
function mergeEvent(
  current: TransactionRow,
  event: TransactionEventRequest,
  eventAt: Date,
): Updateable<TransactionTable> {
  const info = event.transactionInfo;
  const ended = event.eventType === 'Ended';
  // A token presented to stop the transaction comes in the Ended event with triggerReason
  // StopAuthorized (2.0.1 TriggerReasonEnumType); any other idToken is the one that started it.
  const stopToken = ended && event.triggerReason === 'StopAuthorized' ? event.idToken : undefined;
  const startToken = stopToken ? undefined : event.idToken;
  const hasStartToken = current.id_token !== null;
  const latest = current.last_seq_no === null || event.seqNo >= current.last_seq_no;
  return {
    // Started carries the start time; until it arrives, the earliest time seen stands in.
    started_at:
      event.eventType === 'Started' ? eventAt : eventAt < current.started_at ? eventAt : current.started_at,
    evse_id: current.evse_id ?? event.evse?.id ?? null,
    connector_id: current.connector_id ?? event.evse?.connectorId ?? null,
    id_token: hasStartToken ? current.id_token : (startToken?.idToken ?? null),
    id_token_type: hasStartToken ? current.id_token_type : (startToken?.type ?? null),
    stop_id_token: stopToken?.idToken ?? current.stop_id_token,
    status: ended || current.status === 'Ended' ? 'Ended' : 'Active',
    stopped_at: ended ? eventAt : current.stopped_at,
    // 2.0.1 TransactionType.stoppedReason: may be omitted only when the reason is Local.
    stop_reason: ended ? (info.stoppedReason ?? 'Local') : current.stop_reason,
    charging_state: latest && info.chargingState !== undefined ? info.chargingState : current.charging_state,
    time_spent_charging_s:
      latest && info.timeSpentCharging !== undefined ? info.timeSpentCharging : current.time_spent_charging_s,
    remote_start_id: current.remote_start_id ?? info.remoteStartId ?? null,
    reservation_id: current.reservation_id ?? event.reservationId ?? null,
    last_seq_no: latest ? event.seqNo : current.last_seq_no,
    updated_at: new Date(),
  };
}

/**
 * Recomputes meter_start (earliest energy register reading), meter_stop (latest, once
 * ended) and energy_wh from every stored reading, so the order events came in doesn't matter.
 * Readings: the total Energy.Active.Import.Register at the outlet, not per phase.
 */
async function updateEnergy(trx: Kysely<Database>, transactionId: number): Promise<TransactionRow> {
  const reading = (order: 'asc' | 'desc') =>
    trx
      .selectFrom('meter_values')
      .select(sql<number>`value * CASE WHEN unit = 'kWh' THEN 1000 ELSE 1 END`.as('wh'))
      .where('transaction_id', '=', transactionId)
      .where('measurand', '=', DEFAULT_MEASURAND)
      .where('phase', 'is', null)
      .where(sql<boolean>`COALESCE(location, 'Outlet') = 'Outlet'`)
      .where('value', 'is not', null)
      .orderBy('sampled_at', order)
      .orderBy('id', order)
      .limit(1);
  return trx
    .updateTable('transactions')
    .set((eb) => ({
      meter_start: reading('asc'),
      meter_stop: eb.case().when('status', '=', 'Ended').then(reading('desc')).else(null).end(),
      energy_wh: sql<number>`(${reading('desc')}) - (${reading('asc')})`,
    }))
    .where('id', '=', transactionId)
    .returningAll()
    .executeTakeFirstOrThrow();
}
