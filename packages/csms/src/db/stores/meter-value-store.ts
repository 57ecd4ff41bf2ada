import { type Insertable, type Kysely, sql } from 'kysely';
import type { Database, MeterValueRow, MeterValueTable } from '../schema.js';
import { type Instant, toDate, toNullableJsonb } from './conversions.js';
import { type Page, type PageRequest, pageBounds } from './pagination.js';

/**
 * One sampled value, flattened from a MeterValue of any OCPP version. The builders below set every
 * field (undefined where the station sent none): one object shape for all samples.
 */
export interface MeterValueSample {
  stationIdentity: string;
  /** The CSMS transaction id (TransactionRow.id), when the sample belongs to one. */
  transactionId?: number | null;
  evseId?: number | null;
  connectorId?: number | null;
  timestamp: Instant;
  /** Already scaled by any 2.0.1 unitOfMeasure.multiplier; null for signed-only samples. */
  value: number | string | null;
  /** Default Energy.Active.Import.Register, as in OCPP. */
  measurand?: string;
  phase?: string;
  unit?: string;
  context?: string;
  location?: string;
  format?: string;
  signedData?: unknown;
}

export interface MeterValueInsertOutcome {
  /** Rows written; samples stored before are skipped (stations resend). */
  inserted: number;
  /** Ids the samples named that are not transactions of that station; stored as null. */
  unknownTransactionIds: number[];
}

export interface MeterValueListFilter extends PageRequest {
  measurand?: string;
  from?: Instant;
  to?: Instant;
}

/** OCPP 1.6 SampledValue: the value is text. */
export interface SampledValue16 {
  value: string;
  context?: string;
  format?: string;
  measurand?: string;
  phase?: string;
  location?: string;
  unit?: string;
}

/** OCPP 2.0.1/2.1 SampledValueType (the fields stored). */
export interface SampledValue201 {
  value: number;
  context?: string;
  measurand?: string;
  phase?: string;
  location?: string;
  signedMeterValue?: unknown;
  unitOfMeasure?: { unit?: string; multiplier?: number };
}

export interface MeterValue<S> {
  timestamp: string;
  sampledValue: S[];
}

export const DEFAULT_MEASURAND = 'Energy.Active.Import.Register';

/** Flattens 1.6 MeterValues (MeterValues.req or StopTransaction transactionData). */
export function samplesFromOcpp16(
  stationIdentity: string,
  connectorId: number,
  transactionId: number | undefined,
  meterValues: readonly MeterValue<SampledValue16>[],
): MeterValueSample[] {
  return meterValues.flatMap((meterValue) =>
    meterValue.sampledValue.map((sampled): MeterValueSample => {
      const signed = sampled.format === 'SignedData';
      const number = Number(sampled.value);
      return {
        stationIdentity,
        transactionId: transactionId ?? null,
        evseId: connectorId,
        connectorId,
        timestamp: meterValue.timestamp,
        // A non-numeric Raw value is a station bug; the row is kept without a value.
        value: signed || sampled.value.trim() === '' || !Number.isFinite(number) ? null : number,
        measurand: sampled.measurand,
        phase: sampled.phase,
        unit: sampled.unit,
        context: sampled.context,
        location: sampled.location,
        format: sampled.format,
        signedData: signed ? sampled.value : undefined,
      };
    }),
  );
}

/** Flattens 2.0.1/2.1 meter values, applying unitOfMeasure.multiplier (value × 10^multiplier). */
export function samplesFromOcpp201(
  stationIdentity: string,
  where: { evseId?: number | null; connectorId?: number | null; transactionId?: number | null },
  meterValues: readonly MeterValue<SampledValue201>[],
): MeterValueSample[] {
  return meterValues.flatMap((meterValue) =>
    meterValue.sampledValue.map(
      (sampled): MeterValueSample => ({
        stationIdentity,
        transactionId: where.transactionId ?? null,
        evseId: where.evseId ?? null,
        connectorId: where.connectorId ?? null,
        timestamp: meterValue.timestamp,
        value: scaleByPowerOfTen(sampled.value, sampled.unitOfMeasure?.multiplier ?? 0),
        measurand: sampled.measurand,
        phase: sampled.phase,
        unit: sampled.unitOfMeasure?.unit,
        context: sampled.context,
        location: sampled.location,
        format: undefined,
        signedData: sampled.signedMeterValue,
      }),
    ),
  );
}

// Shifting the decimal exponent in text avoids float error: 12.3 × 10^3 is 12300, not 12300.000000000002.
function scaleByPowerOfTen(value: number, power: number): number {
  if (power === 0) return value;
  const [mantissa, exponent] = value.toExponential().split('e');
  return Number(`${mantissa}e${Number(exponent) + power}`);
}

function toRow(sample: MeterValueSample): Insertable<MeterValueTable> {
  return {
    station_identity: sample.stationIdentity,
    transaction_id: sample.transactionId ?? null,
    evse_id: sample.evseId ?? null,
    connector_id: sample.connectorId ?? null,
    sampled_at: toDate(sample.timestamp),
    value: sample.value,
    measurand: sample.measurand ?? DEFAULT_MEASURAND,
    phase: sample.phase ?? null,
    unit: sample.unit ?? null,
    context: sample.context ?? null,
    location: sample.location ?? null,
    format: sample.format ?? null,
    signed_data: toNullableJsonb(sample.signedData),
  };
}

export function createMeterValueStore(db: Kysely<Database>) {
  /** Transaction ids among `rows` that don't belong to the row's station. */
  async function findUnknownTransactionIds(rows: Insertable<MeterValueTable>[]): Promise<Set<string>> {
    const wanted = new Map<string, { id: number; station: string }>();
    for (const row of rows) {
      if (row.transaction_id != null) {
        wanted.set(`${row.station_identity}\u0000${row.transaction_id}`, {
          id: row.transaction_id,
          station: row.station_identity,
        });
      }
    }
    if (wanted.size === 0) return new Set();
    const found = await db
      .selectFrom('transactions')
      .select(['id', 'station_identity'])
      .where(
        'id',
        'in',
        [...wanted.values()].map((w) => w.id),
      )
      .execute();
    for (const row of found) wanted.delete(`${row.station_identity}\u0000${row.id}`);
    return new Set(wanted.keys());
  }

  return {
    /**
     * Writes samples in multi-row INSERTs. Safe to repeat: a sample already stored (same
     * station, EVSE, connector, time, measurand, phase, location, context, format) is skipped.
     */
    async insertMany(samples: readonly MeterValueSample[]): Promise<MeterValueInsertOutcome> {
      const rows = samples.map(toRow);
      const unknown = await findUnknownTransactionIds(rows);
      const unknownTransactionIds = new Set<number>();
      for (const row of rows) {
        if (row.transaction_id != null && unknown.has(`${row.station_identity}\u0000${row.transaction_id}`)) {
          unknownTransactionIds.add(row.transaction_id);
          row.transaction_id = null;
        }
      }
      if (rows.length === 0) return { inserted: 0, unknownTransactionIds: [] };
      // One array parameter per column (unnest) instead of one parameter per value: a fraction of
      // the parse and plan cost of a VALUES list, and no limit on the rows of one statement.
      const column = <T>(pick: (row: Insertable<MeterValueTable>) => T) => rows.map(pick);
      const result = await sql`INSERT INTO meter_values (station_identity, transaction_id, evse_id,
          connector_id, sampled_at, value, measurand, phase, unit, context, location, format, signed_data)
        SELECT * FROM unnest(
          ${column((r) => r.station_identity)}::text[], ${column((r) => r.transaction_id ?? null)}::bigint[],
          ${column((r) => r.evse_id ?? null)}::integer[], ${column((r) => r.connector_id ?? null)}::integer[],
          ${column((r) => toDate(r.sampled_at).toISOString())}::timestamptz[],
          ${column((r) => (r.value === null || r.value === undefined ? null : String(r.value)))}::numeric[],
          ${column((r) => r.measurand ?? DEFAULT_MEASURAND)}::text[], ${column((r) => r.phase ?? null)}::text[],
          ${column((r) => r.unit ?? null)}::text[], ${column((r) => r.context ?? null)}::text[],
          ${column((r) => r.location ?? null)}::text[], ${column((r) => r.format ?? null)}::text[],
          ${column((r) => r.signed_data ?? null)}::jsonb[])
        ON CONFLICT DO NOTHING`.execute(db);
      const inserted = Number(result.numAffectedRows ?? 0n);
      return { inserted, unknownTransactionIds: [...unknownTransactionIds] };
    },

    /** Every sample of a transaction, oldest first. */
    async listForTransaction(transactionId: number): Promise<MeterValueRow[]> {
      return db
        .selectFrom('meter_values')
        .selectAll()
        .where('transaction_id', '=', transactionId)
        .orderBy('sampled_at')
        .orderBy('id')
        .execute();
    },

    /** A station's samples, newest first. */
    async listForStation(
      stationIdentity: string,
      filter: MeterValueListFilter = {},
    ): Promise<Page<MeterValueRow>> {
      const { limit, offset } = pageBounds(filter);
      let query = db.selectFrom('meter_values').where('station_identity', '=', stationIdentity);
      if (filter.measurand) query = query.where('measurand', '=', filter.measurand);
      if (filter.from !== undefined) query = query.where('sampled_at', '>=', toDate(filter.from));
      if (filter.to !== undefined) query = query.where('sampled_at', '<', toDate(filter.to));
      const [items, count] = await Promise.all([
        query
          .selectAll()
          .orderBy('sampled_at', 'desc')
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

export type MeterValueStore = ReturnType<typeof createMeterValueStore>;
