import type { Kysely } from 'kysely';
import type { ConnectorStatusHistoryRow, ConnectorStatusRow, Database } from '../schema.js';
import { type Instant, toDate } from './conversions.js';
import { type Page, type PageRequest, pageBounds } from './pagination.js';
import { inTransaction } from './transaction-scope.js';

/** A StatusNotification, flattened over 1.6 and 2.0.1/2.1. */
export interface ConnectorStatusReport {
  stationIdentity: string;
  /** Omit for OCPP 1.6: the 1.6 connectorId then serves as the EVSE id too. */
  evseId?: number;
  connectorId: number;
  /** 1.6 ChargePointStatus or 2.0.1 ConnectorStatusEnumType. */
  status: string;
  errorCode?: string;
  info?: string;
  vendorId?: string;
  vendorErrorCode?: string;
  /** The station's timestamp; 1.6 makes it optional, so pass the receive time then. */
  timestamp: Instant;
}

export interface ConnectorStatusOutcome {
  /** This exact report was stored before; nothing changed. */
  duplicate: boolean;
  /** The report is now the current status (false when a newer one was already current). */
  current: boolean;
}

export interface ConnectorStatusHistoryFilter extends PageRequest {
  evseId?: number;
  connectorId?: number;
}

export function createConnectorStatusStore(db: Kysely<Database>) {
  return {
    /**
     * Appends the report to the history and makes it current unless a later one is current
     * already (stations queue notifications while offline and may deliver them late).
     */
    async record(report: ConnectorStatusReport): Promise<ConnectorStatusOutcome> {
      const row = {
        station_identity: report.stationIdentity,
        evse_id: report.evseId ?? report.connectorId,
        connector_id: report.connectorId,
        status: report.status,
        error_code: report.errorCode ?? null,
        info: report.info ?? null,
        vendor_id: report.vendorId ?? null,
        vendor_error_code: report.vendorErrorCode ?? null,
        status_at: toDate(report.timestamp),
      };
      return inTransaction(db, async (trx) => {
        const appended = await trx
          .insertInto('connector_status_history')
          .values(row)
          .onConflict((oc) => oc.doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!appended) return { duplicate: true, current: false };
        const { station_identity, evse_id, connector_id, ...state } = row;
        const updated = await trx
          .insertInto('connector_status')
          .values(row)
          .onConflict((oc) =>
            oc
              .columns(['station_identity', 'evse_id', 'connector_id'])
              .doUpdateSet({ ...state, updated_at: new Date() })
              .where('connector_status.status_at', '<=', row.status_at),
          )
          .returning('status')
          .executeTakeFirst();
        return { duplicate: false, current: updated !== undefined };
      });
    },

    /** Current status of every connector of a station, by EVSE then connector. */
    async listCurrent(stationIdentity: string): Promise<ConnectorStatusRow[]> {
      return db
        .selectFrom('connector_status')
        .selectAll()
        .where('station_identity', '=', stationIdentity)
        .orderBy('evse_id')
        .orderBy('connector_id')
        .execute();
    },

    /** Past reports, newest first. */
    async listHistory(
      stationIdentity: string,
      filter: ConnectorStatusHistoryFilter = {},
    ): Promise<Page<ConnectorStatusHistoryRow>> {
      const { limit, offset } = pageBounds(filter);
      let query = db.selectFrom('connector_status_history').where('station_identity', '=', stationIdentity);
      if (filter.evseId !== undefined) query = query.where('evse_id', '=', filter.evseId);
      if (filter.connectorId !== undefined) query = query.where('connector_id', '=', filter.connectorId);
      const [items, count] = await Promise.all([
        query
          .selectAll()
          .orderBy('status_at', 'desc')
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

export type ConnectorStatusStore = ReturnType<typeof createConnectorStatusStore>;
