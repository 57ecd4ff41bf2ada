/**
 * OCTT CSMS test cases of Part 6 §3.3 "B Provisioning" for Reset (B11, B12): the whole station or
 * one EVSE, idle or with a transaction, OnIdle or Immediate. The operator asks for the reboot at
 * POST /reset (soft → OnIdle, hard → Immediate); a real station answers and goes through the
 * script's transaction events and boot, and what the CSMS stored is checked.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type * as v201 from 'ocppkit/v201';
import { databaseKinds } from '../support/csms.js';
import { answer, booted, conformanceSuite, connectorStatuses, Session } from './conformance-support.js';
import { BOOT, notifyConnector, VALID_TOKEN } from './stations.js';

for (const kind of databaseKinds()) {
  describe(`OCTT B Provisioning, Reset [${kind}]`, () => {
    const { csms, stations, operator } = conformanceSuite(kind);

    /** A booted station with two EVSEs and a transaction charging on EVSE 1 (EnergyTransferStarted). */
    async function charging(identity: string): Promise<Session> {
      const station = await booted(stations, identity, 2);
      return new Session(station, `${identity}-TX`).energyTransferStarted();
    }

    /** The operator's reset; returns the ResetRequest the station received. */
    async function reset(
      station: v201.ChargePoint,
      body: { type: 'soft' | 'hard'; evseId?: number },
      status: v201.ResetStatusEnumType,
    ): Promise<v201.ResetRequest> {
      const received = answer(station, 'Reset', { status });
      const result = await operator.command(station.identity, 'reset', body);
      assert.equal(result.response.status, status);
      assert.equal(received.length, 1);
      return received[0] as v201.ResetRequest;
    }

    /** Steps "BootNotification ... Accepted", then every connector's state. */
    async function rebooted(
      station: v201.ChargePoint,
      reason: v201.BootReasonEnumType,
      states: v201.ConnectorStatusEnumType[],
    ): Promise<void> {
      assert.equal((await station.call('BootNotification', { ...BOOT, reason })).status, 'Accepted');
      for (const [index, state] of states.entries()) await notifyConnector(station, state, index + 1);
      assert.equal((await csms().stores.stations.get(station.identity))?.boot_reason, reason);
    }

    /** Steps 3-6 of the OnIdle cases: stop authorized while connected, then the EV leaves. */
    async function stopAndLeave(session: Session): Promise<void> {
      const stop = await session.tx.send('Updated', 'StopAuthorized', {
        idToken: VALID_TOKEN,
        transactionInfo: { chargingState: 'EVConnected' },
      });
      assert.equal(stop.idTokenInfo?.status, 'Accepted');
      await session.tx.send('Ended', 'EVCommunicationLost', {
        transactionInfo: { chargingState: 'Idle', stoppedReason: 'EVDisconnected' },
      });
      const stored = await session.stored(csms());
      assert.equal(stored.status, 'Ended');
      assert.equal(stored.stop_reason, 'EVDisconnected');
    }

    /** Step 3 of the Immediate cases: the station ends the transaction because of the reset. */
    async function endedByReset(session: Session): Promise<void> {
      const ended = await session.tx.send('Ended', 'ResetCommand', {
        transactionInfo: { chargingState: 'EVConnected', stoppedReason: 'ImmediateReset' },
      });
      assert.equal(ended.idTokenInfo, undefined, 'no idToken sent, none answered');
      const stored = await session.stored(csms());
      assert.equal(stored.status, 'Ended');
      assert.equal(stored.stop_reason, 'ImmediateReset');
    }

    test('TC_B_20_CSMS: Reset Charging Station - Without ongoing transaction - OnIdle', async () => {
      const station = await booted(stations, 'B20-STATION');
      assert.deepEqual(await reset(station, { type: 'soft' }, 'Accepted'), { type: 'OnIdle' });
      await rebooted(station, 'RemoteReset', ['Available']);
    });

    test('TC_B_21_CSMS: Reset Charging Station - With Ongoing Transaction - OnIdle', async () => {
      const session = await charging('B21-STATION');
      // Step 1: type OnIdle, for the station as a whole.
      assert.deepEqual(await reset(session.station, { type: 'soft' }, 'Scheduled'), { type: 'OnIdle' });
      await stopAndLeave(session);
      await rebooted(session.station, 'ScheduledReset', ['Available', 'Available']);
    });

    test('TC_B_22_CSMS: Reset Charging Station - With Ongoing Transaction - Immediate', async () => {
      const session = await charging('B22-STATION');
      assert.deepEqual(await reset(session.station, { type: 'hard' }, 'Accepted'), { type: 'Immediate' });
      await endedByReset(session);
      // Step 7: the configured connector is still Occupied (the EV is plugged in), the other Available.
      await rebooted(session.station, 'RemoteReset', ['Occupied', 'Available']);
      assert.deepEqual(await connectorStatuses(csms(), 'B22-STATION'), {
        '1/1': 'Occupied',
        '2/1': 'Available',
      });
    });

    test('TC_B_25_CSMS: Reset EVSE - Without ongoing transaction', async () => {
      const station = await booted(stations, 'B25-STATION', 2);
      assert.deepEqual(await reset(station, { type: 'soft', evseId: 2 }, 'Accepted'), {
        type: 'OnIdle',
        evseId: 2,
      });
    });

    test('TC_B_26_CSMS: Reset EVSE - With Ongoing Transaction - OnIdle', async () => {
      const session = await charging('B26-STATION');
      assert.deepEqual(await reset(session.station, { type: 'soft', evseId: 1 }, 'Scheduled'), {
        type: 'OnIdle',
        evseId: 1,
      });
      await stopAndLeave(session);
    });

    test('TC_B_27_CSMS: Reset EVSE - With Ongoing Transaction - Immediate', async () => {
      const session = await charging('B27-STATION');
      assert.deepEqual(await reset(session.station, { type: 'hard', evseId: 1 }, 'Accepted'), {
        type: 'Immediate',
        evseId: 1,
      });
      await endedByReset(session);
    });
  });
}
