/** What a page shows while loading, after a failure, and when there is nothing to list. */
import type { ComponentChildren } from 'preact';
import { ApiFailure } from '../api-client';
import { errorText } from '../format';

export function Loading(props: { label?: string }) {
  return (
    <p class="loading" role="status">
      {props.label ?? 'Loading…'}
    </p>
  );
}

/** Explains a failure: the API's message, and what to do about the common ones. */
export function ErrorNotice(props: { error: unknown; onRetry?: () => void; title?: string }) {
  const { error } = props;
  const hint =
    error instanceof ApiFailure
      ? {
          NETWORK: 'Check that the CSMS is running and reachable.',
          STATION_NOT_CONNECTED: 'The station must be connected for commands; wait for it to come online.',
          STATION_TIMEOUT: 'The station did not answer in time; it may be busy or its connection poor.',
          STATION_CALL_ERROR: 'The station refused the request with an OCPP CALLERROR.',
        }[error.code]
      : undefined;
  return (
    <div class="notice notice-error" role="alert">
      <strong>{props.title ?? 'Something went wrong'}</strong>
      <p>{errorText(error)}</p>
      {hint && <p class="hint">{hint}</p>}
      {props.onRetry && (
        <button type="button" class="button" onClick={props.onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function EmptyState(props: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <strong>{props.title}</strong>
      {props.children && <div class="hint">{props.children}</div>}
    </div>
  );
}
