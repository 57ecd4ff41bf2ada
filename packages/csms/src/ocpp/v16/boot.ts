/** BootNotification (registration), OCPP 1.6 §4.2; the common part is in ../registration.ts. */
import type * as v16 from 'ocppkit/v16';
import { recordBoot } from '../registration.js';
import type { StationSession } from '../station-session.js';

export function handleBootNotification(
  session: StationSession,
  request: v16.BootNotificationRequest,
): Promise<v16.BootNotificationResponse> {
  return recordBoot(session, {
    vendor: request.chargePointVendor,
    model: request.chargePointModel,
    serialNumber: request.chargePointSerialNumber,
    chargeBoxSerialNumber: request.chargeBoxSerialNumber,
    firmwareVersion: request.firmwareVersion,
    iccid: request.iccid,
    imsi: request.imsi,
    meterType: request.meterType,
    meterSerialNumber: request.meterSerialNumber,
    payload: request,
  });
}
