/**
 * One station: what it reported at boot, its connectors live, commands with the station's answers,
 * its settings, its credentials, its reports and monitors, and the OCPP frames going in and out.
 */
import { useCallback, useRef, useState } from 'preact/hooks';
import { ApiFailure, api } from '../api-client';
import type { LiveEvent } from '../api-types';
import { CommandPanel, CommandResultView, useCommandRunner } from '../components/command-panel';
import { ConnectorCards } from '../components/connector-cards';
import { LiveIndicator, PageHeader, Section } from '../components/layout';
import { EmptyState, ErrorNotice, Loading } from '../components/page-states';
import { type LogRow, ProtocolLog, rowFromFrame } from '../components/protocol-log';
import { SecurityPanel } from '../components/security-panel';
import { SettingsEditor } from '../components/settings-editor';
import { StationRecords } from '../components/station-records';
import { OnlineBadge, StatusBadge } from '../components/status-badge';
import { formatDateTime, protocolLabel, relativeTime } from '../format';
import { useLiveEvents } from '../live-events';
import { Link } from '../router';
import { useApi, useThrottled } from '../use-api';

/** Incoming messages after which the stored station data has changed without an event of its own. */
const REFRESHING_ACTIONS = new Set(['NotifyReport', 'BootNotification', 'StatusNotification']);
/** Incoming messages that add to the station's reports or monitors (StationRecords reads those again). */
const RECORD_ACTIONS = new Set([
  'NotifyCustomerInformation',
  'NotifyDisplayMessages',
  'NotifyMonitoringReport',
  'SignCertificate',
]);

async function loadStation(identity: string) {
  const station = await api.station(identity);
  // 1.6 reports a transaction's energy only when it stops; the API sums the meter values meanwhile.
  const energies = new Map(
    await Promise.all(
      station.activeTransactions.map(
        async (t) => [t.id, t.energyWh ?? (await api.transaction(t.id)).energyWh] as const,
      ),
    ),
  );
  return { station, energies };
}

export function StationPage(props: { identity: string }) {
  const { identity } = props;
  const loaded = useApi(() => loadStation(identity), [identity]);
  const refresh = useThrottled(loaded.reload, 500);
  const runner = useCommandRunner(identity, refresh);
  const [recordsVersion, setRecordsVersion] = useState(0);
  const refreshRecords = useThrottled(() => setRecordsVersion((v) => v + 1), 500);
  const frameListeners = useRef(new Set<(row: LogRow) => void>());
  const subscribeFrames = useCallback((listener: (row: LogRow) => void) => {
    frameListeners.current.add(listener);
    return () => void frameListeners.current.delete(listener);
  }, []);

  const live = useLiveEvents({ station: identity }, (event: LiveEvent) => {
    if (event.type !== 'message') {
      refresh();
      return;
    }
    const row = rowFromFrame(event, Date.now());
    for (const listener of frameListeners.current) listener(row);
    if (event.direction !== 'in' || !event.action) return;
    if (REFRESHING_ACTIONS.has(event.action)) refresh();
    if (RECORD_ACTIONS.has(event.action)) refreshRecords();
  });

  const notFound = loaded.error instanceof ApiFailure && loaded.error.code === 'STATION_NOT_FOUND';
  if (notFound) {
    return (
      <>
        <PageHeader title={identity} />
        <EmptyState title={`No station ${identity} is registered.`}>
          <Link href="/stations">Back to the stations</Link>
        </EmptyState>
      </>
    );
  }
  const data = loaded.data;
  const station = data?.station;
  const stationLevel = station?.connectors.find((c) => c.evseId === 0);

  return (
    <>
      <PageHeader
        title={
          <>
            {identity} {station && <OnlineBadge connected={station.connected} />}
          </>
        }
        subtitle={
          station && (
            <>
              {protocolLabel(station.protocol)} ·{' '}
              {[station.vendor, station.model].filter(Boolean).join(' ') || 'vendor unknown'}
              {station.firmwareVersion && ` · firmware ${station.firmwareVersion}`}
            </>
          )
        }
        actions={
          <>
            <Link href={`/transactions?station=${encodeURIComponent(identity)}`} class="button">
              Transactions
            </Link>
            <LiveIndicator status={live} />
          </>
        }
      />
      {loaded.error && <ErrorNotice error={loaded.error} onRetry={loaded.reload} />}
      {!data && !loaded.error && <Loading />}
      {data && station && (
        <>
          <div class="grid-2">
            <Section title="Station">
              <dl class="facts">
                <dt>Connection</dt>
                <dd>
                  {station.connected
                    ? `online since ${formatDateTime(station.connectedAt)}`
                    : `offline since ${formatDateTime(station.disconnectedAt)}`}
                </dd>
                <dt>Last contact</dt>
                <dd title={formatDateTime(station.lastContactAt)}>{relativeTime(station.lastContactAt)}</dd>
                <dt>Registration</dt>
                <dd>
                  {station.registrationStatus ? <StatusBadge status={station.registrationStatus} /> : '—'}
                </dd>
                {stationLevel && (
                  <>
                    <dt>Station status</dt>
                    <dd>
                      <StatusBadge status={stationLevel.status} />
                    </dd>
                  </>
                )}
                <dt>Serial number</dt>
                <dd>{station.serialNumber ?? station.chargeBoxSerialNumber ?? '—'}</dd>
                <dt>Booted</dt>
                <dd>
                  {formatDateTime(station.bootedAt)}
                  {station.bootReason && ` (${station.bootReason})`}
                </dd>
                <dt>Meter</dt>
                <dd>{[station.meterType, station.meterSerialNumber].filter(Boolean).join(' · ') || '—'}</dd>
                <dt>Security profile</dt>
                <dd data-fact="security-profile">{station.securityProfile}</dd>
              </dl>
            </Section>
            <Section title="Connectors">
              <ConnectorCards
                station={station}
                energies={data.energies}
                busy={runner.busy !== undefined}
                onStop={(transactionId) => runner.run('remote-stop', { transactionId })}
              />
            </Section>
          </div>
          <Section title="Commands" id="commands">
            <CommandResultView runner={runner} />
            <CommandPanel station={station} runner={runner} />
          </Section>
          <Section
            title={station.protocol === 'ocpp1.6' ? 'Configuration keys' : 'Device model variables'}
            id="settings"
          >
            <SettingsEditor station={station} onChanged={refresh} />
          </Section>
          <Section title="Security" id="security">
            <SecurityPanel station={station} onChanged={refresh} />
          </Section>
          <Section title="Reports and monitors" id="records">
            <StationRecords station={station} version={recordsVersion} />
          </Section>
        </>
      )}
      <Section title="Protocol log" id="protocol-log">
        <ProtocolLog identity={identity} subscribe={subscribeFrames} />
      </Section>
    </>
  );
}
