/**
 * Progress of long-running station jobs: FirmwareStatusNotification (2.0.1 L01, L02),
 * PublishFirmwareStatusNotification (L03) and LogStatusNotification (N01). These messages carry no
 * timestamp, so the store drops a status that repeats the latest of its kind and request.
 */
import type * as v201 from 'ocppkit/v201';
import type { StationStatusEventKind } from '../../db/index.js';
import type { StationSession } from '../station-session.js';

async function recordStatus(
  session: StationSession,
  kind: StationStatusEventKind,
  status: string,
  requestId: number | undefined,
  details?: unknown,
): Promise<void> {
  await session.services.stores.statusEvents.record({
    stationIdentity: session.identity,
    kind,
    status,
    requestId,
    details,
  });
}

export async function handleFirmwareStatusNotification(
  session: StationSession,
  request: v201.FirmwareStatusNotificationRequest,
): Promise<v201.FirmwareStatusNotificationResponse> {
  // requestId may be absent only with status Idle: a triggered report with no update ongoing (L01.FR.20).
  await recordStatus(session, 'firmware', request.status, request.requestId);
  return {};
}

export async function handlePublishFirmwareStatusNotification(
  session: StationSession,
  request: v201.PublishFirmwareStatusNotificationRequest,
): Promise<v201.PublishFirmwareStatusNotificationResponse> {
  // location: the URIs the local controller publishes the firmware at, given with status Published.
  const details = request.location ? { location: request.location } : undefined;
  await recordStatus(session, 'publish_firmware', request.status, request.requestId, details);
  return {};
}

export async function handleLogStatusNotification(
  session: StationSession,
  request: v201.LogStatusNotificationRequest,
): Promise<v201.LogStatusNotificationResponse> {
  await recordStatus(session, 'log', request.status, request.requestId);
  return {};
}
