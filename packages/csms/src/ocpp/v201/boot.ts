/**
 * BootNotification (2.0.1 B01–B03): the common part is in ../registration.ts; what is 2.0.1's own is
 * the check of the serial number against the client certificate (B01.FR.11/12).
 */
import { CallErrorReply } from 'ocppkit';
import type * as v201 from 'ocppkit/v201';
import { recordBoot } from '../registration.js';
import type { StationSession } from '../station-session.js';

/** RFC 6455 §7.4.1: 1008, the endpoint received a message that violates its policy. */
const CLOSE_POLICY_VIOLATION = 1008;

export async function handleBootNotification(
  session: StationSession,
  request: v201.BootNotificationRequest,
): Promise<v201.BootNotificationResponse> {
  const { chargingStation } = request;
  refuseSerialNumberOtherThanCertificate(session, chargingStation.serialNumber);
  return recordBoot(session, {
    vendor: chargingStation.vendorName,
    model: chargingStation.model,
    serialNumber: chargingStation.serialNumber,
    firmwareVersion: chargingStation.firmwareVersion,
    iccid: chargingStation.modem?.iccid,
    imsi: chargingStation.modem?.imsi,
    bootReason: request.reason,
    payload: request,
  });
}

/**
 * B01.FR.11: with security profile 3 the CSMS SHALL check the SerialNumber of the BootNotification
 * against the serial number in the certificate's Common Name (A00.FR.511: the CN consists of the
 * station's unique serial number). B01.FR.12: when they differ it SHALL close the WebSocket. The
 * rule has no exception, so a boot without serialNumber differs too. Profile 3 is "used" when the
 * station proved itself with a client certificate that verified against our CA; a certificate that
 * did not verify proves nothing, and such a station authenticated some other way. The boot is
 * neither stored nor answered: the socket is closing.
 */
function refuseSerialNumberOtherThanCertificate(session: StationSession, serialNumber: string | undefined) {
  const commonName = session.clientCertificate?.subject?.CN;
  if (session.clientCertificate === undefined || serialNumber === commonName) return;
  session.logger.warn(
    { serialNumber, commonName },
    'BootNotification serialNumber differs from the client certificate CN: closing (B01.FR.12)',
  );
  void session.chargePoint.close(CLOSE_POLICY_VIOLATION, 'serialNumber does not match the certificate');
  throw new CallErrorReply('SecurityError', 'serialNumber does not match the client certificate');
}
