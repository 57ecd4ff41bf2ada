/**
 * boot-storm: every station connects and boots at the same moment, as after a power cut. Reports
 * how fast the CSMS took the handshakes and accepted the BootNotifications.
 */
import type { FleetContext } from '../fleet-context.js';

export const bootStorm = {
  description: 'all stations connect and boot at once; reports connect and boot rates',
  async run(context: FleetContext): Promise<void> {
    const { stats, options } = context;
    await context.launch(options.stations);
    // The StatusNotifications that follow each boot are part of the storm: wait until it is quiet.
    for (let last = -1; !context.signal.aborted && stats.framesIn !== last; ) {
      last = stats.framesIn;
      await context.sleep(300);
    }
    const connectedS = (stats.firstConnect.at(-1) ?? 0) / 1000;
    const bootedS = (stats.accepted.at(-1) ?? 0) / 1000;
    context.metrics.allConnectedS = round(connectedS);
    context.metrics.allBootedS = round(bootedS);
    context.metrics.connectsPerS = round(stats.firstConnect.length / Math.max(connectedS, 0.001));
    context.metrics.bootsPerS = round(stats.accepted.length / Math.max(bootedS, 0.001));
  },
};

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
