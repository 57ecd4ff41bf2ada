/**
 * Progress of long-running station jobs: FirmwareStatusNotification (2.0.1 L01, L02),
 * PublishFirmwareStatusNotification (L03) and LogStatusNotification (N01), stored through
 * ../status-events.ts.
 */
import type * as v201 from 'ocppkit/v201';
import type { StationSession } from '../station-session.js';
import { recordStatusEvent } from '../status-events.js';

export function handleFirmwareStatusNotification(
  session: StationSession,
  request: v201.FirmwareStatusNotificationRequest,
): Promise<v201.FirmwareStatusNotificationResponse> {
  // requestId may be absent only with status Idle: a triggered report with no update ongoing (L01.FR.20).
  return recordStatusEvent(session, {
    kind: 'firmware',
    status: request.status,
    requestId: request.requestId,
  });
}

export function handlePublishFirmwareStatusNotification(
  session: StationSession,
  request: v201.PublishFirmwareStatusNotificationRequest,
): Promise<v201.PublishFirmwareStatusNotificationResponse> {
  // location: the URIs the local controller publishes the firmware at, given with status Published.
  return recordStatusEvent(session, {
    kind: 'publish_firmware',
    status: request.status,
    requestId: request.requestId,
    details: request.location ? { location: request.location } : undefined,
  });
}

export function handleLogStatusNotification(
  session: StationSession,
  request: v201.LogStatusNotificationRequest,
): Promise<v201.LogStatusNotificationResponse> {
  return recordStatusEvent(session, { kind: 'log', status: request.status, requestId: request.requestId });
}
