/**
 * The CSMS's live events (GET /api/v1/events, server-sent events). Read with fetch rather than
 * EventSource so the token travels in the Authorization header, never in a URL that ends up in
 * logs; reconnects on its own after a dropped stream.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { API_BASE, authHeaders, queryString, signOut } from './api-client';
import type { LiveEvent, LiveEventType } from './api-types';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

export interface LiveFilter {
  station?: string;
  types?: readonly LiveEventType[];
}

const RETRY_MS = 2000;

/** Splits an SSE byte stream into the JSON of its `data:` fields (one event per blank-line block). */
export function parseEventBlocks(buffer: string): { events: unknown[]; rest: string } {
  const blocks = buffer.split(/\r?\n\r?\n/);
  const rest = blocks.pop() ?? '';
  const events: unknown[] = [];
  for (const block of blocks) {
    const data = block
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    if (data) events.push(JSON.parse(data));
  }
  return { events, rest };
}

/** Opens the stream and keeps it open until the returned function is called. */
export function openLiveEvents(
  filter: LiveFilter,
  onEvent: (event: LiveEvent) => void,
  onStatus: (status: LiveStatus) => void,
): () => void {
  const abort = new AbortController();
  const query = queryString({ station: filter.station, types: filter.types?.join(',') });
  let retry: ReturnType<typeof setTimeout> | undefined;

  async function readOnce(): Promise<void> {
    const response = await fetch(`${API_BASE}/events${query}`, {
      headers: authHeaders(),
      signal: abort.signal,
    });
    if (response.status === 401) {
      signOut('The API token was refused; sign in again.');
      return;
    }
    if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`);
    onStatus('live');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const parsed = parseEventBlocks(buffer + value);
      buffer = parsed.rest;
      for (const event of parsed.events) onEvent(event as LiveEvent);
    }
  }

  async function run(): Promise<void> {
    onStatus('connecting');
    while (!abort.signal.aborted) {
      try {
        await readOnce();
      } catch {
        // A dropped stream or a restarting CSMS: try again shortly.
      }
      if (abort.signal.aborted) return;
      onStatus('reconnecting');
      await new Promise<void>((resolve) => {
        retry = setTimeout(resolve, RETRY_MS);
      });
    }
  }

  void run();
  return () => {
    clearTimeout(retry);
    abort.abort();
  };
}

/**
 * Subscribes a component to live events while it is mounted. `onEvent` may change on every render;
 * the stream is reopened only when the filter changes.
 */
export function useLiveEvents(filter: LiveFilter, onEvent: (event: LiveEvent) => void): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = `${filter.station ?? ''}|${filter.types?.join(',') ?? ''}`;
  useEffect(() => openLiveEvents(filter, (event) => handler.current(event), setStatus), [key]);
  return status;
}
