/**
 * OCPP 1.6 message parts a simulated charge point builds: stop reasons, sampled values, and charging
 * profiles in the version-neutral form of charging-profiles.ts.
 */
import type * as v16 from 'ocppkit/v16';
import type { StoredProfile } from './charging-profiles.js';
import { type MeterReading, measure } from './meter.js';
import type { StopReason } from './station-api.js';

export type SampledValue16 = v16.MeterValuesRequestMeterValueSampledValue;
export type Context16 = NonNullable<SampledValue16['context']>;

export const REASONS_16: Record<StopReason, v16.StopTransactionRequestReason> = {
  Local: 'Local',
  Remote: 'Remote',
  EVDisconnected: 'EVDisconnected',
  DeAuthorized: 'DeAuthorized',
  EmergencyStop: 'EmergencyStop',
  PowerLoss: 'PowerLoss',
  Reboot: 'Reboot',
  SoftReset: 'SoftReset',
  HardReset: 'HardReset',
  ImmediateReset: 'HardReset',
  UnlockCommand: 'UnlockCommand',
  Other: 'Other',
};

export function sampled(
  reading: MeterReading,
  measurands: readonly string[],
  context: Context16,
): SampledValue16[] {
  return measure(reading, measurands).map((m) => ({
    value: String(m.value),
    context,
    measurand: m.measurand as SampledValue16['measurand'],
    unit: m.unit as SampledValue16['unit'],
  }));
}

export function energyValue(wh: number, context: Context16): SampledValue16 {
  return { value: String(wh), context, measurand: 'Energy.Active.Import.Register', unit: 'Wh' };
}

/** A 1.6 csChargingProfiles in the version-neutral form. */
export function toStoredProfile(
  connectorId: number,
  p: v16.SetChargingProfileRequestCsChargingProfiles,
): StoredProfile {
  const purposes = {
    ChargePointMaxProfile: 'StationMax',
    TxDefaultProfile: 'TxDefault',
    TxProfile: 'Tx',
  } as const;
  return {
    id: p.chargingProfileId,
    connectorId,
    stackLevel: p.stackLevel,
    purpose: purposes[p.chargingProfilePurpose],
    kind: p.chargingProfileKind,
    recurrency: p.recurrencyKind,
    validFrom: p.validFrom,
    validTo: p.validTo,
    transactionId: p.transactionId === undefined ? undefined : String(p.transactionId),
    startSchedule: p.chargingSchedule.startSchedule,
    duration: p.chargingSchedule.duration,
    unit: p.chargingSchedule.chargingRateUnit,
    periods: p.chargingSchedule.chargingSchedulePeriod,
  };
}
