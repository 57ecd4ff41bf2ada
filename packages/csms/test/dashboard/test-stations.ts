/**
 * Stations for the dashboard tests: the ocppkit client over a real socket, with station-side
 * handlers that do what a charger does when the dashboard commands it. The 1.6 station charges on
 * RemoteStartTransaction and samples energy and power until RemoteStopTransaction; its meter clock
 * runs a minute per sample, so a few seconds of test draw a realistic curve.
 */
import { connect } from 'ocppkit';
import * as v16 from 'ocppkit/v16';
import * as v201 from 'ocppkit/v201';

/** Failures inside after-hooks (which answer nobody), for the test to assert there were none. */
export type Problems = string[];

interface Session {
  transactionId: number;
  registerWh: number;
  timer: ReturnType<typeof setInterval>;
  clock: number;
  samples: number;
}

const SAMPLE_MS = 200;
const SIMULATED_STEP_MS = 60_000;
const METER_START_WH = 1_250_000;

export interface Station16 {
  readonly identity: string;
  readonly problems: Problems;
  readonly chargePoint: v16.ChargePoint;
  /** The transactions this station started, by connector. */
  transactionOn(connectorId: number): number | undefined;
  authorize(idTag: string): Promise<string>;
  close(): Promise<void>;
}

/** Power in W of the n-th sample: a ramp, a plateau with a little ripple, a taper. */
function powerAt(n: number): number {
  if (n < 3) return 3_700 * (n + 1);
  const taper = n > 18 ? (n - 18) * 650 : 0;
  return Math.max(1_500, 11_000 - taper + (n % 3) * 120);
}

export async function connectStation16(
  ocppUrl: string,
  identity: string,
  connectors = 2,
): Promise<Station16> {
  const transport = await connect({ url: ocppUrl, identity, protocols: ['ocpp1.6'], reconnect: false });
  const cp = new v16.ChargePoint(transport, { callTimeoutMs: 5000 });
  const problems: Problems = [];
  const sessions = new Map<number, Session>();
  const config = new Map<string, { value: string; readonly: boolean }>([
    ['HeartbeatInterval', { value: '300', readonly: false }],
    ['MeterValueSampleInterval', { value: '60', readonly: false }],
    ['AuthorizeRemoteTxRequests', { value: 'false', readonly: false }],
    ['NumberOfConnectors', { value: String(connectors), readonly: true }],
  ]);
  const background = (what: string, work: () => Promise<unknown>) => {
    work().catch((error: unknown) => problems.push(`${what}: ${String(error)}`));
  };
  const status = (connectorId: number, s: v16.StatusNotificationRequest['status']) =>
    cp.call('StatusNotification', { connectorId, status: s, errorCode: 'NoError' });

  async function sample(
    connectorId: number,
    session: Session,
    context: 'Sample.Periodic' | 'Transaction.End',
  ) {
    const power = powerAt(session.samples);
    session.clock += SIMULATED_STEP_MS;
    session.registerWh += Math.round((power * SIMULATED_STEP_MS) / 3_600_000);
    session.samples += 1;
    await cp.call('MeterValues', {
      connectorId,
      transactionId: session.transactionId,
      meterValue: [
        {
          timestamp: new Date(Math.min(session.clock, Date.now())).toISOString(),
          sampledValue: [
            {
              value: String(session.registerWh),
              measurand: 'Energy.Active.Import.Register',
              unit: 'Wh',
              context,
            },
            { value: String(power), measurand: 'Power.Active.Import', unit: 'W', context },
          ],
        },
      ],
    });
  }

  async function startCharging(connectorId: number, idTag: string) {
    await status(connectorId, 'Preparing');
    // The meter clock starts in the past so the samples, a minute apart, stay before now.
    const clock = Date.now() - 30 * SIMULATED_STEP_MS;
    const started = await cp.call('StartTransaction', {
      connectorId,
      idTag,
      meterStart: METER_START_WH,
      timestamp: new Date(clock).toISOString(),
    });
    if (started.idTagInfo.status !== 'Accepted') {
      await cp.call('StopTransaction', {
        transactionId: started.transactionId,
        meterStop: METER_START_WH,
        timestamp: new Date().toISOString(),
        reason: 'DeAuthorized',
      });
      await status(connectorId, 'Available');
      return;
    }
    const session: Session = {
      transactionId: started.transactionId,
      registerWh: METER_START_WH,
      clock,
      samples: 0,
      timer: setInterval(
        () => background('MeterValues', () => sample(connectorId, session, 'Sample.Periodic')),
        SAMPLE_MS,
      ),
    };
    sessions.set(connectorId, session);
    await status(connectorId, 'Charging');
  }

  async function stopCharging(connectorId: number, reason: v16.StopTransactionRequest['reason']) {
    const session = sessions.get(connectorId);
    if (!session) return;
    clearInterval(session.timer);
    sessions.delete(connectorId);
    await status(connectorId, 'Finishing');
    await cp.call('StopTransaction', {
      transactionId: session.transactionId,
      meterStop: session.registerWh,
      timestamp: new Date(Math.min(session.clock + SIMULATED_STEP_MS, Date.now())).toISOString(),
      reason,
    });
    await status(connectorId, 'Available');
  }

  cp.handle('RemoteStartTransaction', (request) => {
    const connectorId =
      request.connectorId ??
      Array.from({ length: connectors }, (_, i) => i + 1).find((c) => !sessions.has(c));
    return { status: connectorId === undefined || sessions.has(connectorId) ? 'Rejected' : 'Accepted' };
  });
  cp.after('RemoteStartTransaction', (request, response) => {
    const connectorId =
      request.connectorId ??
      Array.from({ length: connectors }, (_, i) => i + 1).find((c) => !sessions.has(c));
    if (response.status === 'Accepted' && connectorId !== undefined) {
      background('remote start', () => startCharging(connectorId, request.idTag));
    }
  });
  const connectorOf = (transactionId: number) =>
    [...sessions.entries()].find(([, s]) => s.transactionId === transactionId)?.[0];
  cp.handle('RemoteStopTransaction', (request) => ({
    status: connectorOf(request.transactionId) === undefined ? 'Rejected' : 'Accepted',
  }));
  cp.after('RemoteStopTransaction', (request) => {
    const connectorId = connectorOf(request.transactionId);
    if (connectorId !== undefined) background('remote stop', () => stopCharging(connectorId, 'Remote'));
  });
  cp.handle('Reset', () => ({ status: 'Accepted' }));
  cp.handle('UnlockConnector', () => ({ status: 'Unlocked' }));
  cp.handle('ChangeAvailability', () => ({ status: 'Accepted' }));
  cp.handle('TriggerMessage', (request) => ({
    status: ['Heartbeat', 'StatusNotification'].includes(request.requestedMessage)
      ? 'Accepted'
      : 'NotImplemented',
  }));
  cp.after('TriggerMessage', (request) => {
    if (request.requestedMessage === 'Heartbeat') background('Heartbeat', () => cp.call('Heartbeat', {}));
    if (request.requestedMessage === 'StatusNotification') {
      background('StatusNotification', () =>
        status(request.connectorId ?? 1, sessions.size ? 'Charging' : 'Available'),
      );
    }
  });
  cp.handle('GetConfiguration', (request) => ({
    configurationKey: [...config.entries()]
      .filter(([key]) => !request.key || request.key.includes(key))
      .map(([key, entry]) => ({ key, value: entry.value, readonly: entry.readonly })),
  }));
  cp.handle('ChangeConfiguration', (request) => {
    const entry = config.get(request.key);
    if (!entry) return { status: 'NotSupported' };
    if (entry.readonly) return { status: 'Rejected' };
    entry.value = request.value;
    return { status: 'Accepted' };
  });

  const boot = await cp.call('BootNotification', {
    chargePointVendor: 'Alfen',
    chargePointModel: 'Eve Double Pro',
    chargePointSerialNumber: `SN-${identity}`,
    firmwareVersion: '6.4.2',
    meterType: 'Eastron SDM630',
  });
  if (boot.status !== 'Accepted') throw new Error(`${identity}: BootNotification ${boot.status}`);
  for (let c = 0; c <= connectors; c++) await status(c, 'Available');

  return {
    identity,
    problems,
    chargePoint: cp,
    transactionOn: (connectorId) => sessions.get(connectorId)?.transactionId,
    async authorize(idTag) {
      return (await cp.call('Authorize', { idTag })).idTagInfo.status;
    },
    async close() {
      for (const session of sessions.values()) clearInterval(session.timer);
      await cp.close();
    },
  };
}

const REPORTED_VARIABLES: v201.ReportDataType[] = [
  {
    component: { name: 'OCPPCommCtrlr' },
    variable: { name: 'HeartbeatInterval' },
    variableAttribute: [{ type: 'Actual', value: '300', mutability: 'ReadWrite' }],
  },
  {
    component: { name: 'SampledDataCtrlr' },
    variable: { name: 'TxUpdatedInterval' },
    variableAttribute: [{ type: 'Actual', value: '60', mutability: 'ReadWrite' }],
  },
  {
    component: { name: 'EVSE', evse: { id: 1 } },
    variable: { name: 'AvailabilityState' },
    variableAttribute: [{ type: 'Actual', value: 'Available', mutability: 'ReadOnly' }],
  },
];

export interface Station201 {
  readonly identity: string;
  /** For the test to send what the station would on its own (reports, notifications). */
  readonly chargePoint: v201.ChargePoint;
  /** SetVariables requests received, for the test to check what the dashboard sent. */
  readonly setVariables: v201.SetVariablesRequest[];
  close(): Promise<void>;
}

/** A 2.0.1 station that boots, reports a small device model and accepts SetVariables. */
export async function connectStation201(ocppUrl: string, identity: string): Promise<Station201> {
  const transport = await connect({ url: ocppUrl, identity, protocols: ['ocpp2.0.1'], reconnect: false });
  const cp = new v201.ChargePoint(transport, { callTimeoutMs: 5000 });
  const setVariables: v201.SetVariablesRequest[] = [];
  cp.handle('SetVariables', (request) => {
    setVariables.push(request);
    return {
      setVariableResult: request.setVariableData.map((d) => ({
        attributeType: d.attributeType ?? 'Actual',
        attributeStatus: 'Accepted' as const,
        component: d.component,
        variable: d.variable,
      })),
    };
  });
  cp.handle('TriggerMessage', () => ({ status: 'Accepted' }));

  const boot = await cp.call('BootNotification', {
    reason: 'PowerUp',
    chargingStation: {
      vendorName: 'Zaptec',
      model: 'Pro',
      firmwareVersion: '2.1.0',
      serialNumber: `SN-${identity}`,
    },
  });
  if (boot.status !== 'Accepted') throw new Error(`${identity}: BootNotification ${boot.status}`);
  await cp.call('StatusNotification', {
    timestamp: new Date().toISOString(),
    connectorStatus: 'Available',
    evseId: 1,
    connectorId: 1,
  });
  await cp.call('NotifyReport', {
    requestId: 1,
    generatedAt: new Date().toISOString(),
    seqNo: 0,
    tbc: false,
    reportData: REPORTED_VARIABLES,
  });
  return {
    identity,
    chargePoint: cp,
    setVariables,
    close: () => cp.close(),
  };
}
