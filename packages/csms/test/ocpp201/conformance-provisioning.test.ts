/**
 * OCTT CSMS test cases of Part 6 §3.3 "B Provisioning" that start with a command of the CSMS:
 * TriggerMessage while Pending (B02/F06), Get/SetVariables (B05, B06), GetBaseReport (B07) and
 * SetNetworkProfile (B09). The operator drives the CSMS through the management API; a real station
 * answers as the OCTT would. The reset cases are in conformance-reset.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type * as v201 from 'ocppkit/v201';
import { databaseKinds } from '../support/csms.js';
import { answer, booted, conformanceSuite } from './conformance-support.js';
import { BOOT, nextTimestamp, notifyConnector } from './stations.js';

const OFFLINE_THRESHOLD = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' } };
const AUTHORIZE_REMOTE_START = {
  component: { name: 'AuthCtrlr' },
  variable: { name: 'AuthorizeRemoteStart' },
};

/** The station's device model as the OCTT has it: Actual values by component.variable. */
const DEVICE_MODEL: Record<string, string> = {
  'OCPPCommCtrlr.OfflineThreshold': '60',
  'AuthCtrlr.AuthorizeRemoteStart': 'true',
};

function getVariablesAnswer(request: v201.GetVariablesRequest): v201.GetVariablesResponse {
  return {
    getVariableResult: request.getVariableData.map(({ component, variable }) => {
      const value = DEVICE_MODEL[`${component.name}.${variable.name}`];
      return value === undefined
        ? { attributeStatus: 'UnknownVariable', component, variable }
        : { attributeStatus: 'Accepted', attributeValue: value, component, variable };
    }),
  };
}

function setVariablesAnswer(request: v201.SetVariablesRequest): v201.SetVariablesResponse {
  return {
    setVariableResult: request.setVariableData.map(({ component, variable }) => ({
      attributeStatus: 'Accepted',
      component,
      variable,
    })),
  };
}

const CONNECTION_DATA: v201.NetworkConnectionProfileType = {
  ocppVersion: 'OCPP20',
  ocppTransport: 'JSON',
  ocppCsmsUrl: 'wss://csms.example.com:8443/ocpp',
  messageTimeout: 30,
  securityProfile: 2,
  ocppInterface: 'Wired0',
};

for (const kind of databaseKinds()) {
  describe(`OCTT B Provisioning, CSMS commands [${kind}]`, () => {
    const { csms, stations, operator } = conformanceSuite(kind, { validToken: false });

    /** The variables the CSMS shows an operator on the station page, as `component.variable → value`. */
    async function shownVariables(identity: string): Promise<Record<string, string>> {
      const page = await csms().api(`/api/v1/stations/${identity}?messages=0`);
      assert.equal(page.status, 200);
      const rows = page.body.variables as Array<{
        componentName: string;
        variableName: string;
        value: string;
      }>;
      return Object.fromEntries(rows.map((row) => [`${row.componentName}.${row.variableName}`, row.value]));
    }

    test('TC_B_31_CSMS: Cold Boot Charging Station - Pending/Rejected - TriggerMessage', async () => {
      const created = await csms().api('/api/v1/stations', {
        method: 'POST',
        body: { identity: 'B31-STATION', registrationStatus: 'Pending' },
      });
      assert.equal(created.status, 201);
      const station = await stations.connect('B31-STATION');
      assert.equal((await station.call('BootNotification', BOOT)).status, 'Pending');
      // The operator accepts the station and has it boot again now rather than after the interval.
      await operator.patch('B31-STATION', { registrationStatus: 'Accepted' });
      const triggers = answer(station, 'TriggerMessage', { status: 'Accepted' });
      await operator.command('B31-STATION', 'trigger-message', { message: 'BootNotification' });
      assert.deepEqual(triggers, [{ requestedMessage: 'BootNotification' }]);
      const boot = await station.call('BootNotification', { ...BOOT, reason: 'Triggered' });
      assert.equal(boot.status, 'Accepted');
      await notifyConnector(station, 'Available');
      const stored = await csms().stores.stations.get('B31-STATION');
      assert.equal(stored?.boot_reason, 'Triggered');
      assert.equal(stored?.registration_status, 'Accepted');
    });

    test('TC_B_06_CSMS: Get Variables - single value', async () => {
      const station = await booted(stations, 'B06-STATION');
      const received = answer(station, 'GetVariables', getVariablesAnswer);
      const result = await operator.command<v201.GetVariablesRequest, v201.GetVariablesResponse>(
        'B06-STATION',
        'get-variables',
        { variables: [OFFLINE_THRESHOLD] },
      );
      // Step 1: attributeType absent (Actual).
      assert.deepEqual(received, [{ getVariableData: [OFFLINE_THRESHOLD] }]);
      assert.equal(result.response.getVariableResult[0]?.attributeValue, '60');
      assert.equal((await shownVariables('B06-STATION'))['OCPPCommCtrlr.OfflineThreshold'], '60');
    });

    test('TC_B_07_CSMS: Get Variables - multiple values', async () => {
      const station = await booted(stations, 'B07-STATION');
      const received = answer(station, 'GetVariables', getVariablesAnswer);
      await operator.command('B07-STATION', 'get-variables', {
        variables: [OFFLINE_THRESHOLD, AUTHORIZE_REMOTE_START],
      });
      assert.deepEqual(received, [{ getVariableData: [OFFLINE_THRESHOLD, AUTHORIZE_REMOTE_START] }]);
      const shown = await shownVariables('B07-STATION');
      assert.equal(shown['OCPPCommCtrlr.OfflineThreshold'], '60');
      assert.equal(shown['AuthCtrlr.AuthorizeRemoteStart'], 'true');
    });

    test('TC_B_09_CSMS: Set Variables - single value', async () => {
      const station = await booted(stations, 'B09-STATION');
      const received = answer(station, 'SetVariables', setVariablesAnswer);
      await operator.command('B09-STATION', 'set-variables', {
        variables: [{ ...OFFLINE_THRESHOLD, value: '123' }],
      });
      // Step 1: attributeValue "123", attributeType absent.
      assert.deepEqual(received, [{ setVariableData: [{ ...OFFLINE_THRESHOLD, attributeValue: '123' }] }]);
      assert.equal((await shownVariables('B09-STATION'))['OCPPCommCtrlr.OfflineThreshold'], '123');
    });

    test('TC_B_10_CSMS: Set Variables - multiple values', async () => {
      const station = await booted(stations, 'B10-STATION');
      const received = answer(station, 'SetVariables', setVariablesAnswer);
      await operator.command('B10-STATION', 'set-variables', {
        variables: [
          { ...OFFLINE_THRESHOLD, value: '123' },
          { ...AUTHORIZE_REMOTE_START, value: 'false' },
        ],
      });
      assert.deepEqual(received, [
        {
          setVariableData: [
            { ...OFFLINE_THRESHOLD, attributeValue: '123' },
            { ...AUTHORIZE_REMOTE_START, attributeValue: 'false' },
          ],
        },
      ]);
      const shown = await shownVariables('B10-STATION');
      assert.equal(shown['OCPPCommCtrlr.OfflineThreshold'], '123');
      assert.equal(shown['AuthCtrlr.AuthorizeRemoteStart'], 'false');
    });

    /** GetBaseReport, answered Accepted, then the report in two NotifyReport parts (B07.FR.07/08). */
    async function baseReport(identity: string, reportBase: v201.ReportBaseEnumType, requestId: number) {
      const station = await booted(stations, identity);
      const received = answer(station, 'GetBaseReport', { status: 'Accepted' });
      await operator.call(identity, 'GetBaseReport', { requestId, reportBase });
      assert.deepEqual(received, [{ requestId, reportBase }]);
      const parts: Array<Pick<v201.NotifyReportRequest, 'seqNo' | 'tbc' | 'reportData'>> = [
        {
          seqNo: 0,
          tbc: true,
          reportData: [
            {
              ...OFFLINE_THRESHOLD,
              variableAttribute: [{ type: 'Actual', value: '60', mutability: 'ReadWrite' }],
            },
          ],
        },
        {
          seqNo: 1,
          tbc: false,
          reportData: [
            {
              ...AUTHORIZE_REMOTE_START,
              variableAttribute: [{ type: 'Actual', value: 'true', mutability: 'ReadWrite' }],
            },
          ],
        },
      ];
      for (const part of parts) {
        assert.deepEqual(
          await station.call('NotifyReport', { requestId, generatedAt: nextTimestamp(), ...part }),
          {},
        );
      }
      // Post scenario: every part received, and shown to an operator.
      const shown = await shownVariables(identity);
      assert.equal(shown['OCPPCommCtrlr.OfflineThreshold'], '60');
      assert.equal(shown['AuthCtrlr.AuthorizeRemoteStart'], 'true');
    }

    test('TC_B_12_CSMS: Get Base Report - ConfigurationInventory', async () => {
      await baseReport('B12-STATION', 'ConfigurationInventory', 1201);
    });

    test('TC_B_13_CSMS: Get Base Report - FullInventory', async () => {
      await baseReport('B13-STATION', 'FullInventory', 0);
    });

    test('TC_B_42_CSMS: Set new NetworkConnectionProfile - Accepted', async () => {
      const station = await booted(stations, 'B42-STATION');
      const received = answer(station, 'SetNetworkProfile', { status: 'Accepted' });
      const result = await operator.call('B42-STATION', 'SetNetworkProfile', {
        configurationSlot: 1,
        connectionData: CONNECTION_DATA,
      });
      assert.deepEqual(received, [{ configurationSlot: 1, connectionData: CONNECTION_DATA }]);
      assert.equal(result.response.status, 'Accepted');
    });

    test('TC_B_44_CSMS: Set new NetworkConnectionProfile - Failed', async () => {
      const station = await booted(stations, 'B44-STATION');
      answer(station, 'SetNetworkProfile', { status: 'Failed' });
      const result = await operator.call('B44-STATION', 'SetNetworkProfile', {
        configurationSlot: 2,
        connectionData: CONNECTION_DATA,
      });
      assert.equal(result.response.status, 'Failed');
      assert.ok(station.connected, 'the CSMS carries on with the station');
      assert.ok((await station.call('Heartbeat', {})).currentTime);
    });
  });
}
