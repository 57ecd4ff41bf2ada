import type { Insertable, Kysely } from 'kysely';
import type { Database, VariableMonitorRow, VariableMonitorTable } from '../schema.js';
import type { ComponentRef, VariableRef } from './device-model-store.js';

/** 2.0.1 MonitoringDataType, as in NotifyMonitoringReportRequest.monitor. */
export interface MonitoringData {
  component: ComponentRef;
  variable: VariableRef;
  variableMonitoring: readonly {
    id: number;
    transaction: boolean;
    value: number;
    type: string;
    severity: number;
  }[];
}

export interface VariableMonitorFilter {
  componentName?: string;
  variableName?: string;
}

type Row = Insertable<VariableMonitorTable>;

const KEY_COLUMNS = [
  'station_identity',
  'component_name',
  'component_instance',
  'evse_id',
  'connector_id',
  'variable_name',
  'variable_instance',
  'monitor_id',
] as const;

// One INSERT may not update a row twice, so a monitor reported twice in a part is written once (last wins).
function lastPerKey(rows: Row[]): Row[] {
  return [...new Map(rows.map((row) => [JSON.stringify(KEY_COLUMNS.map((c) => row[c])), row])).values()];
}

export function createVariableMonitorStore(db: Kysely<Database>) {
  return {
    /**
     * Stores the monitors of one NotifyMonitoringReport part, keyed by component, variable and
     * monitor id, so a resent part changes nothing and a later report updates the monitor.
     * Returns how many monitors the part carried.
     */
    async upsertReport(
      stationIdentity: string,
      requestId: number,
      monitors: readonly MonitoringData[],
    ): Promise<number> {
      const now = new Date();
      const rows = lastPerKey(
        monitors.flatMap((data) =>
          data.variableMonitoring.map((monitor) => ({
            station_identity: stationIdentity,
            component_name: data.component.name,
            component_instance: data.component.instance ?? '',
            evse_id: data.component.evse?.id ?? 0,
            connector_id: data.component.evse?.connectorId ?? 0,
            variable_name: data.variable.name,
            variable_instance: data.variable.instance ?? '',
            monitor_id: monitor.id,
            transaction_only: monitor.transaction,
            value: monitor.value,
            type: monitor.type,
            severity: monitor.severity,
            request_id: requestId,
            updated_at: now,
          })),
        ),
      );
      if (rows.length === 0) return 0;
      await db
        .insertInto('variable_monitors')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(KEY_COLUMNS).doUpdateSet((eb) => ({
            transaction_only: eb.ref('excluded.transaction_only'),
            value: eb.ref('excluded.value'),
            type: eb.ref('excluded.type'),
            severity: eb.ref('excluded.severity'),
            request_id: eb.ref('excluded.request_id'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
      return rows.length;
    },

    /** A station's monitors ordered by component, EVSE, connector, variable and monitor id. */
    async list(stationIdentity: string, filter: VariableMonitorFilter = {}): Promise<VariableMonitorRow[]> {
      let query = db
        .selectFrom('variable_monitors')
        .selectAll()
        .where('station_identity', '=', stationIdentity);
      if (filter.componentName !== undefined)
        query = query.where('component_name', '=', filter.componentName);
      if (filter.variableName !== undefined) query = query.where('variable_name', '=', filter.variableName);
      for (const column of KEY_COLUMNS.slice(1)) query = query.orderBy(column);
      return query.execute();
    },
  };
}

export type VariableMonitorStore = ReturnType<typeof createVariableMonitorStore>;
