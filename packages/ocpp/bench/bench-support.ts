/** What the throughput and the memory scenarios of the library bench share. */
import { WebSocketServer } from 'ws';
import { DEFLATE_OPTIONS } from '../src/transport/server.js';

/**
 * Same WebSocket settings as our server's defaults (DEFLATE_OPTIONS: no context takeover, so frames
 * under 1 KiB go uncompressed), so only the OCPP layer differs; `--no-deflate` turns it off everywhere.
 */
export function wsOptions(deflate: boolean) {
  return { perMessageDeflate: deflate ? DEFLATE_OPTIONS : false, maxPayload: 1024 * 1024 } as const;
}

/**
 * The bare `ws` server both scenarios compare with: it answers every frame
 * `[2,"<id>",…]` with `[3,"<id>",{"currentTime":"…"}]`, by string slicing only.
 */
export async function startEchoServer(deflate: boolean): Promise<{ port: number; close(): Promise<void> }> {
  const wss = new WebSocketServer({
    ...wsOptions(deflate),
    port: 0,
    host: '127.0.0.1',
    handleProtocols: (offered) => (offered.has('ocpp1.6') ? 'ocpp1.6' : false),
  });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const text = data.toString();
      const start = text.indexOf('"') + 1;
      const id = text.slice(start, text.indexOf('"', start));
      ws.send(`[3,"${id}",{"currentTime":"${new Date().toISOString()}"}]`);
    });
  });
  return {
    port: (wss.address() as { port: number }).port,
    close: () => {
      for (const client of wss.clients) client.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Padded columns: readable on the console, and the layout Biome's markdown formatter keeps. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
