/**
 * OCPP 1.6 Authorize and the idTagInfo of StartTransaction / StopTransaction: every authorization
 * status, expiry, parentIdTag and the limit of concurrent transactions (cf. OCTT 2.0.1 TC_C_02,
 * TC_C_06, TC_C_07, TC_C_39 for the CSMS).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import { nextTimestamp, Stations } from './stations.js';

for (const kind of databaseKinds()) {
  describe(`OCPP 1.6 authorization [${kind}]`, () => {
    let csms: TestCsms;
    const stations = new Stations(() => csms);
    const future = new Date(Date.now() + 86_400_000);

    before(async () => {
      csms = await startTestCsms(kind);
      const tokens = csms.stores.idTokens;
      await tokens.create({ idToken: 'ACCEPTED', expiresAt: future });
      await tokens.create({ idToken: 'BLOCKED', status: 'Blocked' });
      await tokens.create({ idToken: 'EXPIRED', expiresAt: new Date(Date.now() - 60_000) });
      await tokens.create({ idToken: 'FAMILY-A', parentIdToken: 'FAMILY' });
      await tokens.create({ idToken: 'SINGLE', maxConcurrentTx: 1 });
    });
    after(async () => {
      await stations.closeAll();
      await csms.stop();
    });

    test('a known token is Accepted with its expiryDate', async () => {
      const { station } = await stations.booted();
      const { idTagInfo } = await station.call('Authorize', { idTag: 'ACCEPTED' });
      assert.equal(idTagInfo.status, 'Accepted');
      assert.equal(idTagInfo.expiryDate, future.toISOString());
      assert.equal(idTagInfo.parentIdTag, undefined);
    });

    test('a blocked token is Blocked (TC_C_06)', async () => {
      const { station } = await stations.booted();
      const { idTagInfo } = await station.call('Authorize', { idTag: 'BLOCKED' });
      assert.equal(idTagInfo.status, 'Blocked');
    });

    test('a token past its expiry date is Expired (TC_C_07)', async () => {
      const { station } = await stations.booted();
      const { idTagInfo } = await station.call('Authorize', { idTag: 'EXPIRED' });
      assert.equal(idTagInfo.status, 'Expired');
    });

    test('an unknown token is Invalid, 1.6 having no Unknown (TC_C_02)', async () => {
      const { station } = await stations.booted();
      const { idTagInfo } = await station.call('Authorize', { idTag: 'NOBODY-KNOWS-ME' });
      assert.deepEqual(idTagInfo, { status: 'Invalid' });
    });

    test('the group of a token is answered as parentIdTag (TC_C_39)', async () => {
      const { station } = await stations.booted();
      const { idTagInfo } = await station.call('Authorize', { idTag: 'FAMILY-A' });
      assert.deepEqual(idTagInfo, { status: 'Accepted', parentIdTag: 'FAMILY' });
    });

    test('StartTransaction verifies the idTag again and still stores the transaction', async () => {
      const { identity, station } = await stations.booted();
      const answer = await station.call('StartTransaction', {
        connectorId: 1,
        idTag: 'BLOCKED',
        meterStart: 0,
        timestamp: nextTimestamp(),
      });
      assert.equal(answer.idTagInfo.status, 'Blocked');
      const stored = await csms.stores.transactions.get(answer.transactionId);
      assert.equal(stored?.station_identity, identity);
      assert.equal(stored?.status, 'Active');
    });

    test('a second transaction of a token limited to one is ConcurrentTx; the first stays Accepted', async () => {
      const { station } = await stations.booted();
      const first = {
        connectorId: 1,
        idTag: 'SINGLE',
        meterStart: 0,
        timestamp: nextTimestamp(),
      };
      const started = await station.call('StartTransaction', first);
      assert.equal(started.idTagInfo.status, 'Accepted', 'the transaction does not count itself');
      const second = await station.call('StartTransaction', {
        ...first,
        connectorId: 2,
        timestamp: nextTimestamp(),
      });
      assert.equal(second.idTagInfo.status, 'ConcurrentTx');
      assert.notEqual(second.transactionId, started.transactionId);
      // The first one resent gets its first answer back: only earlier transactions count.
      const resent = await station.call('StartTransaction', first);
      assert.deepEqual(resent, started);
      // §7.2: ConcurrentTx is only for StartTransaction; Authorize answers are cached by stations.
      const authorized = await station.call('Authorize', { idTag: 'SINGLE' });
      assert.equal(authorized.idTagInfo.status, 'Accepted');
      // Once both have stopped, the token may start again.
      for (const transactionId of [started.transactionId, second.transactionId]) {
        await station.call('StopTransaction', { transactionId, meterStop: 10, timestamp: nextTimestamp() });
      }
      const third = await station.call('StartTransaction', { ...first, timestamp: nextTimestamp() });
      assert.equal(third.idTagInfo.status, 'Accepted');
    });

    test('StopTransaction answers the idTagInfo of the token that stopped it', async () => {
      const { station } = await stations.booted();
      const { transactionId } = await station.call('StartTransaction', {
        connectorId: 1,
        idTag: 'ACCEPTED',
        meterStart: 0,
        timestamp: nextTimestamp(),
      });
      const withTag = await station.call('StopTransaction', {
        transactionId,
        meterStop: 100,
        timestamp: nextTimestamp(),
        idTag: 'FAMILY-A',
      });
      assert.deepEqual(withTag.idTagInfo, { status: 'Accepted', parentIdTag: 'FAMILY' });
    });

    test('StopTransaction without an idTag answers no idTagInfo', async () => {
      const { station } = await stations.booted();
      const { transactionId } = await station.call('StartTransaction', {
        connectorId: 1,
        idTag: 'ACCEPTED',
        meterStart: 0,
        timestamp: nextTimestamp(),
      });
      const answer = await station.call('StopTransaction', {
        transactionId,
        meterStop: 100,
        timestamp: nextTimestamp(),
        reason: 'Reboot',
      });
      assert.deepEqual(answer, {});
    });
  });
}
