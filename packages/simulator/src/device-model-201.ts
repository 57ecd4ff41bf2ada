/**
 * A small OCPP 2.0.1 device model (Part 2 §B "Provisioning", appendices "Controller Components"):
 * the components and variables a basic AC station reports, read by GetVariables, written by
 * SetVariables, and listed by GetBaseReport. Only the Actual attribute is supported.
 */
import type * as v201 from 'ocppkit/v201';

type Mutability = 'ReadOnly' | 'ReadWrite' | 'WriteOnly';
type DataType = 'string' | 'integer' | 'decimal' | 'boolean' | 'dateTime' | 'OptionList' | 'MemberList';

interface VariableDefinition {
  readonly component: string;
  readonly componentInstance?: string;
  readonly evseId?: number;
  readonly connectorId?: number;
  readonly variable: string;
  readonly variableInstance?: string;
  readonly mutability: Mutability;
  readonly dataType: DataType;
  readonly unit?: string;
  readonly valuesList?: string;
  readonly minLimit?: number;
  value?: string;
  /** Values that follow the station's state (availability, clock). */
  readonly live?: () => string;
}

export interface DeviceModelSetup {
  readonly identity: string;
  readonly vendor: string;
  readonly model: string;
  readonly evses: number;
  readonly powerKw: number;
  readonly heartbeatIntervalS: number;
  readonly meterIntervalS: number;
  /** AvailabilityState of the station (evseId undefined) or of an EVSE. */
  readonly availability: (evseId?: number) => string;
  readonly localListEntries: () => number;
}

const MEASURANDS = 'Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,SoC';

function definitions(s: DeviceModelSetup): VariableDefinition[] {
  const rw = (component: string, variable: string, dataType: DataType, value: string, extra = {}) => ({
    component,
    variable,
    dataType,
    value,
    mutability: 'ReadWrite' as const,
    ...extra,
  });
  const ro = (component: string, variable: string, dataType: DataType, value: string, extra = {}) => ({
    ...rw(component, variable, dataType, value, extra),
    mutability: 'ReadOnly' as const,
  });
  const memberList = { valuesList: MEASURANDS };
  const list: VariableDefinition[] = [
    ro('ChargingStation', 'AvailabilityState', 'OptionList', '', { live: () => s.availability() }),
    ro('ChargingStation', 'Available', 'boolean', 'true'),
    ro('ChargingStation', 'Model', 'string', s.model),
    ro('ChargingStation', 'VendorName', 'string', s.vendor),
    ro('ChargingStation', 'SupplyPhases', 'integer', '3'),
    rw('OCPPCommCtrlr', 'HeartbeatInterval', 'integer', String(s.heartbeatIntervalS), {
      unit: 's',
      minLimit: 0,
    }),
    rw('OCPPCommCtrlr', 'OfflineThreshold', 'integer', '60', { unit: 's' }),
    rw('OCPPCommCtrlr', 'MessageTimeout', 'integer', '30', { variableInstance: 'Default', unit: 's' }),
    rw('OCPPCommCtrlr', 'MessageAttempts', 'integer', '3', { variableInstance: 'TransactionEvent' }),
    rw('OCPPCommCtrlr', 'MessageAttemptInterval', 'integer', '10', {
      variableInstance: 'TransactionEvent',
      unit: 's',
    }),
    rw('OCPPCommCtrlr', 'NetworkConfigurationPriority', 'string', '0'),
    rw('OCPPCommCtrlr', 'NetworkProfileConnectionAttempts', 'integer', '3'),
    rw('OCPPCommCtrlr', 'ResetRetries', 'integer', '2'),
    rw('OCPPCommCtrlr', 'RetryBackOffWaitMinimum', 'integer', '5', { unit: 's' }),
    rw('OCPPCommCtrlr', 'RetryBackOffRandomRange', 'integer', '10', { unit: 's' }),
    rw('OCPPCommCtrlr', 'RetryBackOffRepeatTimes', 'integer', '4'),
    rw('OCPPCommCtrlr', 'WebSocketPingInterval', 'integer', '0', { unit: 's' }),
    rw('SampledDataCtrlr', 'Enabled', 'boolean', 'true'),
    rw('SampledDataCtrlr', 'TxUpdatedInterval', 'integer', String(s.meterIntervalS), {
      unit: 's',
      minLimit: 0,
    }),
    rw('SampledDataCtrlr', 'TxStartedMeasurands', 'MemberList', 'Energy.Active.Import.Register', memberList),
    rw(
      'SampledDataCtrlr',
      'TxUpdatedMeasurands',
      'MemberList',
      'Energy.Active.Import.Register,Power.Active.Import',
      memberList,
    ),
    rw('SampledDataCtrlr', 'TxEndedMeasurands', 'MemberList', 'Energy.Active.Import.Register', memberList),
    rw('SampledDataCtrlr', 'TxEndedInterval', 'integer', '0', { unit: 's' }),
    rw('AlignedDataCtrlr', 'Enabled', 'boolean', 'true'),
    rw('AlignedDataCtrlr', 'Interval', 'integer', '0', { unit: 's', minLimit: 0 }),
    rw('AlignedDataCtrlr', 'Measurands', 'MemberList', 'Energy.Active.Import.Register', memberList),
    rw('AlignedDataCtrlr', 'TxEndedInterval', 'integer', '0', { unit: 's' }),
    rw('AlignedDataCtrlr', 'TxEndedMeasurands', 'MemberList', '', memberList),
    rw('TxCtrlr', 'EVConnectionTimeOut', 'integer', '60', { unit: 's' }),
    rw('TxCtrlr', 'StopTxOnEVSideDisconnect', 'boolean', 'true'),
    rw('TxCtrlr', 'StopTxOnInvalidId', 'boolean', 'true'),
    rw('TxCtrlr', 'TxStartPoint', 'MemberList', 'Authorized', {
      valuesList: 'Authorized,EVConnected,PowerPathClosed',
    }),
    rw('TxCtrlr', 'TxStopPoint', 'MemberList', 'Authorized,EVConnected', {
      valuesList: 'Authorized,EVConnected,PowerPathClosed',
    }),
    rw('AuthCtrlr', 'Enabled', 'boolean', 'true'),
    rw('AuthCtrlr', 'AuthorizeRemoteStart', 'boolean', 'false'),
    rw('AuthCtrlr', 'LocalAuthorizeOffline', 'boolean', 'true'),
    rw('AuthCtrlr', 'LocalPreAuthorize', 'boolean', 'false'),
    rw('AuthCtrlr', 'OfflineTxForUnknownIdEnabled', 'boolean', 'true'),
    rw('AuthCacheCtrlr', 'Enabled', 'boolean', 'true'),
    rw('LocalAuthListCtrlr', 'Enabled', 'boolean', 'true'),
    ro('LocalAuthListCtrlr', 'Entries', 'integer', '', { live: () => String(s.localListEntries()) }),
    ro('LocalAuthListCtrlr', 'ItemsPerMessage', 'integer', '100'),
    ro('LocalAuthListCtrlr', 'BytesPerMessage', 'integer', '10000'),
    rw('ReservationCtrlr', 'Enabled', 'boolean', 'true'),
    ro('ReservationCtrlr', 'NonEvseSpecific', 'boolean', 'true'),
    rw('SmartChargingCtrlr', 'Enabled', 'boolean', 'true'),
    ro('SmartChargingCtrlr', 'RateUnit', 'MemberList', 'A,W', { valuesList: 'A,W' }),
    ro('SmartChargingCtrlr', 'ProfileStackLevel', 'integer', '10'),
    ro('SmartChargingCtrlr', 'PeriodsPerSchedule', 'integer', '24'),
    ro('DeviceDataCtrlr', 'ItemsPerMessage', 'integer', '20', { variableInstance: 'GetReport' }),
    ro('DeviceDataCtrlr', 'ItemsPerMessage', 'integer', '50', { variableInstance: 'GetVariables' }),
    ro('DeviceDataCtrlr', 'ItemsPerMessage', 'integer', '50', { variableInstance: 'SetVariables' }),
    ro('DeviceDataCtrlr', 'BytesPerMessage', 'integer', '65000', { variableInstance: 'GetReport' }),
    ro('ClockCtrlr', 'DateTime', 'dateTime', '', { live: () => new Date().toISOString() }),
    rw('ClockCtrlr', 'TimeSource', 'MemberList', 'Heartbeat', { valuesList: 'Heartbeat,NTP,RealTimeClock' }),
    ro('SecurityCtrlr', 'Identity', 'string', s.identity),
    ro('SecurityCtrlr', 'SecurityProfile', 'integer', '1'),
    rw('SecurityCtrlr', 'OrganizationName', 'string', 'ocppkit'),
  ];
  for (let evseId = 1; evseId <= s.evses; evseId++) {
    const live = { evseId, live: () => s.availability(evseId) };
    list.push(
      { ...ro('EVSE', 'AvailabilityState', 'OptionList', '', live) },
      { ...ro('EVSE', 'Available', 'boolean', 'true'), evseId },
      { ...ro('EVSE', 'Power', 'decimal', String(s.powerKw * 1000), { unit: 'W' }), evseId },
      { ...ro('EVSE', 'SupplyPhases', 'integer', '3'), evseId },
      { ...ro('Connector', 'AvailabilityState', 'OptionList', '', live), connectorId: 1 },
      { ...ro('Connector', 'Available', 'boolean', 'true'), evseId, connectorId: 1 },
      { ...ro('Connector', 'ConnectorType', 'string', 'cType2'), evseId, connectorId: 1 },
    );
  }
  return list;
}

export type GetOutcome = v201.GetVariableResultType;
export type SetOutcome = v201.SetVariableResultType;

export class DeviceModel201 {
  readonly #variables: VariableDefinition[];
  #listeners: Array<(component: string, variable: string, value: string) => void> = [];

  constructor(setup: DeviceModelSetup) {
    this.#variables = definitions(setup);
  }

  /** The current value of a variable (station-wide component), for the station's own use. */
  value(component: string, variable: string, variableInstance?: string): string | undefined {
    const def = this.#variables.find(
      (v) =>
        v.component === component &&
        v.variable === variable &&
        v.variableInstance === variableInstance &&
        v.evseId === undefined,
    );
    return def && (def.live?.() ?? def.value);
  }

  int(component: string, variable: string, fallback: number, variableInstance?: string): number {
    const n = Number(this.value(component, variable, variableInstance));
    return Number.isInteger(n) ? n : fallback;
  }

  onChange(listener: (component: string, variable: string, value: string) => void): void {
    this.#listeners.push(listener);
  }

  /** GetVariables, one entry (B06.FR.*). */
  get(data: v201.GetVariableDataType): GetOutcome {
    const base = { component: data.component, variable: data.variable, attributeType: data.attributeType };
    const found = this.#find(data.component, data.variable);
    if (typeof found === 'string') return { ...base, attributeStatus: found };
    if (data.attributeType && data.attributeType !== 'Actual') {
      return { ...base, attributeStatus: 'NotSupportedAttributeType' };
    }
    if (found.mutability === 'WriteOnly') return { ...base, attributeStatus: 'Rejected' };
    return { ...base, attributeStatus: 'Accepted', attributeValue: found.live?.() ?? found.value ?? '' };
  }

  /** SetVariables, one entry (B05.FR.*): read-only or out-of-range values are Rejected. */
  set(data: v201.SetVariableDataType): SetOutcome {
    const base = { component: data.component, variable: data.variable, attributeType: data.attributeType };
    const found = this.#find(data.component, data.variable);
    if (typeof found === 'string') return { ...base, attributeStatus: found };
    if (data.attributeType && data.attributeType !== 'Actual') {
      return { ...base, attributeStatus: 'NotSupportedAttributeType' };
    }
    if (found.mutability === 'ReadOnly' || !isValid(found, data.attributeValue)) {
      return { ...base, attributeStatus: 'Rejected' };
    }
    found.value = data.attributeValue;
    for (const listener of this.#listeners) listener(found.component, found.variable, found.value);
    return { ...base, attributeStatus: 'Accepted' };
  }

  /** The variables a base report lists (B07.FR.07–09), as NotifyReport reportData. */
  report(base: string): v201.ReportDataType[] {
    const selected = this.#variables.filter((v) => {
      if (base === 'ConfigurationInventory') return v.mutability !== 'ReadOnly';
      if (base === 'SummaryInventory') return v.variable === 'AvailabilityState';
      return true;
    });
    return selected.map((v) => ({
      component: componentOf(v),
      variable: { name: v.variable, ...(v.variableInstance ? { instance: v.variableInstance } : {}) },
      variableAttribute: [
        {
          type: 'Actual',
          mutability: v.mutability,
          ...(v.mutability === 'WriteOnly' ? {} : { value: (v.live?.() ?? v.value ?? '').slice(0, 2500) }),
        },
      ],
      variableCharacteristics: {
        dataType: v.dataType,
        supportsMonitoring: false,
        ...(v.unit ? { unit: v.unit } : {}),
        ...(v.valuesList ? { valuesList: v.valuesList } : {}),
        ...(v.minLimit !== undefined ? { minLimit: v.minLimit } : {}),
      },
    }));
  }

  #find(
    component: v201.ComponentType,
    variable: v201.VariableType,
  ): VariableDefinition | 'UnknownComponent' | 'UnknownVariable' {
    const ofComponent = this.#variables.filter(
      (v) =>
        v.component === component.name &&
        v.componentInstance === component.instance &&
        v.evseId === component.evse?.id &&
        v.connectorId === component.evse?.connectorId,
    );
    if (ofComponent.length === 0) return 'UnknownComponent';
    const found = ofComponent.find(
      (v) => v.variable === variable.name && v.variableInstance === variable.instance,
    );
    return found ?? 'UnknownVariable';
  }
}

function componentOf(v: VariableDefinition): v201.ComponentType {
  const evse =
    v.evseId === undefined
      ? {}
      : { evse: { id: v.evseId, ...(v.connectorId === undefined ? {} : { connectorId: v.connectorId }) } };
  return { name: v.component, ...(v.componentInstance ? { instance: v.componentInstance } : {}), ...evse };
}

function isValid(def: VariableDefinition, value: string): boolean {
  if (value.length > 1000) return false;
  switch (def.dataType) {
    case 'integer':
      return /^-?\d+$/.test(value) && (def.minLimit === undefined || Number(value) >= def.minLimit);
    case 'decimal':
      return value.trim() !== '' && Number.isFinite(Number(value));
    case 'boolean':
      return value === 'true' || value === 'false';
    case 'OptionList':
      return (def.valuesList ?? '').split(',').includes(value);
    case 'MemberList': {
      const allowed = (def.valuesList ?? '').split(',');
      return value === '' || value.split(',').every((m) => allowed.includes(m));
    }
    default:
      return true;
  }
}
