/**
 * OCTT CSMS test cases of Part 6 §3.6 "E Transactions" that start with a command of the CSMS: the
 * remote stop (E06/F03) and GetTransactionStatus (E14), with and without queued messages, around a
 * station that lost its connection and comes back with what it queued offline. The operator sends
 * GetTransactionStatus through the generic POST /call/{action}.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type * as v201 from 'ocppkit/v201';
import { databaseKinds } from '../support/csms.js';
import { answer, booted, conformanceSuite, Session } from './conformance-support.js';
import { energyReading, eventually, nextTimestamp, Transaction, VALID_TOKEN } from './stations.js';

for (const kind of databaseKinds()) {
  describe(`OCTT E Transactions, CSMS commands [${kind}]`, () => {
    const { csms, stations, operator } = conformanceSuite(kind);

    async function charging(identity: string): Promise<Session> {
      return new Session(await booted(stations, identity), `${identity}-TX`).energyTransferStarted();
    }

    /**
     * Steps 1-2 of E14 with messages in queue: the station closes the WebSocket and reconnects
     * (without a reboot, so no BootNotification). The transaction carries on with its seqNo.
     */
    async function reconnected(session: Session): Promise<{ station: v201.ChargePoint; tx: Transaction }> {
      await session.station.close();
      const station = await stations.connect(session.station.identity);
      await eventually(async () => csms().gateway.isConnected(station.identity) || undefined);
      const tx = new Transaction(station, session.tx.id);
      tx.seqNo = session.tx.seqNo;
      return { station, tx };
    }

    /** The operator asks for the transaction status; returns what the station received. */
    async function transactionStatus(
      station: v201.ChargePoint,
      request: v201.GetTransactionStatusRequest,
      reply: v201.GetTransactionStatusResponse,
    ): Promise<v201.GetTransactionStatusRequest[]> {
      const received = answer(station, 'GetTransactionStatus', reply);
      const result = await operator.call(station.identity, 'GetTransactionStatus', request);
      assert.deepEqual(result.response, reply);
      return received;
    }

    /** Step 5: the Updated event queued offline, with its meter values, is stored as such. */
    async function queuedUpdate(tx: Transaction, identity: string): Promise<void> {
      await tx.send('Updated', 'MeterValuePeriodic', {
        offline: true,
        meterValue: [energyReading(4200, 'Sample.Periodic')],
      });
      const stored = await csms().stores.transactions.findByStationTransactionId(identity, tx.id);
      assert.ok(stored);
      const events = await csms().stores.transactions.listEvents(stored.id);
      assert.equal(events.at(-1)?.offline, true);
      const samples = await csms().stores.meterValues.listForTransaction(stored.id);
      assert.ok(samples.some((sample) => Number(sample.value) === 4200));
    }

    test('TC_E_21_CSMS: Stop transaction options - StopAuthorized - Remote', async () => {
      const session = await charging('E21-STATION');
      const received = answer(session.station, 'RequestStopTransaction', { status: 'Accepted' });
      // The operator stops the transaction the CSMS lists, by its CSMS id.
      const { id } = await session.stored(csms());
      await operator.command('E21-STATION', 'remote-stop', { transactionId: Number(id) });
      assert.deepEqual(received, [{ transactionId: session.tx.id }]);
      await session.tx.send('Ended', 'RemoteStop', { transactionInfo: { stoppedReason: 'Remote' } });
      const stored = await session.stored(csms());
      assert.equal(stored.status, 'Ended');
      assert.equal(stored.stop_reason, 'Remote');
    });

    test('TC_E_29_CSMS: Check Transaction status - Transaction with id ongoing - with message in queue', async () => {
      const session = await charging('E29-STATION');
      const { station, tx } = await reconnected(session);
      const received = await transactionStatus(
        station,
        { transactionId: tx.id },
        { ongoingIndicator: true, messagesInQueue: true },
      );
      assert.deepEqual(received, [{ transactionId: tx.id }]);
      await queuedUpdate(tx, 'E29-STATION');
    });

    test('TC_E_30_CSMS: Check Transaction status - Transaction with id ongoing - without message in queue', async () => {
      const session = await charging('E30-STATION');
      const received = await transactionStatus(
        session.station,
        { transactionId: session.tx.id },
        { ongoingIndicator: true, messagesInQueue: false },
      );
      assert.deepEqual(received, [{ transactionId: session.tx.id }]);
    });

    test('TC_E_31_CSMS: Check Transaction status - Transaction with id ended - with message in queue', async () => {
      const session = await charging('E31-STATION');
      const { station, tx } = await reconnected(session);
      // While offline the station queued StopAuthorized and EVConnected, then the EV left; the
      // Ended event gets through first (two seqNo values skipped), the other two only later.
      const [stopAt, connectedAt, endedAt] = [nextTimestamp(), nextTimestamp(), nextTimestamp()];
      const skipped = tx.seqNo;
      tx.seqNo += 2;
      await station.call('StatusNotification', {
        timestamp: endedAt,
        connectorStatus: 'Available',
        evseId: 1,
        connectorId: 1,
      });
      await tx.send('Ended', 'EVCommunicationLost', {
        offline: true,
        timestamp: endedAt,
        transactionInfo: { chargingState: 'Idle', stoppedReason: 'EVDisconnected' },
      });
      const received = await transactionStatus(
        station,
        { transactionId: tx.id },
        { ongoingIndicator: false, messagesInQueue: true },
      );
      assert.deepEqual(received, [{ transactionId: tx.id }]);
      const stop = await tx.send('Updated', 'StopAuthorized', {
        seqNo: skipped,
        offline: true,
        timestamp: stopAt,
        idToken: VALID_TOKEN,
      });
      assert.equal(stop.idTokenInfo?.status, 'Accepted');
      await tx.send('Updated', 'ChargingStateChanged', {
        seqNo: skipped + 1,
        offline: true,
        timestamp: connectedAt,
        transactionInfo: { chargingState: 'EVConnected' },
      });
      // Every event is kept, and the late ones do not reopen the transaction.
      const stored = await session.stored(csms());
      assert.equal(stored.status, 'Ended');
      assert.equal(stored.charging_state, 'Idle');
      const seqNos = (await csms().stores.transactions.listEvents(stored.id)).map((event) => event.seq_no);
      assert.deepEqual(
        [...seqNos].sort((a, b) => a - b),
        Array.from({ length: skipped + 3 }, (_, i) => i),
      );
    });

    test('TC_E_33_CSMS: Check Transaction status - Without transactionId - with message in queue', async () => {
      const session = await charging('E33-STATION');
      const { station, tx } = await reconnected(session);
      const received = await transactionStatus(station, {}, { messagesInQueue: true });
      assert.deepEqual(received, [{}], 'transactionId omitted');
      await queuedUpdate(tx, 'E33-STATION');
    });

    test('TC_E_34_CSMS: Check Transaction status - Without transactionId - without message in queue', async () => {
      const station = await booted(stations, 'E34-STATION');
      const received = await transactionStatus(station, {}, { messagesInQueue: false });
      assert.deepEqual(received, [{}], 'transactionId omitted');
    });
  });
}
