/**
 * The security messages an OCPP 2.0.1 station sends (A02–A04, M01, M02, M06), over real sockets on
 * every database: security events are stored with their criticality; certificate requests get the
 * spec's answers for a CSMS without a certificate authority or an OCSP client.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type * as v201 from 'ocppkit/v201';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import { nextTimestamp, StationPool } from './stations.js';

for (const kind of databaseKinds()) {
  describe(`OCPP 2.0.1 security messages [${kind}]`, () => {
    let csms: TestCsms;
    const stations = new StationPool(() => csms);
    before(async () => {
      csms = await startTestCsms(kind);
    });
    after(async () => {
      await stations.closeAll();
      await csms.stop();
    });

    test('SecurityEventNotification is stored, critical per security_events.csv (A04)', async () => {
      const station = await stations.booted('A04-STATION');
      const tamper = { type: 'TamperDetectionActivated', timestamp: nextTimestamp(), techInfo: 'lid opened' };
      assert.deepEqual(await station.call('SecurityEventNotification', tamper), {});
      await station.call('SecurityEventNotification', tamper);
      await station.call('SecurityEventNotification', {
        type: 'InvalidMessages',
        timestamp: nextTimestamp(),
      });
      await station.call('SecurityEventNotification', {
        type: 'com.example.DoorBell',
        timestamp: nextTimestamp(),
      });
      const events = await csms.stores.securityEvents.list('A04-STATION');
      assert.deepEqual(
        events.items.map((e) => [e.type, e.critical]).sort(),
        [
          ['InvalidMessages', false],
          ['TamperDetectionActivated', true],
          ['com.example.DoorBell', false],
        ],
        'the resent notification is stored once',
      );
      assert.equal(events.items.find((e) => e.critical)?.tech_info, 'lid opened');
    });

    test('SignCertificate is Rejected without a certificate authority; the CSR is kept (A02.FR.12)', async () => {
      const station = await stations.booted('A02-STATION');
      const request: v201.SignCertificateRequest = {
        csr: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----',
        certificateType: 'ChargingStationCertificate',
      };
      const response = await station.call('SignCertificate', request);
      assert.equal(response.status, 'Rejected');
      await station.call('SignCertificate', request);
      const kept = await csms.stores.stationReports.list('A02-STATION');
      assert.deepEqual(
        kept.items.map((r) => [r.kind, r.payload]),
        [['certificate_signing_request', request]],
        'kept once',
      );
    });

    test('Get15118EVCertificate fails with an empty exiResponse (M01)', async () => {
      const station = await stations.booted('M01-STATION');
      const response = await station.call('Get15118EVCertificate', {
        iso15118SchemaVersion: 'urn:iso:15118:2:2013:MsgDef',
        action: 'Install',
        exiRequest: Buffer.from('exi').toString('base64'),
      });
      assert.equal(response.status, 'Failed');
      assert.equal(response.exiResponse, '');
    });

    test('GetCertificateStatus fails without an OCSP client (M06)', async () => {
      const station = await stations.booted('M06-STATION');
      const response = await station.call('GetCertificateStatus', {
        ocspRequestData: {
          hashAlgorithm: 'SHA256',
          issuerNameHash: 'a'.repeat(64),
          issuerKeyHash: 'b'.repeat(64),
          serialNumber: '01',
          responderURL: 'http://ocsp.example.com',
        },
      });
      assert.equal(response.status, 'Failed');
      assert.equal(response.ocspResult, undefined);
    });
  });
}
