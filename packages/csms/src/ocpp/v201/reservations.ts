/**
 * What stations say about reservations: ReservationStatusUpdate (2.0.1 H04: Expired or Removed), and
 * the reservationId of the TransactionEvent that uses one (H01.FR.15).
 */
import type * as v201 from 'ocppkit/v201';
import type { ReservationStatus } from '../../db/index.js';
import type { StationSession } from '../station-session.js';

const MAX_SERIAL = 2_147_483_647;

export async function handleReservationStatusUpdate(
  session: StationSession,
  request: v201.ReservationStatusUpdateRequest,
): Promise<v201.ReservationStatusUpdateResponse> {
  await setStatusOfOwnReservation(session, request.reservationId, request.reservationUpdateStatus);
  return {};
}

/** A transaction started on the reservation: it has done its job. */
export async function markReservationUsed(session: StationSession, reservationId: number): Promise<void> {
  await setStatusOfOwnReservation(session, reservationId, 'Used');
}

/**
 * Changes a reservation only when it was made for this station: reservation ids are the CSMS's, so
 * an id another station reports is a station bug and must not touch someone else's reservation.
 * The message is acknowledged either way (there is nothing the station could do differently).
 */
async function setStatusOfOwnReservation(
  session: StationSession,
  reservationId: number,
  status: ReservationStatus,
): Promise<void> {
  const { reservations } = session.services.stores;
  // Ids are a PostgreSQL serial; anything outside it was never ours (and would fail the query).
  const reservation =
    reservationId >= 1 && reservationId <= MAX_SERIAL ? await reservations.get(reservationId) : undefined;
  if (reservation?.station_identity !== session.identity) {
    session.logger.warn(
      { reservationId, status },
      'status reported for a reservation this station does not hold',
    );
    return;
  }
  await reservations.setStatus(reservationId, status);
}
