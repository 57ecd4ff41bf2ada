/**
 * MeterValues (2.0.1 J01: clock-aligned values, J02.FR.xx outside transactions). Values taken during
 * a transaction come in TransactionEvent; this message carries an EVSE's or the main meter's
 * (evseId 0) readings, so they are stored without a transaction.
 */
import type * as v201 from 'ocppkit/v201';
import { samplesFromOcpp201 } from '../../db/index.js';
import type { StationSession } from '../station-session.js';

export async function handleMeterValues(
  session: StationSession,
  request: v201.MeterValuesRequest,
): Promise<v201.MeterValuesResponse> {
  const { meterValues, events } = session.services;
  const samples = samplesFromOcpp201(session.identity, { evseId: request.evseId }, request.meterValue);
  // Group commit: resolves once these rows are committed, so the answer means "stored".
  await meterValues.write(samples);
  events.emit({ type: 'meter', identity: session.identity, transactionId: null });
  return {};
}
