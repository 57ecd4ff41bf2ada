/** MeterValues (OCPP 1.6 §4.7): every sample stored (group commit) before the answer. */
import type * as v16 from 'ocppkit/v16';
import { samplesFromOcpp16 } from '../../db/index.js';
import type { StationSession } from '../station-session.js';

/** Errata v4.0 §3.18: the transactionId of a transaction whose StartTransaction never got through. */
export const UNKNOWN_TRANSACTION_ID = -1;

export async function handleMeterValues(
  session: StationSession,
  request: v16.MeterValuesRequest,
): Promise<v16.MeterValuesResponse> {
  const { meterValues, events } = session.services;
  // -1 is answered as if valid (errata §3.18) but links to nothing; an id that is not a transaction
  // of this station is stored as null by the store. Either way the samples are kept, with their
  // connector, and §4.7 forbids withholding the answer over such checks.
  const transactionId =
    request.transactionId === undefined || request.transactionId === UNKNOWN_TRANSACTION_ID
      ? undefined
      : request.transactionId;
  const samples = samplesFromOcpp16(session.identity, request.connectorId, transactionId, request.meterValue);
  await meterValues.write(samples);
  events.emit({ type: 'meter', identity: session.identity, transactionId: transactionId ?? null });
  return {};
}
