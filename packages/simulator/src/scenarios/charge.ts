/**
 * charge: a charging day on every connector, time-compressed by the speed factor — plug in, wait
 * a little, authorize and start, charge for a few (simulated) minutes with meter values, stop,
 * unplug, idle, repeat. Transactions still running when the duration is over are stopped cleanly.
 */
import type { FleetContext } from '../fleet-context.js';
import type { Station } from '../station-api.js';

export const charge = {
  description: 'plug, authorize, charge a few minutes (scaled by speed), stop, unplug, repeat',
  async run(context: FleetContext): Promise<void> {
    const sessions: Promise<void>[] = [];
    let launchDone = false;
    const launched = context.launch().finally(() => {
      launchDone = true;
    });
    // Stations start their day as soon as they are accepted, while others are still booting.
    const started = new Set<Station>();
    const startReady = async () => {
      for (const station of context.stations) {
        if (started.has(station)) continue;
        started.add(station);
        for (const c of station.connectors) sessions.push(chargingDay(context, station, c.connectorId));
      }
    };
    while (!context.signal.aborted) {
      await Promise.race([launched, context.sleep(200)]);
      await startReady();
      if (launchDone && started.size === context.stations.length) break;
    }
    await launched;
    await startReady();
    await Promise.all(sessions);
  },
};

async function chargingDay(context: FleetContext, station: Station, connectorId: number): Promise<void> {
  const { speed, idToken } = context.options;
  const simulated = (minS: number, maxS: number) => ((minS + Math.random() * (maxS - minS)) * 1000) / speed;
  await station.whenAccepted();
  await context.sleep(simulated(0, 60));
  while (!context.signal.aborted) {
    try {
      await station.plugIn(connectorId);
      await context.sleep(simulated(5, 20));
      if (context.signal.aborted) {
        await station.unplug(connectorId);
        break;
      }
      await station.startCharging(connectorId, idToken);
      await context.sleep(simulated(120, 480));
      await station.stopCharging(connectorId, 'Local');
      await context.sleep(context.signal.aborted ? 0 : simulated(5, 30));
      await station.unplug(connectorId);
    } catch (error) {
      context.stats.error(
        `${station.identity}/${connectorId}: ${error instanceof Error ? error.message : String(error)}`,
      );
      await context.sleep(1000);
    }
    await context.sleep(simulated(30, 180));
  }
}
