/**
 * Station-initiated security messages: SignCertificate (2.0.1 A02, A03), Get15118EVCertificate
 * (M01, M02) and GetCertificateStatus (M06). This CSMS has no certificate authority and no OCSP
 * client yet, so the certificate requests are answered with the spec's "not able to" statuses
 * rather than left unanswered. SecurityEventNotification (A04) is the same in both versions:
 * ../security-messages.ts.
 */
import type * as v201 from 'ocppkit/v201';
import { recordCertificateSigningRequest } from '../security-messages.js';
import type { StationSession } from '../station-session.js';

/**
 * A02.FR.12 / A03.FR.12: a CSMS that cannot process the CSR answers Rejected. The station then waits
 * for a TriggerMessage before trying again (A02.FR.20); the CSR is kept with the station's reports.
 */
export async function handleSignCertificate(
  session: StationSession,
  request: v201.SignCertificateRequest,
): Promise<v201.SignCertificateResponse> {
  await recordCertificateSigningRequest(session, request);
  session.logger.info(
    { certificateType: request.certificateType ?? 'ChargingStationCertificate' },
    'certificate signing request rejected: no certificate authority configured',
  );
  return { status: 'Rejected', statusInfo: { reasonCode: 'UnsupportedRequest' } };
}

/** M01/M02: no contract certificate can be obtained, so Failed; exiResponse is required, hence empty. */
export function handleGet15118EVCertificate(
  session: StationSession,
  request: v201.Get15118EVCertificateRequest,
): v201.Get15118EVCertificateResponse {
  session.logger.info({ action: request.action }, 'ISO 15118 EV certificate request failed: no contract CA');
  return { status: 'Failed', exiResponse: '', statusInfo: { reasonCode: 'UnsupportedRequest' } };
}

/** M06: without an OCSP client the status cannot be retrieved, so Failed (ocspResult omitted). */
export function handleGetCertificateStatus(
  session: StationSession,
  request: v201.GetCertificateStatusRequest,
): v201.GetCertificateStatusResponse {
  session.logger.info(
    { responderURL: request.ocspRequestData.responderURL },
    'certificate status request failed: no OCSP client',
  );
  return { status: 'Failed', statusInfo: { reasonCode: 'UnsupportedRequest' } };
}
