/**
 * The actions a CSMS sends (the generic call endpoint accepts only these): OCPP 1.6 edition 2
 * §4/§5 plus the security whitepaper's messages, and the CSMS → Charging Station messages of
 * OCPP 2.0.1 Part 2. DataTransfer goes both ways.
 */
import type { OcppProtocol } from 'ocppkit';

export const CSMS_ACTIONS: Partial<Record<OcppProtocol, readonly string[]>> = {
  'ocpp1.6': [
    'CancelReservation',
    'CertificateSigned',
    'ChangeAvailability',
    'ChangeConfiguration',
    'ClearCache',
    'ClearChargingProfile',
    'DataTransfer',
    'DeleteCertificate',
    'ExtendedTriggerMessage',
    'GetCompositeSchedule',
    'GetConfiguration',
    'GetDiagnostics',
    'GetInstalledCertificateIds',
    'GetLocalListVersion',
    'GetLog',
    'InstallCertificate',
    'RemoteStartTransaction',
    'RemoteStopTransaction',
    'ReserveNow',
    'Reset',
    'SendLocalList',
    'SetChargingProfile',
    'SignedUpdateFirmware',
    'TriggerMessage',
    'UnlockConnector',
    'UpdateFirmware',
  ],
  'ocpp2.0.1': [
    'CancelReservation',
    'CertificateSigned',
    'ChangeAvailability',
    'ClearCache',
    'ClearChargingProfile',
    'ClearDisplayMessage',
    'ClearVariableMonitoring',
    'CostUpdated',
    'CustomerInformation',
    'DataTransfer',
    'DeleteCertificate',
    'GetBaseReport',
    'GetChargingProfiles',
    'GetCompositeSchedule',
    'GetDisplayMessages',
    'GetInstalledCertificateIds',
    'GetLocalListVersion',
    'GetLog',
    'GetMonitoringReport',
    'GetReport',
    'GetTransactionStatus',
    'GetVariables',
    'InstallCertificate',
    'PublishFirmware',
    'RequestStartTransaction',
    'RequestStopTransaction',
    'ReserveNow',
    'Reset',
    'SendLocalList',
    'SetChargingProfile',
    'SetDisplayMessage',
    'SetMonitoringBase',
    'SetMonitoringLevel',
    'SetNetworkProfile',
    'SetVariableMonitoring',
    'SetVariables',
    'TriggerMessage',
    'UnlockConnector',
    'UnpublishFirmware',
    'UpdateFirmware',
  ],
};

/** True when the CSMS may send `action` in `protocol` (unknown protocols: left to the library). */
export function isCsmsAction(protocol: OcppProtocol, action: string): boolean {
  const actions = CSMS_ACTIONS[protocol];
  return actions === undefined || actions.includes(action);
}
