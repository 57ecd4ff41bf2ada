/**
 * StatusNotification (2.0.1 G01, G03–G05). Its alternative, a NotifyEvent on
 * Connector.AvailabilityState (E02.FR.05 note), is in reports.ts; both record through
 * ../connector-status.ts.
 */
import type * as v201 from 'ocppkit/v201';
import { recordConnectorStatus } from '../connector-status.js';
import type { StationSession } from '../station-session.js';

export async function handleStatusNotification(
  session: StationSession,
  request: v201.StatusNotificationRequest,
): Promise<v201.StatusNotificationResponse> {
  await recordConnectorStatus(session, {
    evseId: request.evseId,
    connectorId: request.connectorId,
    status: request.connectorStatus,
    timestamp: request.timestamp,
  });
  return {};
}
