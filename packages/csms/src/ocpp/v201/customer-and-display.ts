/**
 * Answers to the CSMS's own requests: NotifyCustomerInformation (2.0.1 N09, after
 * CustomerInformation) and NotifyDisplayMessages (O04, after GetDisplayMessages). Both may come in
 * parts (tbc); each part is kept as received with the station's reports, where the operator who
 * asked reads them. A resent part is stored once (by seqNo; NotifyDisplayMessages has none, so by
 * its content).
 */
import type * as v201 from 'ocppkit/v201';
import type { StationSession } from '../station-session.js';

export async function handleNotifyCustomerInformation(
  session: StationSession,
  request: v201.NotifyCustomerInformationRequest,
): Promise<v201.NotifyCustomerInformationResponse> {
  await session.services.stores.stationReports.record({
    stationIdentity: session.identity,
    kind: 'customer_information',
    requestId: request.requestId,
    seqNo: request.seqNo,
    tbc: request.tbc ?? false,
    payload: request,
  });
  const missing = session.reportParts.add('customer', request.requestId, request.seqNo, request.tbc);
  // Only sizes are logged: the data is personal (N09 exists for privacy requests).
  session.logger.info(
    { requestId: request.requestId, seqNo: request.seqNo, bytes: request.data.length, missing },
    'customer information part received',
  );
  return {};
}

export async function handleNotifyDisplayMessages(
  session: StationSession,
  request: v201.NotifyDisplayMessagesRequest,
): Promise<v201.NotifyDisplayMessagesResponse> {
  await session.services.stores.stationReports.record({
    stationIdentity: session.identity,
    kind: 'display_messages',
    requestId: request.requestId,
    tbc: request.tbc ?? false,
    payload: request,
  });
  return {};
}
