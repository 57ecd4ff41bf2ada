/**
 * Progress reports of the station's file transfers: DiagnosticsStatusNotification (§4.4),
 * FirmwareStatusNotification (§4.5), and from the security whitepaper (edition 3)
 * LogStatusNotification (§5.13, use case N01) and SignedFirmwareStatusNotification (§5.19, L01).
 * All are acknowledged with an empty answer once stored.
 */
import type * as v16 from 'ocppkit/v16';
import type { StationStatusEventKind } from '../../db/index.js';
import type { StationSession } from '../station-session.js';

async function recordStatus(
  session: StationSession,
  kind: StationStatusEventKind,
  status: string,
  details: { requestId?: number; action: string },
): Promise<Record<string, never>> {
  await session.services.stores.statusEvents.record({
    stationIdentity: session.identity,
    kind,
    status,
    requestId: details.requestId,
    // Firmware progress comes from two different messages in 1.6; keep which one it was.
    details: { action: details.action },
  });
  return {};
}

export function handleDiagnosticsStatusNotification(
  session: StationSession,
  request: v16.DiagnosticsStatusNotificationRequest,
): Promise<v16.DiagnosticsStatusNotificationResponse> {
  return recordStatus(session, 'diagnostics', request.status, { action: 'DiagnosticsStatusNotification' });
}

export function handleFirmwareStatusNotification(
  session: StationSession,
  request: v16.FirmwareStatusNotificationRequest,
): Promise<v16.FirmwareStatusNotificationResponse> {
  return recordStatus(session, 'firmware', request.status, { action: 'FirmwareStatusNotification' });
}

export function handleSignedFirmwareStatusNotification(
  session: StationSession,
  request: v16.SignedFirmwareStatusNotificationRequest,
): Promise<v16.SignedFirmwareStatusNotificationResponse> {
  return recordStatus(session, 'firmware', request.status, {
    requestId: request.requestId,
    action: 'SignedFirmwareStatusNotification',
  });
}

export function handleLogStatusNotification(
  session: StationSession,
  request: v16.LogStatusNotificationRequest,
): Promise<v16.LogStatusNotificationResponse> {
  return recordStatus(session, 'log', request.status, {
    requestId: request.requestId,
    action: 'LogStatusNotification',
  });
}
