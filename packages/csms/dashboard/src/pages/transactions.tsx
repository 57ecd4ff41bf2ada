/** Transactions of all stations, filtered by station, token, start date and state; updated live. */
import { api } from '../api-client';
import { LiveIndicator, PageHeader, Pager, Section } from '../components/layout';
import { EmptyState, ErrorNotice, Loading } from '../components/page-states';
import { StatusBadge } from '../components/status-badge';
import { formatDateTime, formatDuration, formatEnergy } from '../format';
import { useLiveEvents } from '../live-events';
import { Link, useQueryState } from '../router';
import { useApi, useThrottled } from '../use-api';

const PAGE_SIZE = 50;

/** A date input's yyyy-mm-dd as the start of that local day, in ISO (the API's date-time). */
function dayStart(day: string, plusDays = 0): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays).toISOString();
}

export function TransactionsPage() {
  const [station, setStation] = useQueryState('station');
  const [token, setToken] = useQueryState('token');
  const [from, setFrom] = useQueryState('from');
  const [to, setTo] = useQueryState('to');
  const [state, setState] = useQueryState('state');
  const [offsetText, setOffset] = useQueryState('offset', '0');
  const offset = Number(offsetText) || 0;
  const list = useApi(
    () =>
      api.transactions({
        station: station.trim() || undefined,
        token: token.trim() || undefined,
        from: dayStart(from),
        // "To" is inclusive: everything started before the next day.
        to: dayStart(to, 1),
        active: state === 'active' ? true : state === 'ended' ? false : undefined,
        limit: PAGE_SIZE,
        offset,
      }),
    [station, token, from, to, state, offset],
  );
  const refresh = useThrottled(list.reload, 1000);
  const live = useLiveEvents(
    { types: ['transaction'], ...(station.trim() && { station: station.trim() }) },
    refresh,
  );
  const filtered = Boolean(station || token || from || to || state);
  const filter = (set: (value: string) => void) => (value: string) => {
    set(value);
    setOffset('0');
  };

  return (
    <>
      <PageHeader title="Transactions" actions={<LiveIndicator status={live} />} />
      <Section title="All transactions">
        <form class="filters" onSubmit={(e) => e.preventDefault()}>
          <label class="field">
            <span>Station</span>
            <input
              name="station"
              value={station}
              onInput={(e) => filter(setStation)(e.currentTarget.value)}
            />
          </label>
          <label class="field">
            <span>Id token</span>
            <input name="token" value={token} onInput={(e) => filter(setToken)(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>Started from</span>
            <input
              type="date"
              name="from"
              value={from}
              onInput={(e) => filter(setFrom)(e.currentTarget.value)}
            />
          </label>
          <label class="field">
            <span>to</span>
            <input type="date" name="to" value={to} onInput={(e) => filter(setTo)(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>State</span>
            <select name="state" value={state} onChange={(e) => filter(setState)(e.currentTarget.value)}>
              <option value="">All</option>
              <option value="active">Active</option>
              <option value="ended">Ended</option>
            </select>
          </label>
        </form>
        {list.error && <ErrorNotice error={list.error} onRetry={list.reload} />}
        {!list.data && !list.error && <Loading />}
        {list.data && list.data.items.length === 0 && (
          <EmptyState title={filtered ? 'No transaction matches these filters.' : 'No transactions yet.'}>
            {!filtered && 'Transactions appear here when a station starts charging.'}
          </EmptyState>
        )}
        {list.data && list.data.items.length > 0 && (
          <table class="table" data-testid="transactions-table">
            <thead>
              <tr>
                <th>Transaction</th>
                <th>Station</th>
                <th>Token</th>
                <th>Started</th>
                <th>Duration</th>
                <th class="num">Energy</th>
                <th>State</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((t) => (
                <tr key={t.id} data-transaction={t.id}>
                  <td data-label="Transaction">
                    <Link href={`/transactions/${t.id}`} class="strong">
                      #{t.id}
                    </Link>
                  </td>
                  <td data-label="Station">
                    <Link href={`/stations/${encodeURIComponent(t.stationIdentity)}`}>
                      {t.stationIdentity}
                    </Link>
                    {t.evseId !== null && <span class="muted"> · {t.evseId}</span>}
                  </td>
                  <td data-label="Token">{t.idToken ?? '—'}</td>
                  <td data-label="Started">{formatDateTime(t.startedAt)}</td>
                  <td data-label="Duration">{formatDuration(t.startedAt, t.stoppedAt)}</td>
                  <td data-label="Energy" class="num">
                    {formatEnergy(t.energyWh)}
                  </td>
                  <td data-label="State">
                    <StatusBadge status={t.status} />
                    {t.stopReason && <span class="muted small"> {t.stopReason}</span>}
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
