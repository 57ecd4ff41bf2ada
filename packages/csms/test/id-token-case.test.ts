/**
 * Id tokens are case-insensitive: OCPP 1.6 §7.28 ("IdToken is case insensitive", CiString20Type)
 * and 2.0.1 IdTokenType.idToken ("IdToken is case insensitive"). A token registered as "ABC" is the
 * token a station reads as "abc", for authorization and for its limit of concurrent transactions.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Stations } from './ocpp16/stations.js';
import { StationPool } from './ocpp201/stations.js';
import { databaseKinds, startTestCsms, type TestCsms } from './support/csms.js';

for (const kind of databaseKinds()) {
  describe(`id tokens ignore case [${kind}]`, () => {
    let csms: TestCsms;
    const stations16 = new Stations(() => csms);
    const stations201 = new StationPool(() => csms);
    before(async () => {
      csms = await startTestCsms(kind);
      await csms.stores.idTokens.create({ idToken: 'CASE-TAG-A1', parentIdToken: 'FLEET-1' });
      await csms.stores.idTokens.create({ idToken: 'ONE-AT-A-TIME', maxConcurrentTx: 1 });
      await csms.stores.idTokens.create({ idToken: 'Case-201-Token', type: 'ISO14443' });
    });
    after(async () => {
      await stations16.closeAll();
      await stations201.closeAll();
      await csms?.stop();
    });

    test('1.6 Authorize and StartTransaction accept the token in another case', async () => {
      const { station } = await stations16.booted();
      const authorized = await station.call('Authorize', { idTag: 'case-tag-a1' });
      assert.deepEqual(authorized.idTagInfo, { status: 'Accepted', parentIdTag: 'FLEET-1' });
      const started = await station.call('StartTransaction', {
        connectorId: 1,
        idTag: 'Case-Tag-A1',
        meterStart: 0,
        timestamp: new Date().toISOString(),
      });
      assert.equal(started.idTagInfo.status, 'Accepted');
      assert.equal(
        (await station.call('Authorize', { idTag: 'NOT-REGISTERED' })).idTagInfo.status,
        'Invalid',
      );
    });

    test('1.6 ConcurrentTx counts the running transactions of the token in any case', async () => {
      const { station } = await stations16.booted();
      const start = (connectorId: number, idTag: string) =>
        station.call('StartTransaction', {
          connectorId,
          idTag,
          meterStart: 0,
          timestamp: new Date(Date.UTC(2026, 1, 1, 0, connectorId)).toISOString(),
        });
      assert.equal((await start(1, 'one-at-a-time')).idTagInfo.status, 'Accepted');
      assert.equal((await start(2, 'ONE-AT-A-TIME')).idTagInfo.status, 'ConcurrentTx');
    });

    test('2.0.1 Authorize accepts the token in another case, of the same type only', async () => {
      const station = await stations201.booted('CASE-201-STATION');
      const authorized = await station.call('Authorize', {
        idToken: { idToken: 'CASE-201-TOKEN', type: 'ISO14443' },
      });
      assert.equal(authorized.idTokenInfo.status, 'Accepted');
      const otherType = await station.call('Authorize', {
        idToken: { idToken: 'case-201-token', type: 'eMAID' },
      });
      assert.equal(otherType.idTokenInfo.status, 'Unknown');
    });
  });
}
