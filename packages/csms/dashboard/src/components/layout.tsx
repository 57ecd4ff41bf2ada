/** Page scaffolding: headers, sections, the live-stream indicator and list paging. */
import type { ComponentChildren } from 'preact';
import type { LiveStatus } from '../live-events';

export function PageHeader(props: {
  title: ComponentChildren;
  subtitle?: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <header class="page-header">
      <div>
        <h1>{props.title}</h1>
        {props.subtitle && <div class="subtitle">{props.subtitle}</div>}
      </div>
      {props.actions && <div class="page-actions">{props.actions}</div>}
    </header>
  );
}

export function Section(props: {
  title: string;
  id?: string;
  actions?: ComponentChildren;
  children: ComponentChildren;
}) {
  return (
    <section class="card" id={props.id} aria-label={props.title}>
      <div class="card-header">
        <h2>{props.title}</h2>
        {props.actions && <div class="card-actions">{props.actions}</div>}
      </div>
      {props.children}
    </section>
  );
}

const LIVE_TEXT: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

export function LiveIndicator(props: { status: LiveStatus }) {
  return (
    <span
      class={`live live-${props.status}`}
      data-live={props.status}
      title="Updates arrive without reloading"
    >
      <span class="live-dot" aria-hidden="true" />
      {LIVE_TEXT[props.status]}
    </span>
  );
}

export function Pager(props: {
  offset: number;
  limit: number;
  total: number;
  onChange: (offset: number) => void;
}) {
  const { offset, limit, total } = props;
  if (total <= limit) return null;
  return (
    <nav class="pager" aria-label="Pages">
      <button
        type="button"
        class="button"
        disabled={offset === 0}
        onClick={() => props.onChange(Math.max(0, offset - limit))}
      >
        Previous
      </button>
      <span>
        {offset + 1}–{Math.min(offset + limit, total)} of {total}
      </span>
      <button
        type="button"
        class="button"
        disabled={offset + limit >= total}
        onClick={() => props.onChange(offset + limit)}
      >
        Next
      </button>
    </nav>
  );
}
