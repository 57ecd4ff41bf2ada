/** DataTransfer from a station, the same in both versions (1.6 §4.3, 2.0.1 P02). */
import type { StationSession } from './station-session.js';

/**
 * No vendor extension is implemented, so every vendorId is unknown: 1.6 §4.3 "SHALL" answer
 * UnknownVendorId, without data, and so does 2.0.1 P02.FR.06. The message log keeps the frame; it
 * is logged at debug level only (some stations send a DataTransfer a minute).
 */
export function handleDataTransfer(
  session: StationSession,
  request: { readonly vendorId: string; readonly messageId?: string },
): { status: 'UnknownVendorId' } {
  session.logger.debug(
    { vendorId: request.vendorId, messageId: request.messageId },
    'DataTransfer for an unknown vendor',
  );
  return { status: 'UnknownVendorId' };
}
