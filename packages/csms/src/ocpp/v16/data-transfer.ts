/** DataTransfer from the station (OCPP 1.6 §4.3). */
import type * as v16 from 'ocppkit/v16';
import type { StationSession } from '../station-session.js';

/**
 * §4.3: a recipient with no implementation for the vendorId SHALL answer UnknownVendorId, without
 * data. No vendor extension is implemented yet; the message log keeps the frame, and it is logged at
 * debug level only (some stations send a DataTransfer a minute).
 */
export async function handleDataTransfer(
  session: StationSession,
  request: v16.DataTransferRequest,
): Promise<v16.DataTransferResponse> {
  session.logger.debug(
    { vendorId: request.vendorId, messageId: request.messageId },
    'DataTransfer for an unknown vendor',
  );
  return { status: 'UnknownVendorId' };
}
