/**
 * Which security event types are critical, for SecurityEventNotification of both versions. The list
 * is copied from the OCA's `security_events.csv` (OCPP 2.0.1 edition 3, Part 2 Appendices "Security
 * Events", column "Critical"): that file ships with the specification, not with this package, so it
 * is embedded here. A 1.6 station may send the security whitepaper (edition 3, §8) spellings of the
 * same events; they are aliases of their 2.0.1 names and take the 2.0.1 criticality.
 */

/** Event types whose "Critical" column is "Yes" in security_events.csv. */
const CRITICAL_EVENTS: ReadonlySet<string> = new Set([
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

/** 1.6 whitepaper §8 name → the 2.0.1 name of the same event. */
const WHITEPAPER_ALIASES: ReadonlyMap<string, string> = new Map([
  ['FailedToAuthenticationAtCentralSystem', 'FailedToAuthenticateAtCsms'],
  ['CentralSystemFailedToAuthentication', 'CsmsFailedToAuthenticate'],
  ['InvalidCentralSystemCertificate', 'InvalidCsmsCertificate'],
  ['InvalidChargePointCertificate', 'InvalidChargingStationCertificate'],
]);

/**
 * True for a critical event type. The list's non-critical types (FailedToAuthenticateAtCsms,
 * InvalidMessages, ...) and vendor-defined types ("should be taken from the list") are not.
 */
export function isCriticalSecurityEvent(type: string): boolean {
  return CRITICAL_EVENTS.has(WHITEPAPER_ALIASES.get(type) ?? type);
}
