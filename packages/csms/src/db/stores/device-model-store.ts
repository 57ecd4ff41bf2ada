import type { Insertable, Kysely } from 'kysely';
import type { Database, DeviceModelVariableRow, DeviceModelVariableTable } from '../schema.js';
import { toNullableJsonb } from './conversions.js';

/** 2.0.1 ComponentType. */
export interface ComponentRef {
  name: string;
  instance?: string;
  evse?: { id: number; connectorId?: number };
}

/** 2.0.1 VariableType. */
export interface VariableRef {
  name: string;
  instance?: string;
}

/** 2.0.1 ReportDataType, as in NotifyReportRequest.reportData. */
export interface ReportData {
  component: ComponentRef;
  variable: VariableRef;
  variableAttribute: readonly {
    type?: string;
    value?: string;
    mutability?: string;
    persistent?: boolean;
    constant?: boolean;
  }[];
  variableCharacteristics?: unknown;
}

/** One attribute value learnt from GetVariables or set by an accepted SetVariables. */
export interface VariableValue {
  component: ComponentRef;
  variable: VariableRef;
  /** Default Actual, as in OCPP. */
  attributeType?: string;
  value: string;
}

export interface DeviceModelFilter {
  componentName?: string;
  variableName?: string;
}

type Row = Insertable<DeviceModelVariableTable>;

const KEY_COLUMNS = [
  'station_identity',
  'component_name',
  'component_instance',
  'evse_id',
  'connector_id',
  'variable_name',
  'variable_instance',
  'attribute_type',
] as const;

// '' and 0 stand for "absent" in key columns (see the migration).
function keyOf(
  stationIdentity: string,
  component: ComponentRef,
  variable: VariableRef,
  attributeType?: string,
) {
  return {
    station_identity: stationIdentity,
    component_name: component.name,
    component_instance: component.instance ?? '',
    evse_id: component.evse?.id ?? 0,
    connector_id: component.evse?.connectorId ?? 0,
    variable_name: variable.name,
    variable_instance: variable.instance ?? '',
    attribute_type: attributeType ?? 'Actual',
  };
}

// One INSERT may not update a row twice, so a key given twice is written once (last wins).
function lastPerKey(rows: Row[]): Row[] {
  return [...new Map(rows.map((row) => [JSON.stringify(KEY_COLUMNS.map((c) => row[c])), row])).values()];
}

export function createDeviceModelStore(db: Kysely<Database>) {
  return {
    /** Stores NotifyReport data, one row per variable attribute. Returns how many rows. */
    async upsertReport(stationIdentity: string, reportData: readonly ReportData[]): Promise<number> {
      const now = new Date();
      const rows = lastPerKey(
        reportData.flatMap((data) =>
          data.variableAttribute.map((attribute) => ({
            ...keyOf(stationIdentity, data.component, data.variable, attribute.type),
            value: attribute.value ?? null,
            mutability: attribute.mutability ?? null,
            persistent: attribute.persistent ?? null,
            constant: attribute.constant ?? null,
            characteristics: toNullableJsonb(data.variableCharacteristics),
            updated_at: now,
          })),
        ),
      );
      if (rows.length === 0) return 0;
      await db
        .insertInto('device_model_variables')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(KEY_COLUMNS).doUpdateSet((eb) => ({
            value: eb.ref('excluded.value'),
            mutability: eb.ref('excluded.mutability'),
            persistent: eb.ref('excluded.persistent'),
            constant: eb.ref('excluded.constant'),
            characteristics: eb.ref('excluded.characteristics'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
      return rows.length;
    },

    /** Updates values only, keeping mutability and characteristics already reported. */
    async upsertValues(stationIdentity: string, values: readonly VariableValue[]): Promise<number> {
      const now = new Date();
      const rows = lastPerKey(
        values.map((entry) => ({
          ...keyOf(stationIdentity, entry.component, entry.variable, entry.attributeType),
          value: entry.value,
          updated_at: now,
        })),
      );
      if (rows.length === 0) return 0;
      await db
        .insertInto('device_model_variables')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(KEY_COLUMNS).doUpdateSet((eb) => ({
            value: eb.ref('excluded.value'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
      return rows.length;
    },

    /** A station's variables ordered by component, EVSE, connector, variable, attribute. */
    async list(stationIdentity: string, filter: DeviceModelFilter = {}): Promise<DeviceModelVariableRow[]> {
      let query = db
        .selectFrom('device_model_variables')
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

export type DeviceModelStore = ReturnType<typeof createDeviceModelStore>;
