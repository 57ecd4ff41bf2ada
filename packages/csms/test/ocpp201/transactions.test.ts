/**
 * OCPP 2.0.1 TransactionEvent (E01–E07, E10) with the OCTT CSMS test cases of Part 6 §3.6: start and
 * stop options and Reset Sequence Number, each played with the Reusable States of §3.18.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type * as v201 from 'ocppkit/v201';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import { energyReading, notifyConnector, StationPool, Transaction, VALID_TOKEN } from './stations.js';

const INVALID: v201.IdTokenType = { idToken: 'INVALID-E', type: 'ISO14443' };
const EVSE = { id: 1, connectorId: 1 };

for (const kind of databaseKinds()) {
  describe(`OCPP 2.0.1 transactions [${kind}]`, () => {
    let csms: TestCsms;
    const stations = new StationPool(() => csms);
    before(async () => {
      csms = await startTestCsms(kind);
      await csms.stores.idTokens.create(VALID_TOKEN);
    });
    after(async () => {
      await stations.closeAll();
      await csms.stop();
    });

    const stored = (identity: string, tx: Transaction) =>
      csms.stores.transactions.findByStationTransactionId(identity, tx.id);

    // The Reusable States of Part 6 §3.18, each a step of a session.
    async function authorized(station: v201.ChargePoint, tx: Transaction, evseConnected: boolean) {
      assert.equal(
        (await station.call('Authorize', { idToken: VALID_TOKEN })).idTokenInfo.status,
        'Accepted',
      );
      const response = await tx.send(evseConnected ? 'Updated' : 'Started', 'Authorized', {
        idToken: VALID_TOKEN,
      });
      assert.equal(response.idTokenInfo?.status, 'Accepted');
    }
    async function evConnectedPreSession(
      station: v201.ChargePoint,
      tx: Transaction,
      authorizedBefore: boolean,
    ) {
      await notifyConnector(station, 'Occupied');
      const response = await tx.send(authorizedBefore ? 'Updated' : 'Started', 'CablePluggedIn', {
        evse: EVSE,
        transactionInfo: { chargingState: 'EVConnected' },
      });
      assert.equal(response.idTokenInfo, undefined, 'no idToken, no idTokenInfo');
    }
    const charging = (tx: Transaction) =>
      tx.send('Updated', 'ChargingStateChanged', { transactionInfo: { chargingState: 'Charging' } });
    /** Authorized, cable plugged in, charging (Reusable State EnergyTransferStarted). */
    async function energyTransferStarted(identity: string, txId = `${identity}-TX`) {
      const station = await stations.booted(identity);
      const tx = new Transaction(station, txId);
      await authorized(station, tx, false);
      await evConnectedPreSession(station, tx, true);
      await charging(tx);
      return { station, tx };
    }
    async function stopAuthorized(tx: Transaction) {
      const response = await tx.send('Updated', 'StopAuthorized', { idToken: VALID_TOKEN });
      assert.equal(response.idTokenInfo?.status, 'Accepted');
    }
    const evConnectedPostSession = (tx: Transaction) =>
      tx.send('Updated', 'ChargingStateChanged', { transactionInfo: { chargingState: 'EVConnected' } });
    async function evDisconnected(station: v201.ChargePoint, tx: Transaction) {
      await notifyConnector(station, 'Available');
      await tx.send('Ended', 'EVCommunicationLost', {
        transactionInfo: { chargingState: 'Idle', stoppedReason: 'EVDisconnected' },
      });
    }

    test('TC_E_09_CSMS: Start transaction options - EVConnected', async () => {
      const station = await stations.booted('E09-STATION');
      const tx = new Transaction(station, 'E09-TX');
      await evConnectedPreSession(station, tx, false);
      const row = await stored('E09-STATION', tx);
      assert.equal(row?.status, 'Active');
      assert.equal(row?.evse_id, 1);
      assert.equal(row?.connector_id, 1);
      assert.equal(row?.charging_state, 'EVConnected');
      assert.equal(row?.id_token, null);
    });

    test('TC_E_10_CSMS: Start transaction options - Authorized - Local', async () => {
      const station = await stations.booted('E10-STATION');
      const tx = new Transaction(station, 'E10-TX');
      await authorized(station, tx, false);
      const row = await stored('E10-STATION', tx);
      assert.equal(row?.id_token, VALID_TOKEN.idToken);
      assert.equal(row?.id_token_type, VALID_TOKEN.type);
    });

    test('TC_E_11_CSMS: Start transaction options - DataSigned', async () => {
      const station = await stations.booted('E11-STATION');
      assert.equal(
        (await station.call('Authorize', { idToken: VALID_TOKEN })).idTokenInfo.status,
        'Accepted',
      );
      await notifyConnector(station, 'Occupied');
      const tx = new Transaction(station, 'E11-TX');
      const started = await tx.send('Started', 'SignedDataReceived', {
        idToken: VALID_TOKEN,
        evse: EVSE,
        meterValue: [energyReading(0, 'Transaction.Begin', true)],
      });
      assert.equal(started.idTokenInfo?.status, 'Accepted');
      await charging(tx);
      const row = await stored('E11-STATION', tx);
      const [sample] = await csms.stores.meterValues.listForTransaction(row!.id);
      assert.equal(sample?.value, 0);
      assert.equal(sample?.context, 'Transaction.Begin');
      assert.equal((sample?.signed_data as { encodingMethod?: string } | null)?.encodingMethod, 'OCMF');
      assert.equal(row?.charging_state, 'Charging');
    });

    test('TC_E_01_CSMS: Start transaction options - PowerPathClosed', async () => {
      const station = await stations.booted('E01-STATION');
      assert.equal(
        (await station.call('Authorize', { idToken: VALID_TOKEN })).idTokenInfo.status,
        'Accepted',
      );
      await notifyConnector(station, 'Occupied');
      const tx = new Transaction(station, 'E01-TX');
      const started = await tx.send('Started', 'ChargingStateChanged', {
        idToken: VALID_TOKEN,
        evse: EVSE,
        transactionInfo: { chargingState: 'SuspendedEVSE' },
      });
      assert.equal(started.idTokenInfo?.status, 'Accepted');
      await charging(tx);
      assert.equal((await stored('E01-STATION', tx))?.charging_state, 'Charging');
    });

    test('TC_E_02_CSMS: Start transaction options - EnergyTransfer', async () => {
      const station = await stations.booted('E02-STATION');
      assert.equal(
        (await station.call('Authorize', { idToken: VALID_TOKEN })).idTokenInfo.status,
        'Accepted',
      );
      await notifyConnector(station, 'Occupied');
      const tx = new Transaction(station, 'E02-TX');
      const started = await tx.send('Started', 'ChargingStateChanged', {
        idToken: VALID_TOKEN,
        evse: EVSE,
        transactionInfo: { chargingState: 'Charging' },
      });
      assert.equal(started.idTokenInfo?.status, 'Accepted');
    });

    test('TC_E_12_CSMS: Start transaction options - ParkingBayOccupied', async () => {
      const station = await stations.booted('E12-STATION');
      const tx = new Transaction(station, 'E12-TX');
      assert.deepEqual(await tx.send('Started', 'EVDetected'), {});
      assert.equal((await stored('E12-STATION', tx))?.status, 'Active');
    });

    test('TC_E_03_CSMS: Local start transaction - Cable plugin first - Success', async () => {
      const station = await stations.booted('E03-STATION');
      const tx = new Transaction(station, 'E03-TX');
      await evConnectedPreSession(station, tx, false);
      await authorized(station, tx, true);
      await charging(tx);
      const row = await stored('E03-STATION', tx);
      assert.equal(row?.id_token, VALID_TOKEN.idToken);
      assert.equal(row?.charging_state, 'Charging');
    });

    test('TC_E_04_CSMS: Local start transaction - Authorization first - Success', async () => {
      await energyTransferStarted('E04-STATION');
      const row = await csms.stores.transactions.findByStationTransactionId('E04-STATION', 'E04-STATION-TX');
      assert.equal(row?.evse_id, 1, 'the EVSE learnt from the later CablePluggedIn event (E01.FR.16)');
      assert.equal(row?.charging_state, 'Charging');
    });

    test('TC_E_38_CSMS: Local start transaction - EV not ready', async () => {
      const station = await stations.booted('E38-STATION');
      const tx = new Transaction(station, 'E38-TX');
      await authorized(station, tx, false);
      await evConnectedPreSession(station, tx, true);
      await tx.send('Updated', 'ChargingStateChanged', { transactionInfo: { chargingState: 'SuspendedEV' } });
      assert.equal((await stored('E38-STATION', tx))?.charging_state, 'SuspendedEV');
    });

    test('TC_E_14_CSMS: Stop transaction options - EVDisconnected - Charging Station side', async () => {
      const { station, tx } = await energyTransferStarted('E14-STATION');
      await stopAuthorized(tx);
      await evConnectedPostSession(tx);
      await evDisconnected(station, tx);
      const row = await stored('E14-STATION', tx);
      assert.equal(row?.status, 'Ended');
      assert.equal(row?.stop_reason, 'EVDisconnected');
      assert.equal(row?.charging_state, 'Idle');
      assert.ok(row?.stopped_at);
    });

    test('TC_E_20_CSMS: Stop transaction options - EVDisconnected - EV side (able to charge IEC 61851-1 EV)', async () => {
      const { station, tx } = await energyTransferStarted('E20-STATION');
      await tx.send('Updated', 'ChargingStateChanged', { transactionInfo: { chargingState: 'SuspendedEV' } });
      await stopAuthorized(tx);
      await evConnectedPostSession(tx);
      await evDisconnected(station, tx);
      assert.equal((await stored('E20-STATION', tx))?.status, 'Ended');
    });

    for (const [id, title] of [
      ['TC_E_15_CSMS', 'StopAuthorized - Local'],
      ['TC_E_07_CSMS', 'PowerPathClosed - Local stop'],
    ]) {
      test(`${id}: Stop transaction options - ${title}`, async () => {
        const { tx } = await energyTransferStarted(`${id}-STATION`);
        const response = await tx.send('Ended', 'StopAuthorized', {
          idToken: VALID_TOKEN,
          transactionInfo: { stoppedReason: 'Local' },
        });
        assert.equal(response.idTokenInfo?.status, 'Accepted');
        const row = await stored(`${id}-STATION`, tx);
        assert.equal(row?.status, 'Ended');
        assert.equal(row?.stop_reason, 'Local');
        assert.equal(row?.stop_id_token, VALID_TOKEN.idToken);
      });
    }

    test('TC_E_16_CSMS: Stop transaction options - Deauthorized - Invalid idToken', async () => {
      const station = await stations.booted('E16-STATION');
      const tx = new Transaction(station, 'E16-TX');
      const started = await tx.send('Started', 'Authorized', { idToken: INVALID });
      assert.equal(started.idTokenInfo?.status, 'Unknown');
      await tx.send('Ended', 'Deauthorized', { transactionInfo: { stoppedReason: 'DeAuthorized' } });
      const row = await stored('E16-STATION', tx);
      assert.equal(row?.status, 'Ended');
      assert.equal(row?.stop_reason, 'DeAuthorized');
    });

    test('TC_E_17_CSMS: Stop transaction options - Deauthorized - EV side disconnect', async () => {
      const { tx } = await energyTransferStarted('E17-STATION');
      await tx.send('Updated', 'ChargingStateChanged', { transactionInfo: { chargingState: 'SuspendedEV' } });
      await tx.send('Ended', 'EVCommunicationLost', {
        transactionInfo: { chargingState: 'Idle', stoppedReason: 'EVDisconnected' },
      });
      assert.equal((await stored('E17-STATION', tx))?.stop_reason, 'EVDisconnected');
    });

    test('TC_E_39_CSMS: Stop transaction options - Deauthorized - timeout', async () => {
      const station = await stations.booted('E39-STATION');
      const tx = new Transaction(station, 'E39-TX');
      await authorized(station, tx, false);
      await tx.send('Ended', 'EVConnectTimeout', { transactionInfo: { stoppedReason: 'Timeout' } });
      const row = await stored('E39-STATION', tx);
      assert.equal(row?.status, 'Ended');
      assert.equal(row?.stop_reason, 'Timeout');
    });

    test('TC_E_08_CSMS: Stop transaction options - EnergyTransfer stopped - StopAuthorized', async () => {
      const { tx } = await energyTransferStarted('E08-STATION');
      await stopAuthorized(tx);
      await tx.send('Ended', 'ChargingStateChanged', {
        transactionInfo: { chargingState: 'EVConnected', stoppedReason: 'Local' },
      });
      const row = await stored('E08-STATION', tx);
      assert.equal(row?.status, 'Ended');
      assert.equal(row?.charging_state, 'EVConnected');
    });

    test('TC_E_22_CSMS: Stop transaction options - EnergyTransfer stopped - SuspendedEV', async () => {
      const { tx } = await energyTransferStarted('E22-STATION');
      await tx.send('Ended', 'ChargingStateChanged', {
        transactionInfo: { chargingState: 'SuspendedEV', stoppedReason: 'StoppedByEV' },
      });
      assert.equal((await stored('E22-STATION', tx))?.stop_reason, 'StoppedByEV');
    });

    test('TC_E_19_CSMS: Stop transaction options - ParkingBayUnoccupied', async () => {
      const { station, tx } = await energyTransferStarted('E19-STATION');
      await stopAuthorized(tx);
      await evConnectedPostSession(tx);
      // With TxStopPoint ParkingBayOccupancy, unplugging only updates the transaction (E06).
      await notifyConnector(station, 'Available');
      await tx.send('Updated', 'EVCommunicationLost', { transactionInfo: { chargingState: 'Idle' } });
      assert.equal((await stored('E19-STATION', tx))?.status, 'Active');
      await tx.send('Ended', 'EVDeparted', { transactionInfo: { stoppedReason: 'Local' } });
      assert.equal((await stored('E19-STATION', tx))?.status, 'Ended');
    });

    test('TC_E_26_CSMS: Disconnect cable on EV-side - Suspend transaction', async () => {
      const { station, tx } = await energyTransferStarted('E26-STATION');
      await tx.send('Updated', 'ChargingStateChanged', { transactionInfo: { chargingState: 'SuspendedEV' } });
      await tx.send('Updated', 'EVCommunicationLost', { transactionInfo: { chargingState: 'Idle' } });
      await notifyConnector(station, 'Available');
      await tx.send('Updated', 'CablePluggedIn', { transactionInfo: { chargingState: 'EVConnected' } });
      await charging(tx);
      const row = await stored('E26-STATION', tx);
      assert.equal(row?.status, 'Active');
      assert.equal(row?.charging_state, 'Charging');
      assert.equal((await csms.stores.transactions.listEvents(row!.id)).length, 7);
    });

    test('TC_E_53_CSMS: Reset Sequence Number - CSMS accepting seqNo = 0 at start of transaction', async () => {
      const { station, tx } = await energyTransferStarted('E53-STATION', 'E53-TX-A');
      await stopAuthorized(tx);
      await evConnectedPostSession(tx);
      await evDisconnected(station, tx);
      const next = new Transaction(station, 'E53-TX-B');
      await authorized(station, next, false);
      await evConnectedPreSession(station, next, true);
      await charging(next);
      await stopAuthorized(next);
      await evConnectedPostSession(next);
      await evDisconnected(station, next);
      const [a, b] = [await stored('E53-STATION', tx), await stored('E53-STATION', next)];
      assert.notEqual(a?.id, b?.id);
      for (const row of [a, b]) {
        const events = await csms.stores.transactions.listEvents(row!.id);
        assert.equal(events[0]?.seq_no, 0);
        assert.equal(events[0]?.event_type, 'Started');
        assert.equal(row?.status, 'Ended');
      }
    });
  });
}
