/** BootNotification (2.0.1 B01–B03) and Heartbeat (G02, and the clock of B01.FR.06). */
import type * as v201 from 'ocppkit/v201';
import type { UnknownStationPolicy } from '../../config.js';
import type { RegistrationStatus } from '../../db/index.js';
import type { StationSession } from '../station-session.js';
import type { LastContact } from '../v16/last-contact.js';

/**
 * The registration status a booting station gets: the one stored for it (set by an operator, or
 * answered at an earlier boot), else the policy for stations nobody decided about. So under the
 * 'pending' policy a station stays Pending (B02) until an operator accepts it.
 */
export function registrationStatusFor(
  stored: RegistrationStatus | null | undefined,
  policy: UnknownStationPolicy,
): RegistrationStatus {
  if (stored) return stored;
  // Under 'reject' the upgrade is refused to stations without a row (station-auth.ts): one that got
  // this far was added by an operator, so it is Accepted.
  return policy === 'pending' ? 'Pending' : 'Accepted';
}

export async function handleBootNotification(
  session: StationSession,
  request: v201.BootNotificationRequest,
): Promise<v201.BootNotificationResponse> {
  const { config, stores, events } = session.services;
  const station = await stores.stations.get(session.identity);
  const status = registrationStatusFor(station?.registration_status, config.unknownStations);
  const { chargingStation } = request;
  const now = new Date();
  await stores.stations.recordBoot(session.identity, {
    registrationStatus: status,
    vendor: chargingStation.vendorName,
    model: chargingStation.model,
    serialNumber: chargingStation.serialNumber,
    firmwareVersion: chargingStation.firmwareVersion,
    iccid: chargingStation.modem?.iccid,
    imsi: chargingStation.modem?.imsi,
    bootReason: request.reason,
    payload: request,
    at: now,
  });
  // The guard in StationSession reads this: from now on other CALLs are served, or refused with
  // SecurityError while Pending or Rejected (B02.FR.09, B03.FR.07).
  session.registrationStatus = status;
  events.emit({ type: 'boot', identity: session.identity, status });
  // BootNotificationResponse.interval: the heartbeat interval when Accepted, else the minimum wait
  // before the next BootNotification (B02.FR.08, B03.FR.06). One setting serves both.
  return { status, currentTime: now.toISOString(), interval: config.heartbeatIntervalS };
}

/** The CSMS's time, which a station using Heartbeat as TimeSource sets its clock by (B01.FR.06). */
export async function handleHeartbeat(contact: LastContact): Promise<v201.HeartbeatResponse> {
  await contact.touch();
  return { currentTime: new Date().toISOString() };
}
