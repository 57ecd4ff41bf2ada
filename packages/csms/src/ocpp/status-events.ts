/**
 * Progress reports of a station's long-running jobs, in both versions: firmware (1.6 §4.5,
 * SignedFirmwareStatusNotification; 2.0.1 L01, L02), publish firmware (2.0.1 L03), diagnostics
 * (1.6 §4.4) and logs (whitepaper §5.13, 2.0.1 N01). None carries a timestamp, so the store drops a
 * status that repeats the latest of its kind and request.
 */
import type { StatusEventReport } from '../db/index.js';
import type { StationSession } from './station-session.js';

/** Stores the status; the notification is then acknowledged with an empty answer. */
export async function recordStatusEvent(
  session: StationSession,
  report: Omit<StatusEventReport, 'stationIdentity' | 'at'>,
): Promise<Record<string, never>> {
  await session.services.stores.statusEvents.record({ stationIdentity: session.identity, ...report });
  return {};
}
