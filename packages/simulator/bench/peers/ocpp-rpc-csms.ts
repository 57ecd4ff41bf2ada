/**
 * The peer: a minimal CSMS written with `ocpp-rpc`, in strict mode (every request and response
 * validated against the OCPP 1.6 schemas), answering what the benchmark's stations send. It stores
 * nothing: it is the cost of the OCPP layer of a well-known library, to compare ours against.
 */
import { RPCServer } from 'ocpp-rpc';
import type { BenchServer } from '../bench-server.js';

export async function startOcppRpcCsms(): Promise<BenchServer> {
  const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
  let connections = 0;
  server.on('client', (client) => {
    connections += 1;
    client.once('close', () => {
      connections -= 1;
    });
    client.handle('BootNotification', () => ({
      status: 'Accepted',
      currentTime: new Date().toISOString(),
      interval: 300,
    }));
    client.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    client.handle('StatusNotification', () => ({}));
    client.handle('MeterValues', () => ({}));
  });
  const http = await server.listen(0, '127.0.0.1');
  const { port } = http.address() as { port: number };
  return {
    ocppUrl: `ws://127.0.0.1:${port}/ocpp`,
    connections: () => connections,
    close: () => server.close({ force: true }),
  };
}
