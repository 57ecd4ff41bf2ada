/**
 * StartTransaction and StopTransaction (OCPP 1.6 §4.8, §4.10). Both are answered only after what
 * they report is committed, and neither is ever refused: a transaction message that is not answered
 * is only sent again (§3.7.1), so sanity checks log, they don't withhold the answer.
 */
import type * as v16 from 'ocppkit/v16';
import { DEFAULT_MEASURAND } from '../../db/index.js';
import { activeTransactionsFrom } from '../authorization.js';
import type { StationSession } from '../station-session.js';
import { toIdTagInfo } from './authorize.js';

export async function handleStartTransaction(
  session: StationSession,
  request: v16.StartTransactionRequest,
): Promise<v16.StartTransactionResponse> {
  const { stores, authorizer, events } = session.services;
  // Stored whatever the idTag's status: the transaction has started at the station, which decides
  // whether to stop it when the answer is not Accepted (§3.5, StopTransactionOnInvalidId). The store
  // gives a resent request (same connector, idTag, meterStart, timestamp) the first transactionId.
  const { transactionId, duplicate } = await stores.transactions.startTransaction16(session.identity, {
    connectorId: request.connectorId,
    idTag: request.idTag,
    meterStart: request.meterStart,
    timestamp: request.timestamp,
    reservationId: request.reservationId,
  });
  if (request.reservationId !== undefined) {
    await markReservationUsed(session, request.reservationId, transactionId);
  }
  // §4.8: the Central System MUST verify the idTag again, it may have been authorized locally on
  // outdated information.
  const result = await authorizer.authorize(request.idTag, {
    ownActiveTransactions: await activeTransactionsFrom(stores, request.idTag, transactionId),
  });
  if (!duplicate)
    events.emit({ type: 'transaction', identity: session.identity, transactionId, active: true });
  return { transactionId, idTagInfo: toIdTagInfo(result, { startingTransaction: true }) };
}

/**
 * §4.8: a StartTransaction that ends a reservation carries its reservationId (§3.11: the
 * reservation is then released). Marked Used when it still held, or had just expired here (the
 * station's clock may run behind ours); a cancelled or refused reservation is left as it is.
 */
async function markReservationUsed(
  session: StationSession,
  reservationId: number,
  transactionId: number,
): Promise<void> {
  const { reservations } = session.services.stores;
  const reservation = await reservations.get(reservationId);
  if (!reservation || reservation.station_identity !== session.identity) {
    session.logger.warn({ reservationId, transactionId }, 'StartTransaction names an unknown reservation');
    return;
  }
  if (reservation.status === 'Used') return;
  if (!['Pending', 'Accepted', 'Expired'].includes(reservation.status)) {
    session.logger.warn(
      { reservationId, transactionId, status: reservation.status },
      'StartTransaction names a reservation that had ended',
    );
    return;
  }
  await reservations.setStatus(reservationId, 'Used');
}

export async function handleStopTransaction(
  session: StationSession,
  request: v16.StopTransactionRequest,
): Promise<v16.StopTransactionResponse> {
  const { stores, authorizer, events } = session.services;
  const stop = {
    transactionId: request.transactionId,
    meterStop: request.meterStop,
    timestamp: request.timestamp,
    idTag: request.idTag,
    reason: request.reason,
    transactionData: request.transactionData,
  };
  // A repeated stop leaves the first one stored (the store only ends an Active transaction).
  let outcome = await stores.transactions.stopTransaction16(session.identity, stop);
  if (!outcome.transaction) {
    // Errata v4.0 §3.18: a station whose StartTransaction never got through sends transactionId -1,
    // and the Central System SHALL answer as if it were valid. That, and any id we never gave this
    // station, is kept as an Ended transaction of its own so the stop and its meter values survive.
    outcome = await stores.transactions.recordUnknownStop16(session.identity, {
      ...stop,
      ...startFromTransactionData(request),
    });
    if (!outcome.duplicate) {
      session.logger.warn(
        { transactionId: request.transactionId, storedAs: outcome.transaction?.id },
        'StopTransaction for an unknown transaction, stored as a transaction of its own',
      );
    }
  }
  const stored = outcome.transaction;
  if (stored && !outcome.duplicate) {
    events.emit({ type: 'transaction', identity: session.identity, transactionId: stored.id, active: false });
  }
  // §4.10: idTagInfo informs the station's Authorization Cache about the idTag that stopped it.
  if (request.idTag === undefined) return {};
  const result = await authorizer.authorize(request.idTag);
  return { idTagInfo: toIdTagInfo(result, { startingTransaction: false }) };
}

/**
 * What a stop's own meter values tell about the start of a transaction the CSMS never saw: the
 * energy register reading with context Transaction.Begin (§7.43 SampledValue, §3.16), else the
 * earliest reading, else the stop itself.
 */
function startFromTransactionData(request: v16.StopTransactionRequest): {
  startedAt: string;
  meterStart?: number;
} {
  const readings = (request.transactionData ?? []).flatMap((meterValue) =>
    meterValue.sampledValue.map((sampled) => ({ timestamp: meterValue.timestamp, ...sampled })),
  );
  const begin = readings.find(
    (r) =>
      r.context === 'Transaction.Begin' &&
      (r.measurand ?? DEFAULT_MEASURAND) === DEFAULT_MEASURAND &&
      r.phase === undefined &&
      r.format !== 'SignedData',
  );
  if (begin) {
    // The register is in Wh unless the sample says kWh; shifting the exponent in text keeps it exact.
    const text = begin.value.trim();
    const wh = text === '' ? Number.NaN : Number(begin.unit === 'kWh' ? `${text}e3` : text);
    return { startedAt: begin.timestamp, ...(Number.isFinite(wh) && { meterStart: wh }) };
  }
  const earliest = readings
    .map((r) => r.timestamp)
    .reduce<string | undefined>(
      (first, t) => (first === undefined || Date.parse(t) < Date.parse(first) ? t : first),
      undefined,
    );
  return { startedAt: earliest ?? request.timestamp };
}
