/**
 * OCTT CSMS test cases of Part 6 §3.8 "G Availability" for ChangeAvailability (G03, G04): an EVSE,
 * a connector or the whole station, idle or with a transaction (the station answers Scheduled and
 * changes once the session is over). The operator asks at POST /change-availability; the station
 * reports its connectors, and the statuses the CSMS stored are checked.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type * as v201 from 'ocppkit/v201';
import { databaseKinds } from '../support/csms.js';
import { answer, booted, conformanceSuite, connectorStatuses, Session } from './conformance-support.js';
import { notifyConnector } from './stations.js';

type Target = { evseId?: number; connectorId?: number };

for (const kind of databaseKinds()) {
  describe(`OCTT G Availability [${kind}]`, () => {
    const { csms, stations, operator } = conformanceSuite(kind);

    /** The operator's ChangeAvailability, answered `status`; returns the request the station got. */
    async function changeAvailability(
      station: v201.ChargePoint,
      operational: v201.OperationalStatusEnumType,
      target: Target,
      status: v201.ChangeAvailabilityStatusEnumType = 'Accepted',
    ): Promise<v201.ChangeAvailabilityRequest> {
      const received = answer(station, 'ChangeAvailability', { status });
      const result = await operator.command(station.identity, 'change-availability', {
        status: operational,
        ...target,
      });
      assert.equal(result.response.status, status);
      assert.equal(received.length, 1);
      return received[0] as v201.ChangeAvailabilityRequest;
    }

    /**
     * Reusable State Unavailable (Table 700) and its way back: the change is accepted and the
     * station reports the connectors of `evses` in their new state.
     */
    async function change(
      station: v201.ChargePoint,
      operational: v201.OperationalStatusEnumType,
      target: Target,
      evses: number[],
    ): Promise<v201.ChangeAvailabilityRequest> {
      const request = await changeAvailability(station, operational, target);
      const reported = operational === 'Inoperative' ? 'Unavailable' : 'Available';
      for (const evseId of evses) await notifyConnector(station, reported, evseId);
      return request;
    }

    /** A booted station with two EVSEs and a transaction charging on EVSE 1. */
    async function charging(identity: string): Promise<Session> {
      return new Session(await booted(stations, identity, 2), `${identity}-TX`).energyTransferStarted();
    }

    /** Wait for the session to end (StopAuthorized, EVConnectedPostSession, EVDisconnected). */
    async function sessionOver(session: Session): Promise<void> {
      await session.end();
      assert.equal((await session.stored(csms())).status, 'Ended');
    }

    test('TC_G_03_CSMS: Change Availability EVSE - Operative to inoperative', async () => {
      const station = await booted(stations, 'G03-STATION', 2);
      const request = await change(station, 'Inoperative', { evseId: 1 }, [1]);
      // Table 700 step 1: evse 1, connectorId omitted.
      assert.deepEqual(request, { operationalStatus: 'Inoperative', evse: { id: 1 } });
      assert.deepEqual(await connectorStatuses(csms(), 'G03-STATION'), {
        '1/1': 'Unavailable',
        '2/1': 'Available',
      });
    });

    test('TC_G_04_CSMS: Change Availability EVSE - Inoperative to operative', async () => {
      const station = await booted(stations, 'G04-STATION', 2);
      await change(station, 'Inoperative', { evseId: 1 }, [1]);
      const request = await change(station, 'Operative', { evseId: 1 }, [1]);
      assert.deepEqual(request, { operationalStatus: 'Operative', evse: { id: 1 } });
      assert.deepEqual(await connectorStatuses(csms(), 'G04-STATION'), {
        '1/1': 'Available',
        '2/1': 'Available',
      });
    });

    test('TC_G_11_CSMS: Change Availability EVSE - With ongoing transaction', async () => {
      const session = await charging('G11-STATION');
      const request = await changeAvailability(session.station, 'Inoperative', { evseId: 1 }, 'Scheduled');
      assert.deepEqual(request, { operationalStatus: 'Inoperative', evse: { id: 1 } });
      await sessionOver(session);
      await notifyConnector(session.station, 'Unavailable', 1);
      assert.deepEqual(await connectorStatuses(csms(), 'G11-STATION'), {
        '1/1': 'Unavailable',
        '2/1': 'Available',
      });
    });

    test('TC_G_05_CSMS: Change Availability Charging Station - Operative to inoperative', async () => {
      const station = await booted(stations, 'G05-STATION', 2);
      const request = await change(station, 'Inoperative', {}, [1, 2]);
      // Step 1: no evse, so the whole station.
      assert.deepEqual(request, { operationalStatus: 'Inoperative' });
      assert.deepEqual(await connectorStatuses(csms(), 'G05-STATION'), {
        '1/1': 'Unavailable',
        '2/1': 'Unavailable',
      });
    });

    test('TC_G_06_CSMS: Change Availability Charging Station - Inoperative to operative', async () => {
      const station = await booted(stations, 'G06-STATION', 2);
      await change(station, 'Inoperative', {}, [1, 2]);
      const request = await change(station, 'Operative', {}, [1, 2]);
      assert.deepEqual(request, { operationalStatus: 'Operative' });
      assert.deepEqual(await connectorStatuses(csms(), 'G06-STATION'), {
        '1/1': 'Available',
        '2/1': 'Available',
      });
    });

    test('TC_G_14_CSMS: Change Availability Charging Station - With ongoing transaction', async () => {
      const session = await charging('G14-STATION');
      const request = await changeAvailability(session.station, 'Inoperative', {}, 'Scheduled');
      assert.deepEqual(request, { operationalStatus: 'Inoperative' });
      // Step 3: the unoccupied connectors become Unavailable at once, the one in use after the session.
      await notifyConnector(session.station, 'Unavailable', 2);
      await sessionOver(session);
      await notifyConnector(session.station, 'Unavailable', 1);
      assert.deepEqual(await connectorStatuses(csms(), 'G14-STATION'), {
        '1/1': 'Unavailable',
        '2/1': 'Unavailable',
      });
    });

    test('TC_G_07_CSMS: Change Availability Connector - Operative to inoperative', async () => {
      const station = await booted(stations, 'G07-STATION', 2);
      const request = await change(station, 'Inoperative', { evseId: 1, connectorId: 1 }, [1]);
      assert.deepEqual(request, { operationalStatus: 'Inoperative', evse: { id: 1, connectorId: 1 } });
      assert.equal((await connectorStatuses(csms(), 'G07-STATION'))['1/1'], 'Unavailable');
    });

    test('TC_G_08_CSMS: Change Availability Connector - Inoperative to operative', async () => {
      const station = await booted(stations, 'G08-STATION', 2);
      await change(station, 'Inoperative', { evseId: 1, connectorId: 1 }, [1]);
      const request = await change(station, 'Operative', { evseId: 1, connectorId: 1 }, [1]);
      assert.deepEqual(request, { operationalStatus: 'Operative', evse: { id: 1, connectorId: 1 } });
      assert.equal((await connectorStatuses(csms(), 'G08-STATION'))['1/1'], 'Available');
    });

    test('TC_G_17_CSMS: Change Availability Connector - With ongoing transaction', async () => {
      const session = await charging('G17-STATION');
      const target = { evseId: 1, connectorId: 1 };
      const request = await changeAvailability(session.station, 'Inoperative', target, 'Scheduled');
      assert.deepEqual(request, { operationalStatus: 'Inoperative', evse: { id: 1, connectorId: 1 } });
      await sessionOver(session);
      await notifyConnector(session.station, 'Unavailable', 1);
      assert.deepEqual(await connectorStatuses(csms(), 'G17-STATION'), {
        '1/1': 'Unavailable',
        '2/1': 'Available',
      });
    });
  });
}
