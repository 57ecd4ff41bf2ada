/**
 * The Python `ocpp` tutorial's exchange, byte for byte: a station sends
 * `[2,"12345","BootNotification",{...}]` and gets an Accepted CALLRESULT, over ocpp1.6 and ocpp2.0.1.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { startTestCsms, type TestCsms } from './support/csms.js';

const EXCHANGES = {
  'ocpp1.6':
    '[2,"12345","BootNotification",{"chargePointModel":"Optimus","chargePointVendor":"The Mobility House"}]',
  'ocpp2.0.1':
    '[2,"12345","BootNotification",{"chargingStation":{"model":"Wallbox XYZ","vendorName":"anewone"},"reason":"PowerUp"}]',
} as const;

describe('the Python tutorial exchange', () => {
  let csms: TestCsms;
  before(async () => {
    csms = await startTestCsms('pglite');
  });
  after(() => csms.stop());

  for (const [protocol, frame] of Object.entries(EXCHANGES)) {
    test(`BootNotification over ${protocol} is Accepted`, async () => {
      const ws = new WebSocket(`${csms.ocppUrl}/CP_1_${protocol.replace(/\W/g, '')}`, [protocol]);
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      assert.equal(ws.protocol, protocol);
      const reply = new Promise<string>((resolve) => ws.once('message', (data) => resolve(data.toString())));
      ws.send(frame);
      const [type, id, payload] = JSON.parse(await reply) as [number, string, Record<string, unknown>];
      assert.equal(type, 3);
      assert.equal(id, '12345');
      assert.equal(payload.status, 'Accepted');
      assert.equal(typeof payload.interval, 'number');
      assert.ok(!Number.isNaN(Date.parse(String(payload.currentTime))));
      ws.close();
    });
  }
});
