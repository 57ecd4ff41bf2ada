/** DataTransfer from a station (2.0.1 P02). */
import type * as v201 from 'ocppkit/v201';
import type { StationSession } from '../station-session.js';

/** P02.FR.06: no vendor-specific extension is implemented, so every vendorId is unknown. */
export function handleDataTransfer(
  session: StationSession,
  request: v201.DataTransferRequest,
): v201.DataTransferResponse {
  session.logger.info(
    { vendorId: request.vendorId, messageId: request.messageId },
    'DataTransfer: unknown vendor',
  );
  return { status: 'UnknownVendorId' };
}
