/**
 * Learning about reconnects of a client transport: the library's session is the transport's one
 * consumer, so the station wraps the transport and sees the `connected` events pass by.
 */
import type { ClientConnection, Transport } from 'ocppkit';

/** Wraps a client transport to learn about reconnects (the library's session owns its events). */
export function observeReconnects(inner: ClientConnection, onReconnect: () => void): Transport {
  let opened = false;
  return {
    identity: inner.identity,
    get protocol() {
      return inner.protocol;
    },
    get connected() {
      return inner.connected;
    },
    send: (text) => inner.send(text),
    close: (code, reason) => inner.close(code, reason),
    attach: (events) =>
      inner.attach({
        ...events,
        connected: () => {
          events.connected();
          if (opened) onReconnect();
          opened = true;
        },
      }),
  };
}
