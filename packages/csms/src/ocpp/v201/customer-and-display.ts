/**
 * Answers to the CSMS's own requests: NotifyCustomerInformation (2.0.1 N09, after
 * CustomerInformation) and NotifyDisplayMessages (O04, after GetDisplayMessages). Both may come in
 * parts (tbc). Neither has a table yet (status events and charging reports do not take these
 * kinds), so they are acknowledged and stay in the message log, where the operator who asked reads them.
 */
import type * as v201 from 'ocppkit/v201';
import type { StationSession } from '../station-session.js';
import type { ReportParts } from './reports.js';

export function handleNotifyCustomerInformation(
  session: StationSession,
  request: v201.NotifyCustomerInformationRequest,
  parts: ReportParts,
): v201.NotifyCustomerInformationResponse {
  const missing = parts.add('customer', request.requestId, request.seqNo, request.tbc);
  // Only sizes are logged: the data is personal (N09 exists for privacy requests).
  session.logger.info(
    { requestId: request.requestId, seqNo: request.seqNo, bytes: request.data.length, missing },
    'customer information part received',
  );
  return {};
}

export function handleNotifyDisplayMessages(
  session: StationSession,
  request: v201.NotifyDisplayMessagesRequest,
): v201.NotifyDisplayMessagesResponse {
  session.logger.info(
    { requestId: request.requestId, messages: request.messageInfo?.length ?? 0, tbc: request.tbc ?? false },
    'display messages reported',
  );
  return {};
}
