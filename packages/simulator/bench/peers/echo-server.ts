/**
 * The ceiling: a bare `ws` server that answers each CALL by string work only, no JSON parsing, no
 * validation, no storage. It answers BootNotification (Accepted), Heartbeat (the time) and anything
 * else with `{}`, which is enough for simulated stations to boot and report their connectors.
 */
import { WebSocketServer } from 'ws';
import type { BenchServer } from '../bench-server.js';

/**
 * The WebSocket settings of the ocppkit server's defaults (DEFLATE_OPTIONS in
 * packages/ocpp/src/transport/server.ts: no context takeover, so frames under 1 KiB go uncompressed),
 * so that the echo and the CSMS differ only above the WebSocket layer.
 */
export const WS_OPTIONS = {
  perMessageDeflate: { threshold: 1024, serverNoContextTakeover: true, clientNoContextTakeover: true },
  maxPayload: 1024 * 1024,
} as const;

export async function startEchoServer(): Promise<BenchServer> {
  const wss = new WebSocketServer({
    ...WS_OPTIONS,
    port: 0,
    host: '127.0.0.1',
    handleProtocols: (offered) => (offered.has('ocpp1.6') ? 'ocpp1.6' : false),
  });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (ws) => {
    ws.on('message', (data) => ws.send(answer(data.toString())));
  });
  const { port } = wss.address() as { port: number };
  return {
    ocppUrl: `ws://127.0.0.1:${port}/ocpp`,
    connections: () => wss.clients.size,
    close: () => {
      for (const client of wss.clients) client.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}

/** `[2,"<id>","<Action>",{…}]` → `[3,"<id>",{…}]`, by slicing. */
function answer(text: string): string {
  const idStart = text.indexOf('"') + 1;
  const idEnd = text.indexOf('"', idStart);
  const actionStart = text.indexOf('"', idEnd + 1) + 1;
  const action = text.slice(actionStart, text.indexOf('"', actionStart));
  const id = text.slice(idStart, idEnd);
  const now = new Date().toISOString();
  switch (action) {
    case 'Heartbeat':
      return `[3,"${id}",{"currentTime":"${now}"}]`;
    case 'BootNotification':
      return `[3,"${id}",{"status":"Accepted","currentTime":"${now}","interval":300}]`;
    default:
      return `[3,"${id}",{}]`;
  }
}
