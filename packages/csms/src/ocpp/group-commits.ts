/**
 * The group commits of one CSMS, shared by all its station sessions: what every connecting, booting
 * or reporting station asks of the database goes through these, so that a boot storm or a busy
 * network costs one statement per batch of stations instead of one (or four) per station. Each
 * caller still waits for its own answer, so nothing is answered before it is stored.
 */
import type {
  ConnectorStatusOutcome,
  ConnectorStatusReport,
  RegistrationStatus,
  StationCredentials,
  Stores,
} from '../db/index.js';
import type { Boot, Connection, ConnectionRecord } from '../db/stores/station-batches.js';
import { GroupCall } from './group-call.js';

export interface ClosedConnection {
  readonly identity: string;
  readonly connectedAt: Date;
  readonly at: Date;
}

export interface GroupCommits {
  /** Basic Auth and security profile of a connecting station (undefined: unknown station). */
  readonly credentials: GroupCall<string, StationCredentials | undefined>;
  /** Records a connection; answers the registration status stored for the station. */
  readonly connect: GroupCall<Connection, ConnectionRecord>;
  /** Records a closed connection unless a newer one was recorded since; answers whether it was. */
  readonly disconnect: GroupCall<ClosedConnection, boolean>;
  /** Stores a BootNotification; answers the registration status to reply with. */
  readonly boot: GroupCall<Boot, RegistrationStatus>;
  readonly connectorStatus: GroupCall<ConnectorStatusReport, ConnectorStatusOutcome>;
  /** True when one of these ran in the last BUSY_MS: stations are waiting for the database. */
  readonly busy: () => boolean;
}

// Keyed by the stores object, which app.ts creates once per CSMS: tests run several CSMSs in one
// process, and each must batch with its own database only.
const byStores = new WeakMap<Stores, GroupCommits>();
const GATHER_MS = 10;
const BUSY_MS = 50;

export function groupCommits(stores: Stores): GroupCommits {
  let commits = byStores.get(stores);
  if (!commits) {
    const { stations, connectorStatus } = stores;
    // Connecting, booting and status reports wait up to GATHER_MS for company when the database
    // gave them none (group-call.ts, gatherMs): a station is not kept waiting noticeably.
    let lastRunAt = 0;
    const gathered = {
      gatherMs: GATHER_MS,
      onRun: () => {
        lastRunAt = performance.now();
      },
    };
    commits = {
      credentials: new GroupCall((identities) => stations.getCredentialsMany(identities), gathered),
      connect: new GroupCall((connections) => stations.markConnectedMany(connections), gathered),
      disconnect: new GroupCall((closed) => stations.markDisconnectedMany(closed), gathered),
      boot: new GroupCall((boots) => stations.recordBootsMany(boots), gathered),
      connectorStatus: new GroupCall((reports) => connectorStatus.recordMany(reports), gathered),
      busy: () => performance.now() - lastRunAt < BUSY_MS,
    };
    byStores.set(stores, commits);
  }
  return commits;
}
