/**
 * A station's OCPP frames in and out: the stored log (newest first) with the live frames on top,
 * filterable by action, each expandable to its raw OCPP-J frame.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api-client';
import type { MessageLogPolicy, MessageType, OcppMessage } from '../api-types';
import { formatTime } from '../format';
import { useApi } from '../use-api';
import { ErrorNotice, Loading } from './page-states';

const LIMIT = 100;
const MAX_LIVE = 300;

/** OCPP-J message type numbers (OCPP-J 1.6 §4.1.3; 2.1 adds CALLRESULTERROR 5 and SEND 6). */
const TYPE_NUMBERS: Record<MessageType, number> = {
  CALL: 2,
  CALLRESULT: 3,
  CALLERROR: 4,
  CALLRESULTERROR: 5,
  SEND: 6,
};
const TYPE_NAMES = Object.fromEntries(Object.entries(TYPE_NUMBERS).map(([name, n]) => [n, name])) as Record<
  number,
  MessageType
>;

export interface LogRow {
  key: string;
  direction: 'in' | 'out';
  type: MessageType;
  action: string | null;
  messageId: string | null;
  at: string | number;
  raw: string;
}

/** What the stored log leaves out under each policy but `all` (CSMS_MESSAGE_LOG). */
const POLICY_NOTES: Record<Exclude<MessageLogPolicy, 'all'>, string> = {
  'no-periodic':
    'The stored log leaves out Heartbeats, MeterValues and TransactionEvents sent for their meter values ' +
    'when they were answered normally; their data is stored in the station and its transactions.',
  'no-heartbeats': 'The stored log leaves out Heartbeats that were answered normally.',
  off: 'The CSMS keeps no message log (CSMS_MESSAGE_LOG=off).',
};

/** A live frame as the gateway saw it: the raw text is the OCPP-J array. */
export function rowFromFrame(
  frame: { direction: 'in' | 'out'; action?: string; text: string },
  at: number,
): LogRow {
  let parsed: unknown[] = [];
  try {
    parsed = JSON.parse(frame.text) as unknown[];
  } catch {
    // A malformed frame is shown as it came.
  }
  const type = TYPE_NAMES[parsed[0] as number] ?? 'CALL';
  const messageId = typeof parsed[1] === 'string' ? parsed[1] : null;
  const action = frame.action ?? (type === 'CALL' || type === 'SEND' ? String(parsed[2]) : null);
  return {
    key: `live:${frame.direction}:${type}:${messageId}:${at}`,
    direction: frame.direction,
    type,
    action,
    messageId,
    at,
    raw: frame.text,
  };
}

/** A stored entry, rebuilt as the frame it was (CALLERROR payloads hold code, description, details). */
function rowFromMessage(message: OcppMessage): LogRow {
  const n = TYPE_NUMBERS[message.messageType];
  const payload = message.payload as { errorCode?: string; description?: string; details?: unknown };
  const frame =
    message.messageType === 'CALL' || message.messageType === 'SEND'
      ? [n, message.messageId, message.action, message.payload]
      : message.messageType === 'CALLRESULT'
        ? [n, message.messageId, message.payload]
        : [n, message.messageId, payload.errorCode, payload.description, payload.details ?? {}];
  return {
    key: `stored:${message.id}`,
    direction: message.direction,
    type: message.messageType,
    action: message.action,
    messageId: message.messageId,
    at: message.createdAt,
    raw: JSON.stringify(frame),
  };
}

function pretty(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return raw;
  }
}

const identityOf = (row: LogRow) => `${row.direction}:${row.type}:${row.messageId}`;

export function ProtocolLog(props: {
  identity: string;
  subscribe: (listener: (row: LogRow) => void) => () => void;
}) {
  const [action, setAction] = useState('');
  const [live, setLive] = useState<LogRow[]>([]);
  const [known, setKnown] = useState<ReadonlySet<string>>(new Set());
  const [open, setOpen] = useState<string>();
  const stored = useApi(
    () => api.messages(props.identity, { action: action || undefined, limit: LIMIT }),
    [props.identity, action],
  );

  // Frames that arrive while the stored log loads would show twice; the stored copy gives way.
  useEffect(() => setLive([]), [action]);
  useEffect(
    () =>
      props.subscribe((row) => {
        if (row.action)
          setKnown((previous) =>
            previous.has(row.action as string) ? previous : new Set([...previous, row.action as string]),
          );
        setLive((previous) => [row, ...previous].slice(0, MAX_LIVE));
      }),
    [props.subscribe],
  );

  const rows = useMemo(() => {
    const shownLive = live.filter((row) => !action || row.action === action);
    const liveIds = new Set(shownLive.map(identityOf));
    const fromStore = (stored.data?.items ?? [])
      .map(rowFromMessage)
      .filter((row) => !liveIds.has(identityOf(row)));
    return [...shownLive, ...fromStore];
  }, [live, stored.data, action]);

  const actions = useMemo(() => {
    const all = new Set(known);
    for (const item of stored.data?.items ?? []) if (item.action) all.add(item.action);
    if (action) all.add(action);
    return [...all].sort();
  }, [known, stored.data, action]);

  return (
    <div class="protocol-log">
      <div class="filters">
        <label class="field">
          <span>Action</span>
          <select name="action" value={action} onChange={(e) => setAction(e.currentTarget.value)}>
            <option value="">All actions</option>
            {actions.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <span class="muted small">→ to the station · ← from the station · click a row for the raw frame</span>
      </div>
      {stored.data && stored.data.policy !== 'all' && (
        <p class="muted small" data-testid="log-policy">
          {POLICY_NOTES[stored.data.policy]} The frames that come while this page is open are all shown.
        </p>
      )}
      {stored.error && <ErrorNotice error={stored.error} onRetry={stored.reload} />}
      {!stored.data && !stored.error && <Loading />}
      {stored.data && rows.length === 0 && (
        <p class="empty">No messages{action ? ` for ${action}` : ''} yet.</p>
      )}
      <ol class="frames" data-testid="protocol-log">
        {rows.map((row) => (
          <li
            key={row.key}
            class={`frame frame-${row.direction} frame-${row.type.toLowerCase()}`}
            data-action={row.action ?? ''}
          >
            <button
              type="button"
              class="frame-summary"
              aria-expanded={open === row.key}
              onClick={() => setOpen(open === row.key ? undefined : row.key)}
            >
              <span class="frame-time">{formatTime(row.at)}</span>
              <span class="frame-dir" title={row.direction === 'in' ? 'from the station' : 'to the station'}>
                {row.direction === 'in' ? '←' : '→'}
              </span>
              <span class="frame-type">{row.type}</span>
              <span class="frame-action">{row.action ?? '—'}</span>
              <span class="frame-preview">{row.raw}</span>
            </button>
            {open === row.key && <pre class="code">{pretty(row.raw)}</pre>}
          </li>
        ))}
      </ol>
    </div>
  );
}
