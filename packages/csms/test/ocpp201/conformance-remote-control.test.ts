/**
 * OCTT CSMS test cases of Part 6 §3.7 "F Remote Control" for the remote start (F01, F02, E03) and
 * the remote unlock (F05): the operator starts a session at POST /remote-start (the CSMS generates
 * the remoteStartId) or unlocks at POST /unlock; a real station answers and plays the rest of the
 * script, and the transaction the CSMS stored is checked. TriggerMessage is in
 * conformance-trigger-message.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type * as v201 from 'ocppkit/v201';
import { databaseKinds } from '../support/csms.js';
import { answer, booted, conformanceSuite, Session } from './conformance-support.js';
import { VALID_TOKEN } from './stations.js';

for (const kind of databaseKinds()) {
  describe(`OCTT F Remote Control, remote start and unlock [${kind}]`, () => {
    const { csms, stations, operator } = conformanceSuite(kind);

    /**
     * The operator's remote start for the configured valid idToken; checks step 1's tool
     * validations and returns the remoteStartId the CSMS sent.
     */
    async function remoteStart(
      station: v201.ChargePoint,
      reply: v201.RequestStartTransactionResponse,
    ): Promise<number> {
      const received = answer(station, 'RequestStartTransaction', reply);
      await operator.command(station.identity, 'remote-start', { idToken: VALID_TOKEN.idToken, evseId: 1 });
      assert.equal(received.length, 1);
      const [request] = received as [v201.RequestStartTransactionRequest];
      assert.deepEqual(request.idToken, VALID_TOKEN, 'the configured idToken and its type');
      assert.equal(request.evseId, 1);
      assert.ok(Number.isInteger(request.remoteStartId));
      return request.remoteStartId;
    }

    /** Step "TransactionEvent with triggerReason RemoteStart and the remoteStartId". */
    async function remoteStarted(
      session: Session,
      eventType: v201.TransactionEventEnumType,
      remoteStartId: number,
    ) {
      const response = await session.tx.send(eventType, 'RemoteStart', {
        idToken: VALID_TOKEN,
        ...(eventType === 'Started' && { evse: session.evse }),
        transactionInfo: { remoteStartId },
      });
      assert.equal(response.idTokenInfo?.status, 'Accepted');
    }

    test('TC_F_01_CSMS: Remote start transaction - Cable plugin first', async () => {
      const session = new Session(await booted(stations, 'F01-STATION'), 'F01-TX');
      await session.evConnected(false);
      const remoteStartId = await remoteStart(session.station, {
        status: 'Accepted',
        transactionId: session.tx.id,
      });
      await remoteStarted(session, 'Updated', remoteStartId);
      await session.charging();
      const stored = await session.stored(csms());
      assert.equal(stored.remote_start_id, remoteStartId);
      assert.equal(stored.id_token, VALID_TOKEN.idToken);
      assert.equal(stored.charging_state, 'Charging');
    });

    test('TC_F_02_CSMS: Remote start transaction - Remote start first - AuthorizeRemoteStart is true', async () => {
      const session = new Session(await booted(stations, 'F02-STATION'), 'F02-TX');
      const remoteStartId = await remoteStart(session.station, { status: 'Accepted' });
      // Steps 3-4: the station authorizes the token first, like a local start.
      const authorize = await session.station.call('Authorize', { idToken: VALID_TOKEN });
      assert.equal(authorize.idTokenInfo.status, 'Accepted');
      await remoteStarted(session, 'Started', remoteStartId);
      await session.evConnected(true);
      await session.charging();
      const stored = await session.stored(csms());
      assert.equal(stored.remote_start_id, remoteStartId);
      assert.equal(stored.status, 'Active');
      assert.equal(stored.charging_state, 'Charging');
    });

    test('TC_F_03_CSMS: Remote start transaction - Remote start first - AuthorizeRemoteStart is false', async () => {
      const session = new Session(await booted(stations, 'F03-STATION'), 'F03-TX');
      const remoteStartId = await remoteStart(session.station, { status: 'Accepted' });
      await remoteStarted(session, 'Started', remoteStartId);
      await session.evConnected(true);
      await session.charging();
      const stored = await session.stored(csms());
      assert.equal(stored.remote_start_id, remoteStartId);
      assert.equal(stored.charging_state, 'Charging');
    });

    test('TC_F_04_CSMS: Remote start transaction - Remote start first - Cable plugin timeout', async () => {
      const session = new Session(await booted(stations, 'F04-STATION'), 'F04-TX');
      const remoteStartId = await remoteStart(session.station, { status: 'Accepted' });
      await remoteStarted(session, 'Started', remoteStartId);
      // Step 5 (E03.FR.05): no EV within EVConnectionTimeOut; the station deauthorizes.
      assert.deepEqual(await session.tx.send('Updated', 'EVConnectTimeout'), {});
      const stored = await session.stored(csms());
      const events = await csms().stores.transactions.listEvents(stored.id);
      assert.deepEqual(
        events.map((event) => event.trigger_reason),
        ['RemoteStart', 'EVConnectTimeout'],
      );
      assert.equal(stored.remote_start_id, remoteStartId);
    });

    test('TC_F_06_CSMS: Remote unlock Connector - Without ongoing transaction - Accepted', async () => {
      const station = await booted(stations, 'F06-STATION');
      const received = answer(station, 'UnlockConnector', { status: 'Unlocked' });
      const result = await operator.command('F06-STATION', 'unlock', { evseId: 1, connectorId: 1 });
      assert.deepEqual(received, [{ evseId: 1, connectorId: 1 }]);
      assert.equal(result.response.status, 'Unlocked');
    });
  });
}
