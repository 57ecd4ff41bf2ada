/**
 * Progress reports of the station's file transfers: DiagnosticsStatusNotification (§4.4),
 * FirmwareStatusNotification (§4.5), and from the security whitepaper (edition 3)
 * LogStatusNotification (§5.13, use case N01) and SignedFirmwareStatusNotification (§5.19, L01).
 * All are acknowledged with an empty answer once stored (../status-events.ts). Firmware progress
 * comes from two different messages in 1.6, so each row keeps which one it was.
 */
import type * as v16 from 'ocppkit/v16';
import type { StationSession } from '../station-session.js';
import { recordStatusEvent } from '../status-events.js';

export function handleDiagnosticsStatusNotification(
  session: StationSession,
  request: v16.DiagnosticsStatusNotificationRequest,
): Promise<v16.DiagnosticsStatusNotificationResponse> {
  return recordStatusEvent(session, {
    kind: 'diagnostics',
    status: request.status,
    details: { action: 'DiagnosticsStatusNotification' },
  });
}

export function handleFirmwareStatusNotification(
  session: StationSession,
  request: v16.FirmwareStatusNotificationRequest,
): Promise<v16.FirmwareStatusNotificationResponse> {
  return recordStatusEvent(session, {
    kind: 'firmware',
    status: request.status,
    details: { action: 'FirmwareStatusNotification' },
  });
}

export function handleSignedFirmwareStatusNotification(
  session: StationSession,
  request: v16.SignedFirmwareStatusNotificationRequest,
): Promise<v16.SignedFirmwareStatusNotificationResponse> {
  return recordStatusEvent(session, {
    kind: 'firmware',
    status: request.status,
    requestId: request.requestId,
    details: { action: 'SignedFirmwareStatusNotification' },
  });
}

export function handleLogStatusNotification(
  session: StationSession,
  request: v16.LogStatusNotificationRequest,
): Promise<v16.LogStatusNotificationResponse> {
  return recordStatusEvent(session, {
    kind: 'log',
    status: request.status,
    requestId: request.requestId,
    details: { action: 'LogStatusNotification' },
  });
}
