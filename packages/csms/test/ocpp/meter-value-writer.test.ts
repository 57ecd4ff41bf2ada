/**
 * The meter-value writer on a real PGlite database: given a wait (the CSMS gives it
 * PGLITE_METER_GATHER_MS on PGlite), a sample that arrives during it joins the one waiting, and both
 * go in one INSERT; without a wait each is written alone. Either way each caller's promise settles
 * once its sample is stored. (The test waits 50 ms and sends the second sample after 5: timers of a
 * few ms are not precise enough on a busy machine.)
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { createStores } from '../../src/db/index.js';
import { createMeterValueWriter } from '../../src/ocpp/meter-value-writer.js';

let handle: DatabaseHandle;
before(async () => {
  handle = await openDatabase({});
});
after(() => handle.close());

const sample = (stationIdentity: string, value: number) => ({
  stationIdentity,
  connectorId: 1,
  timestamp: new Date(Date.UTC(2026, 10, 25, 12, 0, value)),
  value,
  unit: 'Wh',
});

/** Writes one sample, and another 5 ms later; the rows of each INSERT. */
async function twoSamples(gatherMs: number, prefix: string): Promise<number[]> {
  const stores = createStores(handle.db);
  const batches: number[] = [];
  const writer = createMeterValueWriter(stores, {
    gatherMs,
    onWrite: (_seconds, rows) => batches.push(rows),
  });
  const first = writer.write([sample(`${prefix}-A`, 1)]);
  const second = new Promise<void>((resolve, reject) => {
    setTimeout(() => writer.write([sample(`${prefix}-B`, 2)]).then(resolve, reject), 5);
  });
  await Promise.all([first, second]);
  const stored = await Promise.all(
    [`${prefix}-A`, `${prefix}-B`].map((identity) => stores.meterValues.listForStation(identity)),
  );
  assert.deepEqual(
    stored.map((page) => page.items.length),
    [1, 1],
  );
  return batches;
}

test('samples arriving during the wait share one INSERT', async () => {
  assert.deepEqual(await twoSamples(50, 'GATHER'), [2]);
});

test('without a wait, a sample that finds the writer idle is written alone', async () => {
  assert.deepEqual(await twoSamples(0, 'ALONE'), [1, 1]);
});
