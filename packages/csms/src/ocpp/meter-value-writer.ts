/**
 * Meter values are written by group commit (see BatchWriter): each MeterValues answer waits for its
 * own rows to be committed, and a busy CSMS writes many stations' samples in one INSERT.
 */

import type { Stores } from '../db/index.js';
import type { MeterValueSample } from '../db/stores/meter-value-store.js';
import { BatchWriter } from './batch-writer.js';

export type MeterValueWriter = BatchWriter<MeterValueSample>;

export interface MeterValueWriterOptions {
  /** Called after each committed batch with its duration (the DB latency metric). */
  readonly onWrite?: (seconds: number, rows: number) => void;
}

export function createMeterValueWriter(
  stores: Stores,
  options: MeterValueWriterOptions = {},
): MeterValueWriter {
  return new BatchWriter<MeterValueSample>(async (rows) => {
    const started = process.hrtime.bigint();
    await stores.meterValues.insertMany(rows);
    options.onWrite?.(Number(process.hrtime.bigint() - started) / 1e9, rows.length);
  });
}
