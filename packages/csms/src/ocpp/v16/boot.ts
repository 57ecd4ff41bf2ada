/** BootNotification (registration) and Heartbeat (liveness and clock), OCPP 1.6 §4.2 and §4.6. */
import type * as v16 from 'ocppkit/v16';
import type { UnknownStationPolicy } from '../../config.js';
import type { RegistrationStatus } from '../../db/index.js';
import type { StationSession } from '../station-session.js';
import type { LastContact } from './last-contact.js';

/**
 * The registration status a booting station gets: the one stored for it (set by an operator, or
 * answered at an earlier boot), else the policy for stations nobody decided about.
 */
export function registrationStatusFor(
  stored: RegistrationStatus | null | undefined,
  policy: UnknownStationPolicy,
): RegistrationStatus {
  if (stored) return stored;
  // Under 'reject' the upgrade is refused to stations without a row (station-auth.ts); one that got
  // in was added by an operator, so it is Accepted.
  return policy === 'pending' ? 'Pending' : 'Accepted';
}

export async function handleBootNotification(
  session: StationSession,
  request: v16.BootNotificationRequest,
): Promise<v16.BootNotificationResponse> {
  const { config, stores, events } = session.services;
  const station = await stores.stations.get(session.identity);
  const status = registrationStatusFor(station?.registration_status, config.unknownStations);
  const now = new Date();
  await stores.stations.recordBoot(session.identity, {
    registrationStatus: status,
    vendor: request.chargePointVendor,
    model: request.chargePointModel,
    serialNumber: request.chargePointSerialNumber,
    chargeBoxSerialNumber: request.chargeBoxSerialNumber,
    firmwareVersion: request.firmwareVersion,
    iccid: request.iccid,
    imsi: request.imsi,
    meterType: request.meterType,
    meterSerialNumber: request.meterSerialNumber,
    payload: request,
    at: now,
  });
  // The guard in StationSession reads this: from now on other CALLs are served (or refused).
  session.registrationStatus = status;
  events.emit({ type: 'boot', identity: session.identity, status });
  // §4.2: for Accepted, interval is the heartbeat interval; for Pending and Rejected it is the
  // minimum wait before the next BootNotification. One setting serves both.
  return { status, currentTime: now.toISOString(), interval: config.heartbeatIntervalS };
}

/** §4.6: answer the Central System's time, which the station SHOULD use to set its clock. */
export async function handleHeartbeat(contact: LastContact): Promise<v16.HeartbeatResponse> {
  await contact.touch();
  return { currentTime: new Date().toISOString() };
}
