/** All stations: search by identity, vendor, model or serial number; online state updates live. */
import { api } from '../api-client';
import { LiveIndicator, PageHeader, Pager, Section } from '../components/layout';
import { EmptyState, ErrorNotice, Loading } from '../components/page-states';
import { OnlineBadge, StatusBadge } from '../components/status-badge';
import { formatDateTime, protocolLabel, relativeTime } from '../format';
import { useLiveEvents } from '../live-events';
import { Link, useQueryState } from '../router';
import { useApi, useThrottled } from '../use-api';

const PAGE_SIZE = 50;

export function StationsPage() {
  const [search, setSearch] = useQueryState('search');
  const [connected, setConnected] = useQueryState('connected');
  const [offsetText, setOffset] = useQueryState('offset', '0');
  const offset = Number(offsetText) || 0;
  const list = useApi(
    () =>
      api.stations({
        search: search.trim() || undefined,
        connected: connected || undefined,
        limit: PAGE_SIZE,
        offset,
      }),
    [search, connected, offset],
  );
  const refresh = useThrottled(list.reload, 1000);
  const live = useLiveEvents({ types: ['station', 'boot'] }, refresh);
  const filtered = Boolean(search.trim() || connected);

  return (
    <>
      <PageHeader title="Stations" actions={<LiveIndicator status={live} />} />
      <Section title="All stations">
        <form class="filters" onSubmit={(e) => e.preventDefault()}>
          <label class="field grow">
            <span>Search</span>
            <input
              type="search"
              name="search"
              placeholder="Identity, vendor, model or serial number"
              value={search}
              onInput={(e) => {
                setSearch(e.currentTarget.value);
                setOffset('0');
              }}
            />
          </label>
          <label class="field">
            <span>Connection</span>
            <select
              name="connected"
              value={connected}
              onChange={(e) => {
                setConnected(e.currentTarget.value);
                setOffset('0');
              }}
            >
              <option value="">All</option>
              <option value="true">Online</option>
              <option value="false">Offline</option>
            </select>
          </label>
        </form>
        {list.error && <ErrorNotice error={list.error} onRetry={list.reload} />}
        {!list.data && !list.error && <Loading />}
        {list.data && list.data.items.length === 0 && (
          <EmptyState title={filtered ? 'No station matches these filters.' : 'No stations yet.'}>
            {!filtered &&
              'Stations appear here when they connect to the OCPP endpoint (ws://host:port/ocpp/<identity>).'}
          </EmptyState>
        )}
        {list.data && list.data.items.length > 0 && (
          <table class="table" data-testid="stations-table">
            <thead>
              <tr>
                <th>Station</th>
                <th>Status</th>
                <th>Protocol</th>
                <th>Vendor / model</th>
                <th>Firmware</th>
                <th>Last contact</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((station) => (
                <tr key={station.identity} data-station={station.identity}>
                  <td data-label="Station">
                    <Link href={`/stations/${encodeURIComponent(station.identity)}`} class="strong">
                      {station.identity}
                    </Link>
                  </td>
                  <td data-label="Status">
                    <OnlineBadge connected={station.connected} />
                    {station.registrationStatus && station.registrationStatus !== 'Accepted' && (
                      <StatusBadge status={station.registrationStatus} title="Registration status" />
                    )}
                  </td>
                  <td data-label="Protocol">{protocolLabel(station.protocol)}</td>
                  <td data-label="Vendor / model">
                    {station.vendor || station.model
                      ? `${station.vendor ?? ''} ${station.model ?? ''}`.trim()
                      : '—'}
                  </td>
                  <td data-label="Firmware">{station.firmwareVersion ?? '—'}</td>
                  <td data-label="Last contact" title={formatDateTime(station.lastContactAt)}>
                    {relativeTime(station.lastContactAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {list.data && (
          <Pager
            offset={offset}
            limit={PAGE_SIZE}
            total={list.data.total}
            onChange={(o) => setOffset(String(o))}
          />
        )}
      </Section>
    </>
  );
}
