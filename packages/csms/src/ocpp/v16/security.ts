/**
 * Messages of the OCPP 1.6 security whitepaper (edition 3): SecurityEventNotification (§5.15) and
 * SignCertificate (§5.17, use cases A02/A03).
 */
import type * as v16 from 'ocppkit/v16';
import type { StationSession } from '../station-session.js';
import { isCriticalSecurityEvent } from './critical-security-events.js';

/** The security_events type under which a SignCertificate request is kept (not a station event type). */
export const SIGN_CERTIFICATE_RECORD_TYPE = 'SignCertificateRequest';

/** Stored (a resend is recognised by type, time and techInfo) and acknowledged with an empty answer. */
export async function handleSecurityEventNotification(
  session: StationSession,
  request: v16.SecurityEventNotificationRequest,
): Promise<v16.SecurityEventNotificationResponse> {
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
 * A02.FR.11/12, A03.FR.11/12: Accepted means the Central System will have the CSR signed and send
 * CertificateSigned. There is no certificate authority behind this CSMS yet, so the answer is
 * Rejected. The CSR is kept in the station's security log, so an operator sees the station asked.
 */
export async function handleSignCertificate(
  session: StationSession,
  request: v16.SignCertificateRequest,
): Promise<v16.SignCertificateResponse> {
  await session.services.stores.securityEvents.record({
    stationIdentity: session.identity,
    type: SIGN_CERTIFICATE_RECORD_TYPE,
    timestamp: new Date(),
    techInfo: request.csr,
    critical: false,
  });
  session.logger.info('SignCertificate rejected: no certificate authority is configured');
  return { status: 'Rejected' };
}
