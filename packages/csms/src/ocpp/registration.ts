/**
 * What BootNotification and Heartbeat do in both versions (1.6 §4.2, §4.6; 2.0.1 B01–B03, G02): the
 * registration status a booting station gets, recording the boot, and the CSMS's time. The
 * versioned handlers only map their request's fields.
 */
import type { UnknownStationPolicy } from '../config.js';
import type { RegistrationStatus, StationBoot } from '../db/index.js';
import { groupCommits } from './group-commits.js';
import type { StationSession } from './station-session.js';

/**
 * The registration status a booting station gets: the one stored for it (set by an operator, or
 * answered at an earlier boot), else the policy for stations nobody decided about. So under the
 * 'pending' policy a station stays Pending (2.0.1 B02) until an operator accepts it.
 */
export function registrationStatusFor(
  stored: RegistrationStatus | null | undefined,
  policy: UnknownStationPolicy,
): RegistrationStatus {
  if (stored) return stored;
  // Under 'reject' the upgrade is refused to stations without a row (station-auth.ts): one that got
  // this far was added by an operator, so it is Accepted.
  return policy === 'pending' ? 'Pending' : 'Accepted';
}

export interface BootAnswer {
  readonly status: RegistrationStatus;
  readonly currentTime: string;
  readonly interval: number;
}

/** Stores the boot with the registration status it is answered with, and returns the answer. */
export async function recordBoot(
  session: StationSession,
  boot: Omit<StationBoot, 'registrationStatus' | 'at'>,
): Promise<BootAnswer> {
  const { config, stores, events } = session.services;
  const now = new Date();
  // One statement for the boots of many stations (group-commits.ts); the station keeps the status
  // stored for it, and gets the policy's only when it has none: registrationStatusFor in SQL.
  const status = await groupCommits(stores).boot.call({
    identity: session.identity,
    boot: { ...boot, registrationStatus: registrationStatusFor(null, config.unknownStations), at: now },
  });
  // The guard in StationSession reads this: from now on other CALLs are served, or refused with
  // SecurityError while Pending or Rejected (2.0.1 B02.FR.09, B03.FR.07; 1.6 errata §3.8).
  session.registrationStatus = status;
  events.emit({ type: 'boot', identity: session.identity, status });
  // interval: the heartbeat interval when Accepted, else the minimum wait before the next
  // BootNotification (1.6 §4.2; 2.0.1 B02.FR.08, B03.FR.06). One setting serves both.
  return { status, currentTime: now.toISOString(), interval: config.heartbeatIntervalS };
}

/**
 * The CSMS's time, which a station sets its clock by (1.6 §4.6; 2.0.1 B01.FR.06 with Heartbeat as
 * TimeSource). The contact it shows is recorded for every CALL by the gateway (last-contact.ts).
 */
export function handleHeartbeat(): { currentTime: string } {
  return { currentTime: nowIso() };
}

let isoMs = 0;
let iso = '';

/** The time as ISO 8601, formatted once per millisecond (a busy CSMS answers dozens in one). */
function nowIso(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoMs = ms;
    iso = new Date(ms).toISOString();
  }
  return iso;
}
