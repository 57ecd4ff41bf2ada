/**
 * A load child (`csms-bench.js --load`): holds stations for the parent — full simulated stations for
 * the connection and fan-out scenarios, raw ones for throughput and latency — in a process of its
 * own, so that 19,000 sockets are spread over processes that each stay under the fd limit.
 */
import { serveRequests } from './ipc.js';
import type { FleetUpRequest } from './load/fleet.js';
import { BenchFleet } from './load/fleet-stations.js';
import { closedLoop, openLoop } from './load/raw-load.js';
import { type LoadAction, RawStation } from './load/raw-stations.js';
import { StormFleet } from './load/storm-stations.js';

export interface RawUpRequest {
  readonly url: string;
  readonly prefix: string;
  readonly from: number;
  readonly count: number;
}

export interface ClosedLoopRequest {
  readonly action: LoadAction;
  readonly warmupMs: number;
  readonly durationMs: number;
}

export interface OpenLoopRequest extends ClosedLoopRequest {
  readonly ratePerS: number;
}

export function runLoadChild(): void {
  let fleet: BenchFleet | StormFleet = new StormFleet();
  let raw: RawStation[] = [];
  serveRequests({
    'fleet-up': (request: FleetUpRequest) => {
      fleet = request.client === 'simulator' ? new BenchFleet() : new StormFleet();
      return fleet.up(request);
    },
    ready: () => true,
    'fleet-open': () => fleet.open(),
    'fleet-heartbeats': () => fleet.heartbeats,
    'fleet-down': () => fleet.down(),
    'raw-up': async (request: RawUpRequest) => {
      // In batches: a burst the listen backlog takes without dropping connections.
      for (let i = 0; i < request.count; i += 50) {
        const batch = Array.from({ length: Math.min(50, request.count - i) }, (_, k) => {
          const index = request.from + i + k;
          return RawStation.connect(request.url, `${request.prefix}${String(index).padStart(5, '0')}`, index);
        });
        raw.push(...(await Promise.all(batch)));
      }
      return raw.length;
    },
    'closed-loop': (request: ClosedLoopRequest) =>
      closedLoop(raw, request.action, request.warmupMs, request.durationMs),
    'open-loop': (request: OpenLoopRequest) =>
      openLoop(raw, request.action, request.ratePerS, request.warmupMs, request.durationMs),
    'raw-down': async () => {
      await Promise.all(raw.map((s) => s.close()));
      raw = [];
    },
    exit: () => {
      setTimeout(() => process.exit(0), 20);
      return true;
    },
  });
}
