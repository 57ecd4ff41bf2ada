/**
 * Which SecurityEventNotification types are critical, copied from the OCA's `security_events.csv`
 * (OCPP 2.0.1 edition 3, Part 2 Appendices "Security Events", column "Critical"). That file ships
 * with the specification, not with this package, so the list is embedded here.
 */

/** Types whose "Critical" column is "Yes". */
const CRITICAL_SECURITY_EVENTS: ReadonlySet<string> = new Set([
  'FirmwareUpdated',
  'SettingSystemTime',
  'StartupOfTheDevice',
  'ResetOrReboot',
  'SecurityLogWasCleared',
  'MemoryExhaustion',
  'TamperDetectionActivated',
  'InvalidFirmwareSignature',
  'InvalidFirmwareSigningCertificate',
  'InvalidCsmsCertificate',
  'InvalidChargingStationCertificate',
  'InvalidTLSVersion',
  'InvalidTLSCipherSuite',
  'MaintenanceLoginAccepted',
  'MaintenanceLoginFailed',
]);

/**
 * True for a critical type. The list's non-critical types (FailedToAuthenticateAtCsms,
 * CsmsFailedToAuthenticate, ReconfigurationOfSecurityParameters, InvalidMessages,
 * AttemptedReplayAttacks) and vendor-defined types ("should be taken from the list") are not.
 */
export function isCriticalSecurityEvent(type: string): boolean {
  return CRITICAL_SECURITY_EVENTS.has(type);
}
