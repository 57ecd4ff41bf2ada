/**
 * OCPP 2.0.1 message parts a simulated charging station builds: trigger and stop reasons, id
 * tokens, sampled values, and charging profiles in the version-neutral form of charging-profiles.ts.
 */
import type * as v201 from 'ocppkit/v201';
import type { StoredProfile } from './charging-profiles.js';
import { type MeterReading, measure } from './meter.js';
import type { StopReason } from './station-api.js';

export type Reading = v201.ReadingContextEnumType;
export type Trigger = v201.TriggerReasonEnumType;

export const STOP_TRIGGERS: Record<StopReason, Trigger> = {
  Local: 'StopAuthorized',
  Remote: 'RemoteStop',
  EVDisconnected: 'EVCommunicationLost',
  DeAuthorized: 'Deauthorized',
  EmergencyStop: 'AbnormalCondition',
  PowerLoss: 'AbnormalCondition',
  Reboot: 'ResetCommand',
  SoftReset: 'ResetCommand',
  HardReset: 'ResetCommand',
  ImmediateReset: 'ResetCommand',
  UnlockCommand: 'UnlockCommand',
  Other: 'AbnormalCondition',
};

export const STOP_REASONS: Record<StopReason, v201.ReasonEnumType> = {
  Local: 'Local',
  Remote: 'Remote',
  EVDisconnected: 'EVDisconnected',
  DeAuthorized: 'DeAuthorized',
  EmergencyStop: 'EmergencyStop',
  PowerLoss: 'PowerLoss',
  Reboot: 'Reboot',
  SoftReset: 'Reboot',
  HardReset: 'ImmediateReset',
  ImmediateReset: 'ImmediateReset',
  UnlockCommand: 'Other',
  Other: 'Other',
};

export function idTokenOf(idToken: string): v201.IdTokenType {
  return { idToken, type: 'ISO14443' };
}

export function sampled(
  reading: MeterReading,
  measurands: readonly string[],
  context: Reading,
): v201.SampledValueType[] {
  return measure(reading, measurands).map((m) => ({
    value: m.value,
    context,
    measurand: m.measurand as v201.MeasurandEnumType,
    unitOfMeasure: { unit: m.unit },
  }));
}

/** A 2.0.1 ChargingProfileType in the version-neutral form (first schedule only). */
export function toStoredProfile201(evseId: number, p: v201.ChargingProfileType): StoredProfile {
  const purposes = {
    ChargingStationMaxProfile: 'StationMax',
    TxDefaultProfile: 'TxDefault',
    TxProfile: 'Tx',
    ChargingStationExternalConstraints: 'External',
  } as const;
  const schedule = p.chargingSchedule[0]!;
  return {
    id: p.id,
    connectorId: evseId,
    stackLevel: p.stackLevel,
    purpose: purposes[p.chargingProfilePurpose],
    kind: p.chargingProfileKind,
    recurrency: p.recurrencyKind,
    validFrom: p.validFrom,
    validTo: p.validTo,
    transactionId: p.transactionId,
    startSchedule: schedule.startSchedule,
    duration: schedule.duration,
    unit: schedule.chargingRateUnit,
    periods: schedule.chargingSchedulePeriod,
  };
}
