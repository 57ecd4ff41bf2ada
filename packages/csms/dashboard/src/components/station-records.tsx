/**
 * What a station sent beyond its settings: its reports part by part (customer information, display
 * messages, certificate signing requests) and, from a 2.0.1 station, its variable monitors. Read
 * again when `version` changes: the station page bumps it when the station sends one of those.
 */
import { api } from '../api-client';
import type { StationDetail, StationReport, VariableMonitor } from '../api-types';
import { componentPlace, formatDateTime, variableLabel } from '../format';
import { useApi } from '../use-api';
import { EmptyState, ErrorNotice } from './page-states';

const KIND_LABELS: Record<StationReport['kind'], string> = {
  customer_information: 'Customer information',
  display_messages: 'Display messages',
  certificate_signing_request: 'Certificate signing request',
};

/** One line saying what a report part holds; the whole payload is a click away. */
function summary(report: StationReport): string {
  const payload = (report.payload ?? {}) as Record<string, unknown>;
  switch (report.kind) {
    case 'customer_information':
      return typeof payload.data === 'string' ? payload.data : '';
    case 'display_messages': {
      const messages = Array.isArray(payload.messageInfo) ? payload.messageInfo : [];
      const first = messages[0] as { message?: { content?: string } } | undefined;
      return `${messages.length} message${messages.length === 1 ? '' : 's'}${first?.message?.content ? `: ${first.message.content}` : ''}`;
    }
    case 'certificate_signing_request':
      return String(payload.certificateType ?? 'ChargingStationCertificate');
  }
}

export function StationRecords(props: { station: StationDetail; version: number }) {
  const { identity } = props.station;
  const is201 = props.station.protocol !== 'ocpp1.6';
  const loaded = useApi(
    () =>
      Promise.all([
        api.reports(identity, { limit: 50 }),
        is201 ? api.monitors(identity) : Promise.resolve({ items: [] as VariableMonitor[] }),
      ]),
    [identity, is201, props.version],
  );
  if (loaded.error) return <ErrorNotice error={loaded.error} onRetry={loaded.reload} />;
  if (!loaded.data) return null;
  const [reports, monitors] = loaded.data;
  return (
    <>
      <h3 class="subheading">Reports</h3>
      {reports.items.length === 0 ? (
        <EmptyState title="No reports received.">
          Ask with the CustomerInformation or GetDisplayMessages command; the station's answers arrive here.
        </EmptyState>
      ) : (
        <table class="table records-table">
          <thead>
            <tr>
              <th>Received</th>
              <th>Kind</th>
              <th>Request · part</th>
              <th>Content</th>
            </tr>
          </thead>
          <tbody>
            {reports.items.map((report) => (
              <tr key={report.id} data-report={report.kind}>
                <td data-label="Received">{formatDateTime(report.receivedAt)}</td>
                <td data-label="Kind">{KIND_LABELS[report.kind]}</td>
                <td data-label="Request · part">
                  {report.requestId ?? '—'}
                  {report.seqNo !== null && ` · ${report.seqNo}${report.tbc ? ' (more follow)' : ''}`}
                </td>
                <td data-label="Content">
                  <details>
                    <summary>{summary(report) || 'payload'}</summary>
                    <pre class="payload">{JSON.stringify(report.payload, null, 2)}</pre>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {reports.total > reports.items.length && (
        <p class="muted small">
          The newest {reports.items.length} of {reports.total} parts; the API pages through all of them.
        </p>
      )}
      {is201 && (
        <>
          <h3 class="subheading">Variable monitors</h3>
          {monitors.items.length === 0 ? (
            <EmptyState title="No monitors reported.">
              The GetMonitoringReport command asks the station for them.
            </EmptyState>
          ) : (
            <table class="table records-table">
              <thead>
                <tr>
                  <th>Variable</th>
                  <th>Monitor</th>
                  <th>Value</th>
                  <th>Severity</th>
                </tr>
              </thead>
              <tbody>
                {monitors.items.map((m) => {
                  const place = componentPlace(m).join(', ');
                  return (
                    <tr
                      key={`${variableLabel(m)} ${place} #${m.monitorId}`}
                      data-monitor={`${variableLabel(m)} #${m.monitorId}`}
                    >
                      <td data-label="Variable">
                        <code>{variableLabel(m)}</code>
                        {place && <div class="muted small">{place}</div>}
                      </td>
                      <td data-label="Monitor">
                        {m.type} #{m.monitorId}
                        {m.transactionOnly && <div class="muted small">during transactions only</div>}
                      </td>
                      <td data-label="Value">{m.value}</td>
                      <td data-label="Severity">{m.severity}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}
