/**
 * Connector status (2.0.1 G01, G03–G05): StatusNotification, and its alternative, a NotifyEvent on
 * Connector.AvailabilityState (E02.FR.05 note, B01 "StatusNotificationRequest or NotifyEventRequest").
 */
import type * as v201 from 'ocppkit/v201';
import type { StationSession } from '../station-session.js';

export interface ConnectorStatusChange {
  readonly evseId: number;
  readonly connectorId: number;
  /** ConnectorStatusEnumType (the same values as the AvailabilityState variable). */
  readonly status: string;
  readonly timestamp: string;
}

export async function handleStatusNotification(
  session: StationSession,
  request: v201.StatusNotificationRequest,
): Promise<v201.StatusNotificationResponse> {
  await recordConnectorStatus(session, {
    evseId: request.evseId,
    connectorId: request.connectorId,
    status: request.connectorStatus,
    timestamp: request.timestamp,
  });
  return {};
}

/**
 * Appends to the connector's history and makes it current unless a later report already is
 * (queued notifications arrive late). The same report twice is stored once.
 */
export async function recordConnectorStatus(
  session: StationSession,
  change: ConnectorStatusChange,
): Promise<void> {
  const { stores, events } = session.services;
  const outcome = await stores.connectorStatus.record({ stationIdentity: session.identity, ...change });
  if (outcome.current) {
    events.emit({
      type: 'connector',
      identity: session.identity,
      evseId: change.evseId,
      connectorId: change.connectorId,
      status: change.status,
    });
  }
}
