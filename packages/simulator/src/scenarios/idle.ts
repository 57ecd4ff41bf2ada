/**
 * idle: every station connects, boots and then only heartbeats (at the interval the CSMS gave)
 * until the run's duration is over. The steady load of a quiet network.
 */
import type { FleetContext } from '../fleet-context.js';

export const idle = {
  description: 'connect, boot, then heartbeat until the duration is over',
  async run(context: FleetContext): Promise<void> {
    await context.launch();
    await context.sleep(Number.POSITIVE_INFINITY);
  },
};
