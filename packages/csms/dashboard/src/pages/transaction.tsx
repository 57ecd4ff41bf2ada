/** One transaction: its facts, a power/energy chart of its meter values, and the values as CSV. */
import { useState } from 'preact/hooks';
import { ApiFailure, api } from '../api-client';
import { LiveIndicator, PageHeader, Section } from '../components/layout';
import { EmptyState, ErrorNotice, Loading } from '../components/page-states';
import { PowerEnergyChart } from '../components/power-energy-chart';
import { StatusBadge } from '../components/status-badge';
import { errorText, formatDateTime, formatDuration, formatEnergy, formatTime } from '../format';
import { useLiveEvents } from '../live-events';
import { Link } from '../router';
import { useApi, useThrottled } from '../use-api';

/** Meter values shown in the table; the CSV has them all. */
const TABLE_ROWS = 200;

/** The CSV needs the bearer token, so a plain link cannot fetch it: fetch, then hand the file over. */
function CsvLink(props: { id: number }) {
  const [error, setError] = useState<string>();
  return (
    <>
      <a
        class="button"
        href={`/api/v1/transactions/${props.id}/meter-values.csv`}
        download={`transaction-${props.id}-meter-values.csv`}
        onClick={async (event) => {
          event.preventDefault();
          setError(undefined);
          try {
            const url = URL.createObjectURL(await api.meterValuesCsv(props.id));
            const anchor = Object.assign(document.createElement('a'), {
              href: url,
              download: `transaction-${props.id}-meter-values.csv`,
            });
            anchor.click();
            setTimeout(() => URL.revokeObjectURL(url), 10_000);
          } catch (failure) {
            setError(errorText(failure));
          }
        }}
      >
        Export CSV
      </a>
      {error && (
        <span class="field-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}

export function TransactionPage(props: { id: number }) {
  const detail = useApi(() => api.transaction(props.id), [props.id]);
  const refresh = useThrottled(detail.reload, 1000);
  const station = detail.data?.transaction.stationIdentity;
  const live = useLiveEvents({ ...(station && { station }), types: ['transaction', 'meter'] }, (event) => {
    if (
      (event.type === 'meter' || event.type === 'transaction') &&
      (event.transactionId ?? props.id) === props.id
    )
      refresh();
  });

  if (detail.error instanceof ApiFailure && detail.error.code === 'TRANSACTION_NOT_FOUND') {
    return (
      <>
        <PageHeader title={`Transaction ${props.id}`} />
        <EmptyState title={`There is no transaction ${props.id}.`}>
          <Link href="/transactions">Back to the transactions</Link>
        </EmptyState>
      </>
    );
  }
  const data = detail.data;
  const t = data?.transaction;

  return (
    <>
      <PageHeader
        title={
          <>
            Transaction #{props.id} {t && <StatusBadge status={t.status} />}
          </>
        }
        subtitle={
          t &&
          `${t.stationIdentity}${t.stationTransactionId ? ` · station id ${t.stationTransactionId}` : ''}`
        }
        actions={
          <>
            <CsvLink id={props.id} />
            {t?.status === 'Active' && <LiveIndicator status={live} />}
          </>
        }
      />
      {detail.error && <ErrorNotice error={detail.error} onRetry={detail.reload} />}
      {!data && !detail.error && <Loading />}
      {data && t && (
        <>
          <div class="stats">
            <div class="stat" data-stat="energy">
              <span class="stat-label">Energy</span>
              <span class="stat-value">{formatEnergy(data.energyWh)}</span>
            </div>
            <div class="stat">
              <span class="stat-label">Duration</span>
              <span class="stat-value">{formatDuration(t.startedAt, t.stoppedAt)}</span>
            </div>
            <div class="stat">
              <span class="stat-label">Id token</span>
              <span class="stat-value stat-text">{t.idToken ?? '—'}</span>
              {t.idTokenType && <span class="stat-detail">{t.idTokenType}</span>}
            </div>
          </div>
          <Section title="Power and energy">
            <PowerEnergyChart samples={data.meterValues} meterStartWh={t.meterStart} />
          </Section>
          <div class="grid-2">
            <Section title="Details">
              <dl class="facts">
                <dt>Station</dt>
                <dd>
                  <Link href={`/stations/${encodeURIComponent(t.stationIdentity)}`}>{t.stationIdentity}</Link>
                </dd>
                <dt>{t.evseId === t.connectorId ? 'Connector' : 'EVSE / connector'}</dt>
                <dd>
                  {t.evseId === t.connectorId
                    ? (t.connectorId ?? '—')
                    : `${t.evseId ?? '—'} / ${t.connectorId ?? '—'}`}
                </dd>
                <dt>Started</dt>
                <dd>{formatDateTime(t.startedAt)}</dd>
                <dt>Stopped</dt>
                <dd>{formatDateTime(t.stoppedAt)}</dd>
                <dt>Stop reason</dt>
                <dd>{t.stopReason ?? '—'}</dd>
                <dt>Meter start / stop</dt>
                <dd>
                  {t.meterStart === null ? '—' : `${t.meterStart} Wh`} /{' '}
                  {t.meterStop === null ? '—' : `${t.meterStop} Wh`}
                </dd>
                {t.chargingState && (
                  <>
                    <dt>Charging state</dt>
                    <dd>{t.chargingState}</dd>
                  </>
                )}
              </dl>
            </Section>
            {data.events.length > 0 && (
              <Section title="TransactionEvent messages">
                <ol class="list">
                  {data.events.map((e) => (
                    <li key={e.seqNo} class="list-row">
                      <span>#{e.seqNo}</span>
                      <strong>{e.eventType}</strong>
                      <span class="muted">{e.triggerReason}</span>
                      <span class="list-end muted">
                        {formatTime(e.eventAt)}
                        {e.offline && ' · offline'}
                      </span>
                    </li>
                  ))}
                </ol>
              </Section>
            )}
          </div>
          <Section title={`Meter values (${data.meterValues.length})`}>
            {data.meterValues.length === 0 ? (
              <EmptyState title="No meter values were reported for this transaction." />
            ) : (
              <div class="scroll">
                <table class="table table-compact">
                  <thead>
                    <tr>
                      <th>Time</th>
                      <th>Measurand</th>
                      <th>Phase</th>
                      <th>Context</th>
                      <th class="num">Value</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.meterValues.slice(-TABLE_ROWS).map((m) => (
                      <tr key={m.id}>
                        <td data-label="Time">{formatTime(m.sampledAt)}</td>
                        <td data-label="Measurand">{m.measurand}</td>
                        <td data-label="Phase">{m.phase ?? ''}</td>
                        <td data-label="Context">{m.context ?? ''}</td>
                        <td data-label="Value" class="num">
                          {m.value ?? '—'} {m.unit ?? ''}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Section>
        </>
      )}
    </>
  );
}
