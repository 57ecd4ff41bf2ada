/**
 * OCPP 2.0.1 authorization (C01, C02, C07, C09, C12, C16, E05) with the OCTT CSMS test cases of
 * Part 6 §3.4: Authorize and the idTokenInfo of TransactionEvent, against every database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type * as v201 from 'ocppkit/v201';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import { notifyConnector, StationPool, Transaction, VALID_TOKEN } from './stations.js';

const token = (idToken: string): v201.IdTokenType => ({ idToken, type: 'ISO14443' });
const VALID2 = token('VALID2-201');
const INVALID = token('INVALID-201');
const BLOCKED = token('BLOCKED-201');
const EXPIRED = token('EXPIRED-201');
const MASTER = token('MASTER-201');
const LIMITED = token('LIMITED-201');
const GROUP = 'GROUP-201';
const MASTER_PASS_GROUP = 'MASTERPASS-201';
const FUTURE = new Date(Date.now() + 30 * 86_400_000);

for (const kind of databaseKinds()) {
  describe(`OCPP 2.0.1 authorization [${kind}]`, () => {
    let csms: TestCsms;
    const stations = new StationPool(() => csms);
    before(async () => {
      csms = await startTestCsms(kind);
      const tokens = csms.stores.idTokens;
      await tokens.create({ ...VALID_TOKEN, parentIdToken: GROUP, expiresAt: FUTURE });
      await tokens.create({ ...VALID2, parentIdToken: GROUP });
      await tokens.create({ ...INVALID, status: 'Invalid' });
      await tokens.create({ ...BLOCKED, status: 'Blocked' });
      await tokens.create({ ...EXPIRED, expiresAt: new Date(Date.now() - 86_400_000) });
      await tokens.create({ ...MASTER, parentIdToken: MASTER_PASS_GROUP });
      await tokens.create({ ...LIMITED, maxConcurrentTx: 1 });
    });
    after(async () => {
      await stations.closeAll();
      await csms.stop();
    });

    const authorize = async (station: v201.ChargePoint, idToken: v201.IdTokenType) =>
      (await station.call('Authorize', { idToken })).idTokenInfo;

    test('TC_C_02_CSMS: Local start transaction - Authorization Invalid/Unknown', async () => {
      const station = await stations.booted('C02-STATION');
      assert.equal((await authorize(station, token('NEVER-SEEN'))).status, 'Unknown');
      assert.equal((await authorize(station, INVALID)).status, 'Invalid');
    });

    test('TC_C_06_CSMS: Local start transaction - Authorization Blocked', async () => {
      const station = await stations.booted('C06-STATION');
      assert.equal((await authorize(station, BLOCKED)).status, 'Blocked');
    });

    test('TC_C_07_CSMS: Local start transaction - Authorization Expired', async () => {
      const station = await stations.booted('C07-STATION');
      assert.equal((await authorize(station, EXPIRED)).status, 'Expired');
    });

    test('Authorize reports expiry and group (C01.FR.06) and matches the token type', async () => {
      const station = await stations.booted('C01-STATION');
      const info = await authorize(station, VALID_TOKEN);
      assert.equal(info.status, 'Accepted');
      assert.equal(info.cacheExpiryDateTime, FUTURE.toISOString());
      assert.deepEqual(info.groupIdToken, { idToken: GROUP, type: 'Central' });
      const otherType = await authorize(station, { idToken: VALID_TOKEN.idToken, type: 'KeyCode' });
      assert.equal(otherType.status, 'Unknown', 'a token is its text and its type');
    });

    test('TC_C_39_CSMS: Authorization by GroupId - Success', async () => {
      const station = await stations.booted('C39-STATION');
      const tx = new Transaction(station, 'C39-TX');
      // EVConnectedPreSession
      await notifyConnector(station, 'Occupied');
      await tx.send('Started', 'CablePluggedIn', {
        evse: { id: 1, connectorId: 1 },
        transactionInfo: { chargingState: 'EVConnected' },
      });
      const step2 = await authorize(station, VALID2);
      assert.equal(step2.status, 'Accepted');
      assert.equal(step2.groupIdToken?.idToken, GROUP);
      const step4 = await tx.send('Updated', 'Authorized', { idToken: VALID_TOKEN });
      assert.equal(step4.idTokenInfo?.status, 'Accepted');
      assert.equal(step4.idTokenInfo?.groupIdToken?.idToken, GROUP);
      await tx.send('Updated', 'ChargingStateChanged', { transactionInfo: { chargingState: 'Charging' } });
      const step7 = await authorize(station, VALID2);
      assert.equal(step7.status, 'Accepted');
      assert.equal(step7.groupIdToken?.idToken, GROUP);
      const step9 = await tx.send('Updated', 'StopAuthorized', { idToken: VALID2 });
      assert.equal(step9.idTokenInfo?.status, 'Accepted');
      assert.equal(step9.idTokenInfo?.groupIdToken?.idToken, GROUP);
      // EVConnectedPostSession, EVDisconnected
      await tx.send('Updated', 'ChargingStateChanged', { transactionInfo: { chargingState: 'EVConnected' } });
      await notifyConnector(station, 'Available');
      await tx.send('Ended', 'EVCommunicationLost', {
        transactionInfo: { chargingState: 'Idle', stoppedReason: 'EVDisconnected' },
      });
      const stored = await csms.stores.transactions.findByStationTransactionId('C39-STATION', 'C39-TX');
      assert.equal(stored?.id_token, VALID_TOKEN.idToken, 'the token that started it');
      assert.equal(stored?.status, 'Ended');
      assert.equal(stored?.stop_reason, 'EVDisconnected');
    });

    /** Two transactions charging on EVSE 1 and 2 (Reusable State EnergyTransferStarted for each). */
    async function twoCharging(identity: string): Promise<[v201.ChargePoint, Transaction, Transaction]> {
      const station = await stations.booted(identity);
      const transactions: Transaction[] = [];
      for (const [evse, idToken] of [
        [1, VALID_TOKEN],
        [2, VALID2],
      ] as const) {
        const tx = new Transaction(station, `${identity}-TX${evse}`);
        await notifyConnector(station, 'Occupied', evse);
        await tx.send('Started', 'Authorized', {
          idToken,
          evse: { id: evse, connectorId: 1 },
          transactionInfo: { chargingState: 'EVConnected' },
        });
        await tx.send('Updated', 'ChargingStateChanged', { transactionInfo: { chargingState: 'Charging' } });
        transactions.push(tx);
      }
      return [station, transactions[0]!, transactions[1]!];
    }

    async function assertEndedByMasterPass(identity: string, tx: Transaction, stopToken: string) {
      const stored = await csms.stores.transactions.findByStationTransactionId(identity, tx.id);
      assert.equal(stored?.status, 'Ended');
      assert.equal(stored?.stop_reason, 'MasterPass');
      assert.equal(stored?.stop_id_token, stopToken);
    }

    test('TC_C_47_CSMS: Stop Transaction with a Master Pass - With UI - All transactions', async () => {
      const [station, tx1, tx2] = await twoCharging('C47-STATION');
      const step2 = await authorize(station, MASTER);
      assert.equal(step2.status, 'Accepted');
      assert.equal(step2.groupIdToken?.idToken, MASTER_PASS_GROUP);
      for (const tx of [tx1, tx2]) {
        const step4 = await tx.send('Ended', 'StopAuthorized', {
          idToken: MASTER,
          transactionInfo: { stoppedReason: 'MasterPass' },
        });
        assert.equal(step4.idTokenInfo?.status, 'Accepted');
        await assertEndedByMasterPass('C47-STATION', tx, MASTER.idToken);
      }
    });

    test('TC_C_48_CSMS: Stop Transaction with a Master Pass - With UI - Specific transactions', async () => {
      const [station, tx1, tx2] = await twoCharging('C48-STATION');
      assert.equal((await authorize(station, VALID_TOKEN)).status, 'Accepted');
      const step4 = await tx1.send('Ended', 'StopAuthorized', {
        idToken: MASTER,
        transactionInfo: { stoppedReason: 'MasterPass' },
      });
      assert.equal(step4.idTokenInfo?.status, 'Accepted');
      assert.equal(step4.idTokenInfo?.groupIdToken?.idToken, MASTER_PASS_GROUP);
      await assertEndedByMasterPass('C48-STATION', tx1, MASTER.idToken);
      const other = await csms.stores.transactions.findByStationTransactionId('C48-STATION', tx2.id);
      assert.equal(other?.status, 'Active', 'only the selected transaction stopped');
    });

    test('TC_C_49_CSMS: Stop Transaction with a Master Pass - Without UI', async () => {
      const [station, tx1, tx2] = await twoCharging('C49-STATION');
      assert.equal((await authorize(station, MASTER)).status, 'Accepted');
      for (const [tx, idToken] of [
        [tx1, VALID_TOKEN],
        [tx2, VALID2],
      ] as const) {
        const step4 = await tx.send('Ended', 'StopAuthorized', {
          idToken,
          transactionInfo: { stoppedReason: 'MasterPass' },
        });
        assert.equal(step4.idTokenInfo?.status, 'Accepted');
        await assertEndedByMasterPass('C49-STATION', tx, idToken.idToken);
      }
    });

    test('TC_C_08_CSMS: Authorization through authorization cache - Accepted', async () => {
      const station = await stations.booted('C08-STATION');
      const tx = new Transaction(station, 'C08-TX');
      await notifyConnector(station, 'Occupied');
      await tx.send('Started', 'CablePluggedIn', {
        evse: { id: 1, connectorId: 1 },
        transactionInfo: { chargingState: 'EVConnected' },
      });
      const response = await tx.send('Updated', 'Authorized', { idToken: VALID_TOKEN });
      assert.equal(response.idTokenInfo?.status, 'Accepted');
    });

    test('TC_C_20_CSMS: Authorization through authorization cache - Invalid', async () => {
      const station = await stations.booted('C20-STATION');
      const tx = new Transaction(station, 'C20-TX');
      await notifyConnector(station, 'Occupied');
      await tx.send('Started', 'CablePluggedIn', {
        evse: { id: 1, connectorId: 1 },
        transactionInfo: { chargingState: 'EVConnected' },
      });
      const response = await tx.send('Updated', 'Authorized', { idToken: INVALID });
      assert.equal(response.idTokenInfo?.status, 'Invalid');
      const stored = await csms.stores.transactions.findByStationTransactionId('C20-STATION', 'C20-TX');
      assert.equal(stored?.id_token, INVALID.idToken, 'stored anyway: the station decides what to do (E05)');
    });

    test('a transaction started without authorization is Accepted (C02.FR.02)', async () => {
      const station = await stations.booted('C02-NOAUTH');
      const tx = new Transaction(station, 'C02-NOAUTH-TX');
      const response = await tx.send('Started', 'Authorized', {
        idToken: { idToken: '', type: 'NoAuthorization' },
        evse: { id: 1, connectorId: 1 },
      });
      assert.deepEqual(response.idTokenInfo, { status: 'Accepted' });
    });

    test('ConcurrentTx counts other transactions only, and only when starting (E05)', async () => {
      const station = await stations.booted('E05-CONCURRENT');
      const first = new Transaction(station, 'E05-TX1');
      const started = first.event('Started', 'Authorized', {
        idToken: LIMITED,
        evse: { id: 1, connectorId: 1 },
      });
      assert.equal((await station.call('TransactionEvent', started)).idTokenInfo?.status, 'Accepted');
      const second = new Transaction(station, 'E05-TX2');
      const secondStart = await second.send('Started', 'Authorized', {
        idToken: LIMITED,
        evse: { id: 2, connectorId: 1 },
      });
      assert.equal(secondStart.idTokenInfo?.status, 'ConcurrentTx');
      const resent = await station.call('TransactionEvent', started);
      assert.equal(resent.idTokenInfo?.status, 'Accepted', 'a resent event gets its first answer again');
      assert.equal((await authorize(station, LIMITED)).status, 'Accepted', 'ConcurrentTx is for starts only');
      const stop = await first.send('Ended', 'StopAuthorized', { idToken: LIMITED });
      assert.equal(stop.idTokenInfo?.status, 'Accepted');
    });

    test('a contract certificate that cannot be verified: CertChainError, Invalid (C07.FR.17)', async () => {
      const station = await stations.booted('C07-PNC');
      const response = await station.call('Authorize', {
        idToken: { idToken: 'NL-ABC-C12345678-X', type: 'eMAID' },
        iso15118CertificateHashData: [
          {
            hashAlgorithm: 'SHA256',
            issuerNameHash: 'a'.repeat(64),
            issuerKeyHash: 'b'.repeat(64),
            serialNumber: '0123',
            responderURL: 'http://ocsp.example.com',
          },
        ],
      });
      assert.equal(response.certificateStatus, 'CertChainError');
      assert.equal(response.idTokenInfo.status, 'Invalid');
    });
  });
}
