/**
 * Smart-charging reports from stations: NotifyChargingLimit (2.0.1 K12), ClearedChargingLimit (K13),
 * ReportChargingProfiles (K09), and the ISO 15118 negotiation messages NotifyEVChargingNeeds and
 * NotifyEVChargingSchedule (K15–K17). This CSMS computes no charging schedules of its own.
 */
import type * as v201 from 'ocppkit/v201';
import type { ChargingProfileReport } from '../../db/index.js';
import type { StationSession } from '../station-session.js';

async function recordReport(
  session: StationSession,
  report: Omit<ChargingProfileReport, 'stationIdentity'>,
): Promise<void> {
  await session.services.stores.chargingProfiles.record({ stationIdentity: session.identity, ...report });
}

/** K12: an external limit (EMS, SO, ...) was set at the station; kept with its schedules. */
export async function handleNotifyChargingLimit(
  session: StationSession,
  request: v201.NotifyChargingLimitRequest,
): Promise<v201.NotifyChargingLimitResponse> {
  await recordReport(session, {
    kind: 'charging_limit',
    evseId: request.evseId,
    limitSource: request.chargingLimit.chargingLimitSource,
    payload: request,
  });
  return {};
}

/** K13: the external limit is gone. */
export async function handleClearedChargingLimit(
  session: StationSession,
  request: v201.ClearedChargingLimitRequest,
): Promise<v201.ClearedChargingLimitResponse> {
  await recordReport(session, {
    kind: 'cleared_limit',
    evseId: request.evseId,
    limitSource: request.chargingLimitSource,
    payload: request,
  });
  return {};
}

/** K09: the answer to GetChargingProfiles, possibly in several parts (tbc); each part is kept. */
export async function handleReportChargingProfiles(
  session: StationSession,
  request: v201.ReportChargingProfilesRequest,
): Promise<v201.ReportChargingProfilesResponse> {
  await recordReport(session, {
    kind: 'reported_profiles',
    requestId: request.requestId,
    evseId: request.evseId,
    limitSource: request.chargingLimitSource,
    payload: request,
  });
  return {};
}

/**
 * K15.FR.04 / K17.FR.04: a CSMS that is not able to provide a charging schedule answers Rejected.
 * Accepted or Processing would oblige it to send a TxProfile within 60 s (K15.FR.07/08), which this
 * CSMS cannot compute; the station then charges on its own composite schedule. The needs are kept
 * with the station's charging reports.
 */
export async function handleNotifyEVChargingNeeds(
  session: StationSession,
  request: v201.NotifyEVChargingNeedsRequest,
): Promise<v201.NotifyEVChargingNeedsResponse> {
  await recordReport(session, { kind: 'ev_charging_needs', evseId: request.evseId, payload: request });
  session.logger.info(
    { evseId: request.evseId, transfer: request.chargingNeeds.requestedEnergyTransfer },
    'EV charging needs received; no schedule offered',
  );
  return { status: 'Rejected', statusInfo: { reasonCode: 'UnsupportedRequest' } };
}

/**
 * K15.FR.11 / K16.FR.06: Accepted when the EV's schedule is within the limits of the schedule the
 * CSMS gave. This CSMS set no limits of its own, so it is; Rejected would oblige it to renegotiate
 * (K15.FR.13), which it cannot. The schedule is kept with the station's charging reports.
 */
export async function handleNotifyEVChargingSchedule(
  session: StationSession,
  request: v201.NotifyEVChargingScheduleRequest,
): Promise<v201.NotifyEVChargingScheduleResponse> {
  await recordReport(session, { kind: 'ev_charging_schedule', evseId: request.evseId, payload: request });
  return { status: 'Accepted' };
}
