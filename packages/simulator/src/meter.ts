/**
 * The energy meter of one connector: a cumulative Energy.Active.Import.Register (Wh) that rises at
 * the charging power while a transaction delivers energy. `speed` compresses time, so a fleet can
 * simulate an hour of charging in a minute.
 */

export interface MeterOptions {
  /** Nominal charging power in kW. */
  readonly powerKw: number;
  /** Simulated seconds per real second (default 1). */
  readonly speed?: number;
  /** Register value at start-up in Wh (default 0). */
  readonly startWh?: number;
  /** Current limit in W from the charging profiles, if any. */
  readonly limitW?: () => number | undefined;
  readonly now?: () => number;
}

export interface MeterReading {
  readonly timestamp: Date;
  /** Energy.Active.Import.Register, Wh. */
  readonly energyWh: number;
  /** Power.Active.Import, W (0 when not charging). */
  readonly powerW: number;
}

export class Meter {
  readonly #options: MeterOptions;
  readonly #now: () => number;
  #registerWh: number;
  #charging = false;
  #lastUpdate: number;

  constructor(options: MeterOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#registerWh = options.startWh ?? 0;
    this.#lastUpdate = this.#now();
  }

  get charging(): boolean {
    return this.#charging;
  }

  /** The power drawn now: the nominal power, capped by the charging-profile limit. */
  get powerW(): number {
    if (!this.#charging) return 0;
    const nominal = this.#options.powerKw * 1000;
    const limit = this.#options.limitW?.();
    return limit === undefined ? nominal : Math.max(0, Math.min(nominal, limit));
  }

  start(): void {
    this.#advance();
    this.#charging = true;
  }

  stop(): void {
    this.#advance();
    this.#charging = false;
  }

  /** Reads the register; integer Wh, as most meters report. */
  read(): MeterReading {
    this.#advance();
    return { timestamp: new Date(this.#now()), energyWh: Math.floor(this.#registerWh), powerW: this.powerW };
  }

  #advance(): void {
    const now = this.#now();
    const elapsedS = ((now - this.#lastUpdate) / 1000) * (this.#options.speed ?? 1);
    this.#registerWh += (this.powerW * elapsedS) / 3600;
    this.#lastUpdate = now;
  }
}

export interface Measurement {
  readonly measurand: string;
  readonly value: number;
  readonly unit: string;
}

/** The configured measurands this meter can read (others are skipped), in the configured order. */
export function measure(reading: MeterReading, measurands: readonly string[]): Measurement[] {
  const out: Measurement[] = [];
  for (const measurand of measurands) {
    switch (measurand.trim()) {
      case 'Energy.Active.Import.Register':
        out.push({ measurand: 'Energy.Active.Import.Register', value: reading.energyWh, unit: 'Wh' });
        break;
      case 'Power.Active.Import':
        out.push({ measurand: 'Power.Active.Import', value: Math.round(reading.powerW), unit: 'W' });
        break;
      case 'Current.Import':
        // Three phases at 230 V, the same assumption the charging-profile conversion makes.
        out.push({
          measurand: 'Current.Import',
          value: Math.round((reading.powerW / 690) * 10) / 10,
          unit: 'A',
        });
        break;
      case 'Voltage':
        out.push({ measurand: 'Voltage', value: 230, unit: 'V' });
        break;
    }
  }
  return out;
}

/** Splits a comma-separated measurand list; never empty, the energy register at least. */
export function measurandList(csl: string | undefined): string[] {
  const list = (csl ?? '').split(',').filter((m) => m.trim() !== '');
  return list.length > 0 ? list : ['Energy.Active.Import.Register'];
}
