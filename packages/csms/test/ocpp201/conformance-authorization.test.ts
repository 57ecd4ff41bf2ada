/**
 * OCTT CSMS test cases of Part 6 §3.4 "C Authorization" that start with a command of the CSMS:
 * clearing the station's authorization cache (C11) at POST /clear-cache. The cases the station
 * starts (Authorize, master pass, group id) are in authorization.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { databaseKinds } from '../support/csms.js';
import { answer, booted, conformanceSuite } from './conformance-support.js';
import { VALID_TOKEN } from './stations.js';

for (const kind of databaseKinds()) {
  describe(`OCTT C Authorization, CSMS commands [${kind}]`, () => {
    const { stations, operator } = conformanceSuite(kind);

    test('TC_C_37_CSMS: Clear Authorization Data in Authorization Cache - Accepted', async () => {
      const station = await booted(stations, 'C37-STATION');
      const received = answer(station, 'ClearCache', { status: 'Accepted' });
      const result = await operator.command('C37-STATION', 'clear-cache');
      assert.deepEqual(received, [{}]);
      assert.equal(result.response.status, 'Accepted');
      // The token is authorized online again once the cache is gone.
      const authorize = await station.call('Authorize', { idToken: VALID_TOKEN });
      assert.equal(authorize.idTokenInfo.status, 'Accepted');
    });

    test('TC_C_38_CSMS: Clear Authorization Data in Authorization Cache - Rejected', async () => {
      const station = await booted(stations, 'C38-STATION');
      const received = answer(station, 'ClearCache', { status: 'Rejected' });
      const result = await operator.command('C38-STATION', 'clear-cache');
      assert.deepEqual(received, [{}]);
      // The refusal reaches the operator as the station's answer; the session carries on.
      assert.equal(result.response.status, 'Rejected');
      assert.ok((await station.call('Heartbeat', {})).currentTime);
    });
  });
}
