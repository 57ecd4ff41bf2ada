/**
 * Meter values are written by group commit (see BatchWriter): each MeterValues answer waits for its
 * own rows to be committed, and a busy CSMS writes many stations' samples in one INSERT.
 */

import type { Stores } from '../db/index.js';
import type { MeterValueSample } from '../db/stores/meter-value-store.js';
import { BatchWriter } from './batch-writer.js';

export type MeterValueWriter = BatchWriter<MeterValueSample>;

export function createMeterValueWriter(stores: Stores): MeterValueWriter {
  return new BatchWriter<MeterValueSample>(async (rows) => {
    await stores.meterValues.insertMany(rows);
  });
}
