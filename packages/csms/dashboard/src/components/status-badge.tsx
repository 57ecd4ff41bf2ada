/** Colored status labels: the same status reads the same everywhere (connector, station, token). */

const TONES: Record<string, string> = {
  Available: 'ok',
  Accepted: 'ok',
  Online: 'ok',
  Operative: 'ok',
  Charging: 'active',
  Active: 'active',
  Preparing: 'warn',
  Finishing: 'warn',
  SuspendedEV: 'warn',
  SuspendedEVSE: 'warn',
  Occupied: 'warn',
  Pending: 'warn',
  Reserved: 'info',
  Ended: 'muted',
  Offline: 'muted',
  Unavailable: 'muted',
  Faulted: 'bad',
  Blocked: 'bad',
  Rejected: 'bad',
  Expired: 'bad',
  Invalid: 'bad',
};

export function toneOf(status: string): string {
  return TONES[status] ?? 'muted';
}

export function StatusBadge(props: { status: string; title?: string }) {
  return (
    <span class={`badge badge-${toneOf(props.status)}`} title={props.title}>
      {props.status}
    </span>
  );
}

export function OnlineBadge(props: { connected: boolean }) {
  return <StatusBadge status={props.connected ? 'Online' : 'Offline'} />;
}
