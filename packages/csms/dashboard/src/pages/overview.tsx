/**
 * The overview: how many stations are online, offline or faulted, what the connectors do, what
 * runs and what was charged today. Refreshed from live events, never by reloading the page.
 */
import { allPages, api } from '../api-client';
import type { Station, StationDetail, Transaction } from '../api-types';
import { LiveIndicator, PageHeader, Section } from '../components/layout';
import { EmptyState, ErrorNotice, Loading } from '../components/page-states';
import { OnlineBadge, StatusBadge } from '../components/status-badge';
import { formatDuration, formatEnergy, protocolLabel, relativeTime, startOfToday } from '../format';
import { useLiveEvents } from '../live-events';
import { Link } from '../router';
import { displayStatus, isChargingPoint, isFaulted } from '../station-status';
import { useApi, useThrottled } from '../use-api';

/** Stations and connectors: reloaded on station, boot, connector and transaction events. */
interface Fleet {
  stations: Station[];
  faulted: Set<string>;
  connectors: { available: number; charging: number; total: number };
}

/** What is charging and what was charged: reloaded on transaction and meter events. */
interface Charging {
  active: Transaction[];
  /** Energy per active transaction, Wh (1.6 reports it only at the stop; the API sums the register). */
  activeEnergy: Map<number, number | null>;
  energyTodayWh: number;
  startedToday: number;
}

/** Runs `fn` over `items`, `limit` at a time, so a large fleet does not open hundreds of requests at once. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Connector statuses come with each station's detail: the API has no fleet-wide summary, so this
 * reads one detail per station (a few at a time).
 */
async function loadFleet(): Promise<Fleet> {
  const stations = await allPages((offset) => api.stations({ limit: 500, offset }));
  const details = await mapLimited(stations, 6, (s) =>
    api.station(s.identity).catch((): StationDetail | undefined => undefined),
  );
  const faulted = new Set<string>();
  const connectors = { available: 0, charging: 0, total: 0 };
  for (const detail of details) {
    if (!detail) continue;
    if (isFaulted(detail.connectors)) faulted.add(detail.identity);
    for (const connector of detail.connectors.filter(isChargingPoint)) {
      const status = displayStatus(connector, detail.activeTransactions);
      connectors.total += 1;
      if (status === 'Available') connectors.available += 1;
      if (status === 'Charging') connectors.charging += 1;
    }
  }
  return { stations, faulted, connectors };
}

/** "Today" counts the sessions started since local midnight, running or ended. */
async function loadCharging(): Promise<Charging> {
  const [active, today] = await Promise.all([
    allPages((offset) => api.transactions({ active: true, limit: 500, offset })),
    allPages((offset) => api.transactions({ from: startOfToday(), limit: 500, offset })),
  ]);
  const energyOf = async (t: Transaction) =>
    t.energyWh ?? (t.status === 'Active' ? (await api.transaction(t.id)).energyWh : null);
  const activeEnergy = new Map(await mapLimited(active, 6, async (t) => [t.id, await energyOf(t)] as const));
  const todayEnergy = await mapLimited(today, 6, (t) =>
    activeEnergy.has(t.id) ? Promise.resolve(activeEnergy.get(t.id) ?? null) : energyOf(t),
  );
  return {
    active,
    activeEnergy,
    energyTodayWh: todayEnergy.reduce<number>((sum, wh) => sum + (wh ?? 0), 0),
    startedToday: today.length,
  };
}

function Stat(props: {
  name: string;
  label: string;
  value: string | number;
  detail?: string;
  tone?: string;
}) {
  return (
    <div class={`stat ${props.tone ? `stat-${props.tone}` : ''}`} data-stat={props.name}>
      <span class="stat-label">{props.label}</span>
      <span class="stat-value">{props.value}</span>
      {props.detail && <span class="stat-detail">{props.detail}</span>}
    </div>
  );
}

export function OverviewPage() {
  const fleet = useApi(loadFleet, []);
  const charging = useApi(loadCharging, []);
  const refreshFleet = useThrottled(fleet.reload, 1000);
  const refreshCharging = useThrottled(charging.reload, 1000);
  const live = useLiveEvents({ types: ['station', 'boot', 'connector', 'transaction', 'meter'] }, (event) => {
    if (event.type !== 'meter') refreshFleet();
    if (event.type === 'meter' || event.type === 'transaction') refreshCharging();
  });
  const error = fleet.error ?? charging.error;

  return (
    <>
      <PageHeader title="Overview" actions={<LiveIndicator status={live} />} />
      {error && (
        <ErrorNotice
          error={error}
          onRetry={() => {
            fleet.reload();
            charging.reload();
          }}
        />
      )}
      {(!fleet.data || !charging.data) && !error && <Loading />}
      {fleet.data && charging.data && <OverviewBody fleet={fleet.data} charging={charging.data} />}
    </>
  );
}

function OverviewBody({ fleet, charging }: { fleet: Fleet; charging: Charging }) {
  const data = { ...fleet, ...charging };
  const online = data.stations.filter((s) => s.connected).length;
  const attention = data.stations.filter((s) => !s.connected || data.faulted.has(s.identity));
  return (
    <>
      <div class="stats">
        <Stat
          name="online"
          label="Stations online"
          value={online}
          detail={`of ${data.stations.length}`}
          tone="ok"
        />
        <Stat name="offline" label="Stations offline" value={data.stations.length - online} tone="muted" />
        <Stat
          name="faulted"
          label="Stations faulted"
          value={data.faulted.size}
          tone={data.faulted.size ? 'bad' : 'muted'}
        />
        <Stat
          name="available"
          label="Connectors available"
          value={data.connectors.available}
          detail={`of ${data.connectors.total}`}
          tone="ok"
        />
        <Stat name="charging" label="Connectors charging" value={data.connectors.charging} tone="active" />
        <Stat
          name="active-transactions"
          label="Active transactions"
          value={data.active.length}
          tone="active"
        />
        <Stat
          name="energy-today"
          label="Energy delivered today"
          value={formatEnergy(data.energyTodayWh)}
          detail={`${data.startedToday} session${data.startedToday === 1 ? '' : 's'} started today`}
        />
      </div>

      {data.stations.length === 0 && (
        <EmptyState title="No stations yet">
          Point a charging station at this CSMS's OCPP endpoint (ws://host:port/ocpp/&lt;identity&gt;); it
          appears here as soon as it connects.
        </EmptyState>
      )}

      <div class="grid-2">
        <Section title="Active transactions">
          {data.active.length === 0 ? (
            <EmptyState title="Nothing is charging right now." />
          ) : (
            <table class="table">
              <thead>
                <tr>
                  <th>Transaction</th>
                  <th>Station</th>
                  <th>Token</th>
                  <th>Duration</th>
                  <th class="num">Energy</th>
                </tr>
              </thead>
              <tbody>
                {data.active.map((t) => (
                  <tr key={t.id}>
                    <td data-label="Transaction">
                      <Link href={`/transactions/${t.id}`}>#{t.id}</Link>
                    </td>
                    <td data-label="Station">
                      <Link href={`/stations/${encodeURIComponent(t.stationIdentity)}`}>
                        {t.stationIdentity}
                      </Link>
                      {t.evseId !== null && <span class="muted"> · {t.evseId}</span>}
                    </td>
                    <td data-label="Token">{t.idToken ?? '—'}</td>
                    <td data-label="Duration">{formatDuration(t.startedAt, null)}</td>
                    <td data-label="Energy" class="num">
                      {formatEnergy(data.activeEnergy.get(t.id))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>

        <Section title="Stations needing attention">
          {attention.length === 0 ? (
            <EmptyState
              title={data.stations.length ? 'All stations are online and healthy.' : 'No stations yet.'}
            />
          ) : (
            <ul class="list">
              {attention.slice(0, 20).map((s) => (
                <li key={s.identity} class="list-row">
                  <Link href={`/stations/${encodeURIComponent(s.identity)}`}>{s.identity}</Link>
                  <span class="muted">{protocolLabel(s.protocol)}</span>
                  <span class="list-end">
                    {data.faulted.has(s.identity) && <StatusBadge status="Faulted" />}
                    <OnlineBadge connected={s.connected} />
                    <span class="muted">{relativeTime(s.lastContactAt)}</span>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Section>
      </div>
    </>
  );
}
