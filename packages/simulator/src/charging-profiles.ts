/**
 * Installed charging profiles, version-neutral, and the composite schedule they make
 * (OCPP 1.6 §3.13 Smart Charging, 2.0.1 K01/K08): per purpose the highest stackLevel in force
 * wins; a TxProfile overrides a TxDefaultProfile while a transaction runs; a connector's own
 * TxDefaultProfile overrides the station-wide one; the station maximum caps everything.
 */

export type ProfilePurpose = 'StationMax' | 'TxDefault' | 'Tx' | 'External';
export type RateUnit = 'A' | 'W';

export interface SchedulePeriod {
  readonly startPeriod: number;
  readonly limit: number;
  readonly numberPhases?: number;
}

export interface StoredProfile {
  readonly id: number;
  /** 0: the whole station. */
  readonly connectorId: number;
  readonly stackLevel: number;
  readonly purpose: ProfilePurpose;
  readonly kind: 'Absolute' | 'Recurring' | 'Relative';
  readonly recurrency?: 'Daily' | 'Weekly';
  readonly validFrom?: string;
  readonly validTo?: string;
  readonly transactionId?: string;
  readonly startSchedule?: string;
  readonly duration?: number;
  readonly unit: RateUnit;
  readonly periods: readonly SchedulePeriod[];
}

export interface ClearCriteria {
  readonly id?: number;
  readonly connectorId?: number;
  readonly purpose?: ProfilePurpose;
  readonly stackLevel?: number;
}

/** Assumed for A ↔ W conversion: 230 V per phase, three phases unless a period says otherwise. */
const VOLTS = 230;
const DEFAULT_PHASES = 3;

export function toWatts(limit: number, unit: RateUnit, phases = DEFAULT_PHASES): number {
  return unit === 'W' ? limit : limit * VOLTS * phases;
}

export function fromWatts(watts: number, unit: RateUnit, phases = DEFAULT_PHASES): number {
  return unit === 'W' ? watts : Math.round((watts / (VOLTS * phases)) * 10) / 10;
}

export class ChargingProfiles {
  #profiles: StoredProfile[] = [];

  get all(): readonly StoredProfile[] {
    return this.#profiles;
  }

  /** Installs a profile, replacing one with the same id or the same connector, purpose and stackLevel. */
  install(profile: StoredProfile): void {
    this.#profiles = this.#profiles.filter(
      (p) =>
        p.id !== profile.id &&
        !(
          p.connectorId === profile.connectorId &&
          p.purpose === profile.purpose &&
          p.stackLevel === profile.stackLevel
        ),
    );
    this.#profiles.push(profile);
  }

  /** Removes the profiles matching every given criterion; returns how many. */
  clear(criteria: ClearCriteria): number {
    const before = this.#profiles.length;
    this.#profiles = this.#profiles.filter(
      (p) =>
        !(
          (criteria.id === undefined || p.id === criteria.id) &&
          (criteria.connectorId === undefined || p.connectorId === criteria.connectorId) &&
          (criteria.purpose === undefined || p.purpose === criteria.purpose) &&
          (criteria.stackLevel === undefined || p.stackLevel === criteria.stackLevel)
        ),
    );
    return before - this.#profiles.length;
  }

  /** TxProfiles end with their transaction (1.6 §3.13.4, 2.0.1 K01.FR.05). */
  clearTransaction(connectorId: number): void {
    this.#profiles = this.#profiles.filter((p) => !(p.purpose === 'Tx' && p.connectorId === connectorId));
  }

  /**
   * The limit in W on a connector at `at`, or undefined when no profile limits it.
   * `txStart` is when the connector's transaction started (undefined: no transaction).
   */
  limitW(connectorId: number, at: number, txStart: number | undefined): number | undefined {
    const inForce = (purpose: ProfilePurpose, connector: number) => {
      const candidates = this.#profiles
        .filter((p) => p.purpose === purpose && p.connectorId === connector && valid(p, at))
        .sort((a, b) => b.stackLevel - a.stackLevel);
      for (const p of candidates) {
        const limit = limitAt(p, at, txStart);
        if (limit !== undefined) return limit;
      }
      return undefined;
    };
    let limit: number | undefined;
    if (txStart !== undefined) limit = inForce('Tx', connectorId);
    limit ??= inForce('TxDefault', connectorId) ?? inForce('TxDefault', 0);
    const caps = [inForce('StationMax', 0), inForce('External', 0), inForce('External', connectorId)];
    for (const cap of caps) if (cap !== undefined) limit = limit === undefined ? cap : Math.min(limit, cap);
    return limit;
  }

  /**
   * The composite schedule of a connector from now for `durationS` seconds (1.6 GetCompositeSchedule,
   * 2.0.1 K08): the limit at every point where some profile's limit may change, merged where equal.
   * Where no profile limits, the station's own maximum `maxW` applies.
   */
  composite(
    connectorId: number,
    from: number,
    durationS: number,
    txStart: number | undefined,
    unit: RateUnit,
    maxW: number,
  ): SchedulePeriod[] {
    const end = from + durationS * 1000;
    const changes = new Set<number>([from]);
    for (const p of this.#profiles) {
      for (const t of boundaries(p, from, end, txStart)) if (t > from && t < end) changes.add(t);
      for (const bound of [p.validFrom, p.validTo]) {
        const t = bound ? Date.parse(bound) : Number.NaN;
        if (t > from && t < end) changes.add(t);
      }
    }
    const periods: SchedulePeriod[] = [];
    for (const t of [...changes].sort((a, b) => a - b)) {
      const watts = Math.min(this.limitW(connectorId, t, txStart) ?? maxW, maxW);
      const limit = fromWatts(watts, unit);
      if (periods.at(-1)?.limit === limit) continue;
      periods.push({ startPeriod: Math.round((t - from) / 1000), limit });
    }
    return periods;
  }
}

function valid(p: StoredProfile, at: number): boolean {
  if (p.validFrom && Date.parse(p.validFrom) > at) return false;
  if (p.validTo && Date.parse(p.validTo) <= at) return false;
  return true;
}

/** When the profile's schedule starts in the cycle that contains `at` (undefined: not started). */
function scheduleStart(p: StoredProfile, at: number, txStart: number | undefined): number | undefined {
  if (p.kind === 'Relative') return txStart ?? at;
  const start = p.startSchedule ? Date.parse(p.startSchedule) : Number.NaN;
  if (Number.isNaN(start)) return p.kind === 'Absolute' ? undefined : at;
  if (p.kind === 'Absolute') return start;
  const cycle = (p.recurrency === 'Weekly' ? 7 : 1) * 86_400_000;
  return at < start ? start - cycle : start + Math.floor((at - start) / cycle) * cycle;
}

function limitAt(p: StoredProfile, at: number, txStart: number | undefined): number | undefined {
  const start = scheduleStart(p, at, txStart);
  if (start === undefined || at < start) return undefined;
  const offsetS = (at - start) / 1000;
  if (p.duration !== undefined && offsetS >= p.duration) return undefined;
  let current: SchedulePeriod | undefined;
  for (const period of p.periods) if (period.startPeriod <= offsetS) current = period;
  return current && toWatts(current.limit, p.unit, current.numberPhases);
}

/** The absolute times in [from, end) where this profile's limit may change. */
function boundaries(p: StoredProfile, from: number, end: number, txStart: number | undefined): number[] {
  const times: number[] = [];
  for (let at = from, guard = 0; at < end && guard < 400; guard++) {
    const start = scheduleStart(p, at, txStart);
    if (start === undefined) break;
    for (const period of p.periods) times.push(start + period.startPeriod * 1000);
    if (p.duration !== undefined) times.push(start + p.duration * 1000);
    if (p.kind !== 'Recurring') break;
    at = start + (p.recurrency === 'Weekly' ? 7 : 1) * 86_400_000;
    times.push(at);
  }
  return times;
}
