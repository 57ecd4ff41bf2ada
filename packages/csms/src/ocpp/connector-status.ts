/**
 * Connector status, the same in both versions (1.6 §4.9 StatusNotification; 2.0.1 G01, G03–G05
 * StatusNotification, or NotifyEvent on Connector.AvailabilityState, E02.FR.05 note).
 */
import type { ConnectorStatusReport } from '../db/index.js';
import { groupCommits } from './group-commits.js';
import type { StationSession } from './station-session.js';

/**
 * Appends to the connector's history and makes it current unless a later report already is
 * (queued notifications arrive late: history only, not news). The same report twice is stored once.
 */
export async function recordConnectorStatus(
  session: StationSession,
  change: Omit<ConnectorStatusReport, 'stationIdentity'>,
): Promise<void> {
  const { stores, events } = session.services;
  // One statement for the reports of many stations (a boot storm's): group-commits.ts.
  const outcome = await groupCommits(stores).connectorStatus.call({
    stationIdentity: session.identity,
    ...change,
  });
  if (outcome.current) {
    events.emit({
      type: 'connector',
      identity: session.identity,
      // A 1.6 connector is operated on its own like a 2.0.1 EVSE (db/migrations/0001-initial.ts).
      evseId: change.evseId ?? change.connectorId,
      connectorId: change.connectorId,
      status: change.status,
    });
  }
}
