/**
 * OCTT CSMS test cases of Part 6 §3.15 "N Diagnostics": log upload (N01) at POST /get-log, with
 * the LogStatusNotifications linked to the CSMS's requestId, and customer information (N09, N10),
 * which the operator requests at POST /call/CustomerInformation (no friendly endpoint); the parts
 * of NotifyCustomerInformation are kept with the station's reports.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type * as v201 from 'ocppkit/v201';
import { databaseKinds } from '../support/csms.js';
import { answer, booted, conformanceSuite } from './conformance-support.js';
import { nextTimestamp, VALID_TOKEN } from './stations.js';

const UPLOAD_URL = 'https://logs.example.com/upload';

for (const kind of databaseKinds()) {
  describe(`OCTT N Diagnostics [${kind}]`, () => {
    const { csms, stations, operator } = conformanceSuite(kind);

    /** The operator's log request, answered `status`; returns the GetLogRequest the station got. */
    async function getLog(
      station: v201.ChargePoint,
      logType: v201.LogEnumType,
      status: v201.LogStatusEnumType,
    ): Promise<v201.GetLogRequest> {
      const received = answer(station, 'GetLog', { status, filename: `${logType}.tar.gz` });
      const result = await operator.command(station.identity, 'get-log', { location: UPLOAD_URL, logType });
      assert.equal(result.response.status, status);
      const request = received[0] as v201.GetLogRequest;
      assert.equal(request.logType, logType);
      assert.equal(request.log.remoteLocation, UPLOAD_URL);
      return request;
    }

    async function logStatus(
      station: v201.ChargePoint,
      status: v201.UploadLogStatusEnumType,
      requestId: number,
    ) {
      assert.deepEqual(await station.call('LogStatusNotification', { status, requestId }), {});
    }

    /** The upload progress the CSMS recorded, oldest first, as `status@requestId`. */
    async function recorded(identity: string): Promise<string[]> {
      const page = await csms().stores.statusEvents.list(identity, { kind: 'log', limit: 100 });
      return page.items.reverse().map((row) => `${row.status}@${row.request_id}`);
    }

    async function uploaded(identity: string, logType: v201.LogEnumType): Promise<void> {
      const station = await booted(stations, identity);
      const { requestId } = await getLog(station, logType, 'Accepted');
      await logStatus(station, 'Uploading', requestId);
      await logStatus(station, 'Uploaded', requestId);
      assert.deepEqual(await recorded(identity), [`Uploading@${requestId}`, `Uploaded@${requestId}`]);
    }

    test('TC_N_25_CSMS: Retrieve Log Information - Diagnostics Log - Success', async () => {
      await uploaded('N25-STATION', 'DiagnosticsLog');
    });

    test('TC_N_34_CSMS: Retrieve Log Information - Rejected', async () => {
      const station = await booted(stations, 'N34-STATION');
      await getLog(station, 'DiagnosticsLog', 'Rejected');
      assert.deepEqual(await recorded('N34-STATION'), []);
    });

    test('TC_N_35_CSMS: Retrieve Log Information - Security Log - Success', async () => {
      await uploaded('N35-STATION', 'SecurityLog');
    });

    test('TC_N_36_CSMS: Retrieve Log Information - Second Request', async () => {
      const station = await booted(stations, 'N36-STATION');
      const first = await getLog(station, 'DiagnosticsLog', 'Accepted');
      await logStatus(station, 'Uploading', first.requestId);
      // Step 5: a second request while the first upload runs; the station cancels the first.
      const second = await getLog(station, 'DiagnosticsLog', 'AcceptedCanceled');
      assert.notEqual(second.requestId, first.requestId);
      await logStatus(station, 'AcceptedCanceled', first.requestId);
      await logStatus(station, 'Uploading', second.requestId);
      await logStatus(station, 'Uploaded', second.requestId);
      assert.deepEqual(await recorded('N36-STATION'), [
        `Uploading@${first.requestId}`,
        `AcceptedCanceled@${first.requestId}`,
        `Uploading@${second.requestId}`,
        `Uploaded@${second.requestId}`,
      ]);
    });

    /**
     * CustomerInformation as the operator composes it, answered `status`, then (unless refused) the
     * station's NotifyCustomerInformation with `data`; checks what the CSMS kept for the operator.
     */
    async function customerInformation(
      identity: string,
      request: Omit<v201.CustomerInformationRequest, 'requestId'>,
      status: v201.CustomerInformationStatusEnumType,
      data?: string,
    ): Promise<void> {
      const station = await booted(stations, identity);
      const requestId = Number.parseInt(identity.slice(1, 3), 10);
      const received = answer(station, 'CustomerInformation', { status });
      const result = await operator.call(identity, 'CustomerInformation', { ...request, requestId });
      assert.deepEqual(received, [{ ...request, requestId }]);
      assert.equal(result.response.status, status);
      if (data === undefined) return;
      const notify = { data, seqNo: 0, generatedAt: nextTimestamp(), requestId, tbc: false };
      assert.deepEqual(await station.call('NotifyCustomerInformation', notify), {});
      const kept = await csms().stores.stationReports.list(identity, {
        kind: 'customer_information',
        requestId,
      });
      assert.deepEqual(
        kept.items.map((row) => row.payload),
        [notify],
      );
    }

    test('TC_N_27_CSMS: Get Customer Information - Accepted + data', async () => {
      const request = { report: true, clear: false, idToken: VALID_TOKEN };
      await customerInformation('N27-STATION', request, 'Accepted', `Sessions of ${VALID_TOKEN.idToken}: 3`);
    });

    test('TC_N_28_CSMS: Get Customer Information - Accepted + no data', async () => {
      await customerInformation(
        'N28-STATION',
        { report: true, clear: false, idToken: VALID_TOKEN },
        'Accepted',
        '',
      );
    });

    test('TC_N_29_CSMS: Get Customer Information - Not Accepted', async () => {
      await customerInformation(
        'N29-STATION',
        { report: true, clear: false, idToken: VALID_TOKEN },
        'Rejected',
      );
    });

    test('TC_N_30_CSMS: Clear Customer Information - Clear and report + data', async () => {
      const request = { report: true, clear: true, idToken: VALID_TOKEN };
      await customerInformation(
        'N30-STATION',
        request,
        'Accepted',
        `Cleared for ${VALID_TOKEN.idToken}: 3 sessions`,
      );
    });

    test('TC_N_31_CSMS: Clear Customer Information - Clear and report + no data', async () => {
      await customerInformation(
        'N31-STATION',
        { report: true, clear: true, idToken: VALID_TOKEN },
        'Accepted',
        '',
      );
    });

    test('TC_N_32_CSMS: Clear Customer Information - Clear and no report', async () => {
      const request = { report: false, clear: true, idToken: VALID_TOKEN };
      await customerInformation('N32-STATION', request, 'Accepted', 'Cleared');
    });

    test('TC_N_62_CSMS: Clear Customer Information - Clear and report - customerIdentifier', async () => {
      const request = { report: true, clear: true, customerIdentifier: 'OpenChargeAlliance' };
      await customerInformation('N62-STATION', request, 'Accepted', 'OpenChargeAlliance: 1 contract');
    });
  });
}
