/**
 * TransactionEvent (2.0.1 E01–E07, E10, C12, C16). The station assigns the transactionId; events
 * may arrive late (offline: true), out of order, or twice. The store records each event once,
 * keyed on (station, transactionId, seqNo), and folds it into the transaction in one database
 * transaction; the answer is sent only after that commit. A transaction message is never refused
 * for what it says: a station only resends what got no answer.
 */
import type * as v201 from 'ocppkit/v201';
import { activeTransactionsFrom } from '../authorization.js';
import type { StationSession } from '../station-session.js';
import { idTokenInfoFor } from './authorize.js';
import { markReservationUsed } from './reservations.js';

export async function handleTransactionEvent(
  session: StationSession,
  request: v201.TransactionEventRequest,
): Promise<v201.TransactionEventResponse> {
  const { stores, events } = session.services;
  const { duplicate, transaction } = await stores.transactions.recordTransactionEvent(
    session.identity,
    request,
  );
  if (!duplicate) {
    if (request.offline) {
      session.logger.info(
        { transactionId: request.transactionInfo.transactionId, seqNo: request.seqNo },
        'transaction event recorded while the station was offline',
      );
    }
    // E01.FR.13 / H01.FR.15: the event that carries reservationId ends that reservation.
    if (request.reservationId !== undefined) await markReservationUsed(session, request.reservationId);
    const identity = session.identity;
    events.emit({
      type: 'transaction',
      identity,
      transactionId: transaction.id,
      active: transaction.status === 'Active',
    });
    if (request.meterValue?.length) events.emit({ type: 'meter', identity, transactionId: transaction.id });
  }
  // TransactionEventResponse.idTokenInfo "is required when the transactionRequest contained an
  // idToken" (E01.FR.11/12, E02.FR.02, E05.FR.01). A resent event is verified again: same answer
  // unless the token changed in between, which is what the station should learn anyway.
  if (!request.idToken) return {};
  const stopping = request.eventType === 'Ended' || request.triggerReason === 'StopAuthorized';
  const idTokenInfo = await idTokenInfoFor(session, request.idToken, {
    startingTransaction: !stopping,
    ownActiveTransactions: stopping
      ? 0
      : await activeTransactionsFrom(stores, request.idToken.idToken, transaction.id),
  });
  return { idTokenInfo };
}
