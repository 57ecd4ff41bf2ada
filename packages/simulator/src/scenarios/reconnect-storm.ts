/**
 * reconnect-storm: every station connects and boots; then all connections drop at once (as when a
 * CSMS restarts or a load balancer fails over) and the stations come back with their back-off
 * (OCPP-J RetryBackOff…). Reports how long until all were connected again.
 */
import type { FleetContext } from '../fleet-context.js';

export const reconnectStorm = {
  description: 'all connected, then every connection dropped at once; reports the reconnect rate',
  async run(context: FleetContext): Promise<void> {
    const { stats, stations, signal } = context;
    await context.launch();
    await context.sleep(1000);
    if (signal.aborted) return;
    const droppedAt = stats.elapsedMs;
    const before = stats.reconnects.length;
    for (const station of stations) station.dropConnection();
    while (!signal.aborted && stats.reconnects.length - before < stations.length) await context.sleep(50);
    const reconnected = stats.reconnects.length - before;
    const lastS = ((stats.reconnects.at(-1) ?? droppedAt) - droppedAt) / 1000;
    context.metrics.dropped = stations.length;
    context.metrics.reconnected = reconnected;
    context.metrics.allReconnectedS = Math.round(lastS * 10) / 10;
    context.metrics.reconnectsPerS = Math.round((reconnected / Math.max(lastS, 0.001)) * 10) / 10;
    if (reconnected < stations.length)
      stats.error(`${stations.length - reconnected} stations did not reconnect in time`);
    // Let the statuses each reconnected station sends settle before the fleet closes.
    await context.sleep(500);
  },
};
