/**
 * An operator accepting a station through the API (PATCH /api/v1/stations/{id}), with simulated
 * stations of both versions and a boot interval far longer than the test: a Pending station is asked
 * to boot again (TriggerMessage BootNotification) and is Accepted at once; a Rejected one is sent
 * nothing (2.0.1 B03.FR.03) and stays Rejected until its own next boot.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { StationEvent } from '../src/events.js';
import { type Station, simulateStation } from '../src/station.js';
import { sleep, startTestCsms, type TestCsms, waitFor } from './support/helpers.js';

const PROTOCOLS = ['ocpp1.6', 'ocpp2.0.1'] as const;

describe('accepting a station through the API', { concurrency: true }, () => {
  let csms: TestCsms;
  const stations: Station[] = [];
  before(async () => {
    // The interval a Pending or Rejected station waits before its next boot: 10 minutes.
    csms = await startTestCsms('pglite', { unknownStations: 'pending', heartbeatIntervalS: '600' });
  });
  after(async () => {
    await Promise.all(stations.map((s) => s.close()));
    await csms.stop();
  });

  /** A station, and the CALLs the CSMS sent it ("Action {payload}"). */
  async function start(identity: string, protocol: (typeof PROTOCOLS)[number]) {
    const received: string[] = [];
    const onEvent = (event: StationEvent) => {
      if (event.type !== 'frame' || event.direction !== 'in') return;
      const frame = JSON.parse(event.text) as unknown[];
      if (frame[0] === 2) received.push(`${frame[2]} ${JSON.stringify(frame[3])}`);
    };
    const station = await simulateStation({
      url: csms.ocppUrl,
      identity,
      protocol,
      onEvent,
      waitForBoot: false,
    });
    stations.push(station);
    return { station, received };
  }

  const accept = async (identity: string) => {
    const reply = await csms.api(`/api/v1/stations/${identity}`, {
      method: 'PATCH',
      body: { registrationStatus: 'Accepted' },
    });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(reply.body.registrationStatus, 'Accepted');
  };

  for (const protocol of PROTOCOLS) {
    test(`a Pending ${protocol} station is asked to boot, and is Accepted without waiting its interval`, async () => {
      const identity = `ACCEPT-PENDING-${protocol}`;
      const { station, received } = await start(identity, protocol);
      await waitFor('the Pending boot', () => station.registrationStatus === 'Pending');
      await accept(identity);
      await waitFor('the station Accepted', () => station.registrationStatus === 'Accepted', {
        timeoutMs: 5000,
      });
      assert.deepEqual(received, ['TriggerMessage {"requestedMessage":"BootNotification"}']);
      // Registered as after any Accepted boot: it reports its connectors, and they are stored.
      await waitFor('its connectors stored', async () => {
        const view = await csms.api(`/api/v1/stations/${identity}`);
        return view.body.connectors?.length > 0;
      });
    });

    test(`a Rejected ${protocol} station is sent nothing when it is accepted`, async () => {
      const identity = `ACCEPT-REJECTED-${protocol}`;
      await csms.stores.stations.create({ identity, registrationStatus: 'Rejected' });
      const { station, received } = await start(identity, protocol);
      await waitFor('the Rejected boot', () => station.registrationStatus === 'Rejected');
      await accept(identity);
      // A trigger would arrive within milliseconds; a second is ample.
      await sleep(1000);
      assert.deepEqual(received, []);
      assert.equal(station.registrationStatus, 'Rejected');
    });
  }
});
