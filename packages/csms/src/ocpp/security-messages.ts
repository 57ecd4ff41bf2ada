/**
 * What SecurityEventNotification and SignCertificate do in both versions (1.6 security whitepaper
 * edition 3 §5.15, §5.17; 2.0.1 A04, A02/A03): the event is stored with its criticality, the CSR is
 * kept for the operator. The answers to SignCertificate differ per version and stay there.
 */
import { isCriticalSecurityEvent } from './critical-security-events.js';
import type { StationSession } from './station-session.js';

/** The fields SecurityEventNotification has in both versions. */
export interface SecurityEventRequest {
  readonly type: string;
  readonly timestamp: string;
  readonly techInfo?: string;
}

/**
 * Stored, then acknowledged with an empty answer (2.0.1 A04.FR.03). Stations queue these
 * (A04.FR.02), so resends are normal: the store recognises one by type, time and techInfo.
 */
export async function handleSecurityEventNotification(
  session: StationSession,
  request: SecurityEventRequest,
): Promise<Record<string, never>> {
  const critical = isCriticalSecurityEvent(request.type);
  await session.services.stores.securityEvents.record({
    stationIdentity: session.identity,
    type: request.type,
    timestamp: request.timestamp,
    techInfo: request.techInfo,
    critical,
  });
  if (critical)
    session.logger.warn({ type: request.type, techInfo: request.techInfo }, 'critical security event');
  return {};
}

/**
 * Keeps a SignCertificate request (the CSR, and in 2.0.1 its certificateType) among the station's
 * reports, so an operator sees the station asked; a resent CSR is stored once.
 */
export async function recordCertificateSigningRequest(
  session: StationSession,
  request: { readonly csr: string; readonly certificateType?: string },
): Promise<void> {
  await session.services.stores.stationReports.record({
    stationIdentity: session.identity,
    kind: 'certificate_signing_request',
    payload: request,
  });
}
