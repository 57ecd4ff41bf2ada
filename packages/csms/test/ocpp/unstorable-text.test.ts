/**
 * A JSON string may carry U+0000 (NUL) or half of a surrogate pair, which PostgreSQL cannot store
 * (storable-text.ts). Such a CALL is refused with a PropertyConstraintViolation naming the field,
 * stores nothing, and the station and every other one keep being served; the message log keeps
 * the refused frame with U+FFFD in place of the character.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CallErrorResponse } from 'ocppkit';
import { Stations } from '../ocpp16/stations.js';
import { StationPool } from '../ocpp201/stations.js';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import { eventually } from '../support/eventually.js';

async function refusal(call: Promise<unknown>): Promise<CallErrorResponse> {
  const error = await call.then(
    () => assert.fail('the CALL was answered with a CALLRESULT'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof CallErrorResponse, `expected a CALLERROR, got ${String(error)}`);
  assert.equal(error.rawErrorCode, 'PropertyConstraintViolation');
  return error;
}

for (const kind of databaseKinds()) {
  describe(`payloads the database cannot store [${kind}]`, () => {
    let csms: TestCsms;
    const stations = new Stations(() => csms);
    const pool = new StationPool(() => csms);
    before(async () => {
      csms = await startTestCsms(kind);
      await csms.stores.idTokens.create({ idToken: 'DRIVER' });
    });
    after(async () => {
      await stations.closeAll();
      await pool.closeAll();
      await csms.stop();
    });

    test('1.6: a BootNotification or StartTransaction with one is refused, and nothing is stored', async () => {
      const identity = stations.identity('NUL');
      const station = await stations.connect(identity);
      const boot = await refusal(
        station.call('BootNotification', { chargePointVendor: 'Vendor\u0000', chargePointModel: 'M' }),
      );
      assert.match(boot.description, /^BootNotification: chargePointVendor holds U\+0000 \(NUL\)/);
      assert.equal(
        (await csms.stores.stations.get(identity))?.registration_status ?? null,
        null,
        'not registered',
      );

      assert.equal(
        (await station.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' })).status,
        'Accepted',
      );
      const start = {
        connectorId: 1,
        idTag: 'DRIVER\ud800',
        meterStart: 0,
        timestamp: new Date().toISOString(),
      };
      const refused = await refusal(station.call('StartTransaction', start));
      assert.match(refused.description, /^StartTransaction: idTag holds .* half of a surrogate pair/);
      assert.equal((await csms.stores.transactions.list({ stationIdentity: identity })).total, 0);

      // The station is still served, and so is another one.
      const started = await station.call('StartTransaction', { ...start, idTag: 'DRIVER' });
      assert.equal(started.idTagInfo.status, 'Accepted');
      const other = await stations.booted();
      assert.equal((await other.station.call('Authorize', { idTag: 'DRIVER' })).idTagInfo.status, 'Accepted');

      // The refused CALLs are in the log with U+FFFD, beside their CALLERRORs and the other frames.
      const logged = await eventually(async () => {
        const rows = await csms.stores.messageLog.listRecent(identity, { limit: 20 });
        return rows.length >= 8 ? rows.reverse() : undefined;
      }, 'the message log to be written');
      assert.deepEqual(
        logged.map((row) => `${row.direction} ${row.message_type} ${row.action}`),
        [
          'in CALL BootNotification',
          'out CALLERROR BootNotification',
          'in CALL BootNotification',
          'out CALLRESULT BootNotification',
          'in CALL StartTransaction',
          'out CALLERROR StartTransaction',
          'in CALL StartTransaction',
          'out CALLRESULT StartTransaction',
        ],
      );
      assert.deepEqual(logged[0]?.payload, { chargePointVendor: 'Vendor\ufffd', chargePointModel: 'M' });
      assert.deepEqual(logged[4]?.payload, { ...start, idTag: 'DRIVER\ufffd' });
    });

    test('2.0.1: an Authorize with one in a nested field is refused with the path of the field', async () => {
      const station = await pool.booted(`NUL201-${process.pid}`);
      const refused = await refusal(
        station.call('Authorize', {
          idToken: {
            idToken: 'ABC',
            type: 'ISO14443',
            additionalInfo: [{ additionalIdToken: 'x', type: 'T\u0000' }],
          },
        }),
      );
      assert.match(refused.description, /^Authorize: idToken\.additionalInfo\[0\]\.type holds U\+0000/);
      const answer = await station.call('Authorize', { idToken: { idToken: 'ABC', type: 'ISO14443' } });
      assert.ok(answer.idTokenInfo.status);
    });
  });
}
