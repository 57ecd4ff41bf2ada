/**
 * Device model reports (2.0.1 B07, B08: NotifyReport; N02: NotifyMonitoringReport) and events
 * (N07, G05: NotifyEvent). Reports come in parts (seqNo from 0, tbc true until the last); each part
 * is stored as it arrives, keyed by component and variable (and monitor id), so a resent part
 * changes nothing.
 */
import type * as v201 from 'ocppkit/v201';
import { recordConnectorStatus } from '../connector-status.js';
import type { StationSession } from '../station-session.js';

/**
 * Which parts of each multi-part message a connection has seen, to log when one is complete and
 * whether parts went missing. Only for the log: every part is stored on its own.
 */
export class ReportParts {
  readonly #seen = new Map<string, Set<number>>();

  /** Records a part; on the last one (tbc false), returns how many parts before it were not seen. */
  add(kind: string, requestId: number, seqNo: number, tbc: boolean | undefined): number | undefined {
    const key = `${kind}:${requestId}`;
    const parts = this.#seen.get(key) ?? new Set<number>();
    parts.add(seqNo);
    if (tbc) {
      // Forget the oldest report a station never finished, so a connection's memory stays bounded.
      if (!this.#seen.has(key) && this.#seen.size >= MAX_OPEN_REPORTS) {
        this.#seen.delete(this.#seen.keys().next().value as string);
      }
      this.#seen.set(key, parts);
      return undefined;
    }
    this.#seen.delete(key);
    let seenBefore = 0;
    for (const part of parts) if (part < seqNo) seenBefore++;
    return Math.max(seqNo - seenBefore, 0);
  }
}

const MAX_OPEN_REPORTS = 64;

function logCompletion(
  session: StationSession,
  what: string,
  requestId: number,
  missing: number | undefined,
) {
  if (missing === undefined) return;
  if (missing === 0) session.logger.info({ requestId }, `${what} complete`);
  // Parts sent before a reconnect were seen by another connection; worth a look, not an error.
  else session.logger.warn({ requestId, missing }, `${what} ended with parts this connection did not see`);
}

export async function handleNotifyReport(
  session: StationSession,
  request: v201.NotifyReportRequest,
): Promise<v201.NotifyReportResponse> {
  await session.services.stores.deviceModel.upsertReport(session.identity, request.reportData ?? []);
  logCompletion(
    session,
    'NotifyReport',
    request.requestId,
    session.reportParts.add('report', request.requestId, request.seqNo, request.tbc),
  );
  return {};
}

/**
 * N02: the monitors of each variable (the answer to GetMonitoringReport, in parts), stored per
 * component, variable and monitor id, so a resent part changes nothing and a later report updates
 * the monitor.
 */
export async function handleNotifyMonitoringReport(
  session: StationSession,
  request: v201.NotifyMonitoringReportRequest,
): Promise<v201.NotifyMonitoringReportResponse> {
  await session.services.stores.variableMonitors.upsertReport(
    session.identity,
    request.requestId,
    request.monitor ?? [],
  );
  logCompletion(
    session,
    'NotifyMonitoringReport',
    request.requestId,
    session.reportParts.add('monitoring', request.requestId, request.seqNo, request.tbc),
  );
  return {};
}

/**
 * Each event's actualValue is the variable's current Actual value (EventDataType.actualValue), so
 * it updates the device model. Connector.AvailabilityState is also the connector's status: a station
 * may report status this way instead of StatusNotification (E02.FR.05 note).
 */
export async function handleNotifyEvent(
  session: StationSession,
  request: v201.NotifyEventRequest,
): Promise<v201.NotifyEventResponse> {
  const { deviceModel } = session.services.stores;
  await deviceModel.upsertValues(
    session.identity,
    request.eventData.map((event) => ({
      component: event.component,
      variable: event.variable,
      attributeType: 'Actual',
      value: event.actualValue,
    })),
  );
  for (const event of request.eventData) {
    const evse = event.component.evse;
    const isConnectorState =
      event.component.name === 'Connector' && event.variable.name === 'AvailabilityState';
    if (isConnectorState && evse?.connectorId !== undefined) {
      await recordConnectorStatus(session, {
        evseId: evse.id,
        connectorId: evse.connectorId,
        status: event.actualValue,
        timestamp: event.timestamp,
      });
    }
  }
  return {};
}
