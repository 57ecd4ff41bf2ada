/**
 * SignCertificate of the OCPP 1.6 security whitepaper (edition 3, §5.17, use cases A02/A03).
 * SecurityEventNotification (§5.15) is the same in both versions: ../security-messages.ts.
 */
import type * as v16 from 'ocppkit/v16';
import { recordCertificateSigningRequest } from '../security-messages.js';
import type { StationSession } from '../station-session.js';

/**
 * A02.FR.11/12, A03.FR.11/12: Accepted means the Central System will have the CSR signed and send
 * CertificateSigned. There is no certificate authority behind this CSMS yet, so the answer is
 * Rejected. The CSR is kept with the station's reports, so an operator sees the station asked.
 */
export async function handleSignCertificate(
  session: StationSession,
  request: v16.SignCertificateRequest,
): Promise<v16.SignCertificateResponse> {
  await recordCertificateSigningRequest(session, request);
  session.logger.info('SignCertificate rejected: no certificate authority is configured');
  return { status: 'Rejected' };
}
