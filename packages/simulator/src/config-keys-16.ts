/**
 * The OCPP 1.6 configuration keys of a simulated station (1.6 §9 "Standard Configuration Key Names
 * & Values"), read by GetConfiguration and written by ChangeConfiguration. Listeners learn about
 * changes so that, e.g., a new HeartbeatInterval takes effect at once.
 */

type KeyKind = 'int' | 'bool' | 'csl' | 'string';

interface KeyDefinition {
  readonly kind: KeyKind;
  readonly readonly?: boolean;
  value: string;
}

export type ChangeOutcome = 'Accepted' | 'Rejected' | 'RebootRequired' | 'NotSupported';

export interface ConfigKeyDefaults {
  readonly connectors: number;
  readonly heartbeatIntervalS: number;
  readonly meterIntervalS: number;
}

/** The key names are 1.6 §9; values are what a typical AC station ships with. */
function standardKeys(d: ConfigKeyDefaults): Record<string, KeyDefinition> {
  return {
    // Core profile (§9.1)
    AllowOfflineTxForUnknownId: { kind: 'bool', value: 'true' },
    AuthorizationCacheEnabled: { kind: 'bool', value: 'true' },
    AuthorizeRemoteTxRequests: { kind: 'bool', value: 'false' },
    ClockAlignedDataInterval: { kind: 'int', value: '0' },
    ConnectionTimeOut: { kind: 'int', value: '60' },
    ConnectorPhaseRotation: { kind: 'csl', value: '0.RST' },
    GetConfigurationMaxKeys: { kind: 'int', readonly: true, value: '50' },
    HeartbeatInterval: { kind: 'int', value: String(d.heartbeatIntervalS) },
    LocalAuthorizeOffline: { kind: 'bool', value: 'true' },
    LocalPreAuthorize: { kind: 'bool', value: 'false' },
    MeterValuesAlignedData: { kind: 'csl', value: 'Energy.Active.Import.Register' },
    MeterValuesSampledData: { kind: 'csl', value: 'Energy.Active.Import.Register,Power.Active.Import' },
    MeterValueSampleInterval: { kind: 'int', value: String(d.meterIntervalS) },
    NumberOfConnectors: { kind: 'int', readonly: true, value: String(d.connectors) },
    ResetRetries: { kind: 'int', value: '3' },
    StopTransactionOnEVSideDisconnect: { kind: 'bool', value: 'true' },
    StopTransactionOnInvalidId: { kind: 'bool', value: 'true' },
    StopTxnAlignedData: { kind: 'csl', value: '' },
    StopTxnSampledData: { kind: 'csl', value: 'Energy.Active.Import.Register' },
    SupportedFeatureProfiles: {
      kind: 'csl',
      readonly: true,
      value: 'Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger',
    },
    TransactionMessageAttempts: { kind: 'int', value: '3' },
    TransactionMessageRetryInterval: { kind: 'int', value: '10' },
    UnlockConnectorOnEVSideDisconnect: { kind: 'bool', value: 'true' },
    WebSocketPingInterval: { kind: 'int', value: '0' },
    // Local Auth List Management (§9.2)
    LocalAuthListEnabled: { kind: 'bool', value: 'true' },
    LocalAuthListMaxLength: { kind: 'int', readonly: true, value: '1000' },
    SendLocalListMaxLength: { kind: 'int', readonly: true, value: '100' },
    // Reservation (§9.3)
    ReserveConnectorZeroSupported: { kind: 'bool', readonly: true, value: 'false' },
    // Smart Charging (§9.4)
    ChargeProfileMaxStackLevel: { kind: 'int', readonly: true, value: '10' },
    ChargingScheduleAllowedChargingRateUnit: { kind: 'csl', readonly: true, value: 'Current,Power' },
    ChargingScheduleMaxPeriods: { kind: 'int', readonly: true, value: '24' },
    MaxChargingProfilesInstalled: { kind: 'int', readonly: true, value: '10' },
  };
}

export class ConfigKeys16 {
  readonly #keys: Record<string, KeyDefinition>;
  #listeners: Array<(key: string, value: string) => void> = [];

  constructor(defaults: ConfigKeyDefaults) {
    this.#keys = standardKeys(defaults);
  }

  /** GetConfiguration: the known keys asked for (all when none), and the unknown ones. */
  get(keys: readonly string[] | undefined): {
    known: Array<{ key: string; readonly: boolean; value: string }>;
    unknown: string[];
  } {
    const names = keys?.length ? keys : Object.keys(this.#keys);
    const known: Array<{ key: string; readonly: boolean; value: string }> = [];
    const unknown: string[] = [];
    for (const key of names) {
      const def = this.#keys[key];
      if (def) known.push({ key, readonly: def.readonly ?? false, value: def.value });
      else unknown.push(key);
    }
    return { known, unknown };
  }

  value(key: string): string | undefined {
    return this.#keys[key]?.value;
  }

  int(key: string, fallback: number): number {
    const n = Number(this.#keys[key]?.value);
    return Number.isInteger(n) ? n : fallback;
  }

  bool(key: string): boolean {
    return this.#keys[key]?.value === 'true';
  }

  /** ChangeConfiguration (1.6 §5.3): unknown → NotSupported; read-only or bad value → Rejected. */
  change(key: string, value: string): ChangeOutcome {
    const def = this.#keys[key];
    if (!def) return 'NotSupported';
    if (def.readonly || !isValid(def.kind, value)) return 'Rejected';
    def.value = def.kind === 'bool' ? value.toLowerCase() : value;
    for (const listener of this.#listeners) listener(key, def.value);
    return 'Accepted';
  }

  onChange(listener: (key: string, value: string) => void): void {
    this.#listeners.push(listener);
  }
}

function isValid(kind: KeyKind, value: string): boolean {
  switch (kind) {
    case 'int':
      return /^\d+$/.test(value);
    case 'bool':
      return /^(true|false)$/i.test(value);
    default:
      return value.length <= 500;
  }
}
