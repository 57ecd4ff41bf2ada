/** StatusNotification (OCPP 1.6 §4.9): connector 0 is the Charge Point as a whole (§3.8). */
import type * as v16 from 'ocppkit/v16';
import { recordConnectorStatus } from '../connector-status.js';
import type { StationSession } from '../station-session.js';

export async function handleStatusNotification(
  session: StationSession,
  request: v16.StatusNotificationRequest,
): Promise<v16.StatusNotificationResponse> {
  await recordConnectorStatus(session, {
    connectorId: request.connectorId,
    status: request.status,
    errorCode: request.errorCode,
    info: request.info,
    vendorId: request.vendorId,
    vendorErrorCode: request.vendorErrorCode,
    // §6.47: timestamp is optional; without it the status is as of now.
    timestamp: request.timestamp ?? new Date(),
  });
  return {};
}
