/**
 * The pieces the conformance-*.test.ts files share to play the OCTT's CSMS scripts (Part 6 §3):
 * the operator, who drives the CSMS through its management API as the scripts' "Manual Action"
 * steps ask; the station's side of the CSMS's CALLs, answered as the script says and recorded for
 * the tool validations; and the Reusable States of Part 6 §3.18 for one EVSE.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type * as v201 from 'ocppkit/v201';
import { type DatabaseKind, startTestCsms, type TestCsms } from '../support/csms.js';
import { nextTimestamp, notifyConnector, StationPool, Transaction, VALID_TOKEN } from './stations.js';

type Actions = v201.ActionMap;
type Reply<A extends keyof Actions> =
  | Actions[A]['response']
  | ((request: Actions[A]['request']) => Actions[A]['response']);

/**
 * Answers the CSMS's CALLs of `action` with `reply` and returns the requests as the station
 * received them off the wire, for the script's tool validations.
 */
export function answer<A extends keyof Actions>(
  station: v201.ChargePoint,
  action: A,
  reply: Reply<A>,
): Array<Actions[A]['request']> {
  const received: Array<Actions[A]['request']> = [];
  const handler = (request: Actions[A]['request']) => {
    received.push(request);
    return typeof reply === 'function' ? reply(request) : reply;
  };
  station.handle(action, handler as never);
  return received;
}

/** What POST /api/v1/stations/{id}/… returns: the CALL the CSMS sent and the station's answer. */
export interface CommandResult<Request = Record<string, unknown>, Response = Record<string, unknown>> {
  readonly action: string;
  readonly request: Request;
  readonly response: Response;
}

/** The operator at the management API: every "Manual Action" of a script is one request here. */
export class Operator {
  readonly #csms: () => TestCsms;

  constructor(csms: () => TestCsms) {
    this.#csms = csms;
  }

  /** POST /api/v1/stations/{identity}/{command} (a friendly command); fails unless 200. */
  async command<Request = Record<string, unknown>, Response = Record<string, unknown>>(
    identity: string,
    command: string,
    body: object = {},
  ): Promise<CommandResult<Request, Response>> {
    const reply = await this.#csms().api(`/api/v1/stations/${identity}/${command}`, { method: 'POST', body });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    return reply.body as CommandResult<Request, Response>;
  }

  /** POST /api/v1/stations/{identity}/call/{action}: an OCPP request the operator composes. */
  call<A extends keyof Actions>(
    identity: string,
    action: A,
    payload: Actions[A]['request'],
  ): Promise<CommandResult<Actions[A]['request'], Actions[A]['response']>> {
    return this.command(identity, `call/${action}`, payload);
  }

  /** PATCH /api/v1/stations/{identity}. */
  async patch(identity: string, body: object): Promise<void> {
    const reply = await this.#csms().api(`/api/v1/stations/${identity}`, { method: 'PATCH', body });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
  }
}

/** Reusable State Booted (Table 698): an Accepted boot, then every connector reported Available. */
export async function booted(pool: StationPool, identity: string, evses = 1): Promise<v201.ChargePoint> {
  const station = await pool.booted(identity);
  for (let evseId = 1; evseId <= evses; evseId++) await notifyConnector(station, 'Available', evseId);
  return station;
}

/** The current status of every connector the CSMS stored for the station, as `evse/connector → status`. */
export async function connectorStatuses(csms: TestCsms, identity: string): Promise<Record<string, string>> {
  const rows = await csms.stores.connectorStatus.listCurrent(identity);
  return Object.fromEntries(rows.map((row) => [`${row.evse_id}/${row.connector_id}`, row.status]));
}

/**
 * One charging session on one EVSE, moved through the Reusable States of Part 6 §3.18
 * (Tables 701–707) with the configured valid idToken; each asserts the tool validations of its
 * state.
 */
export class Session {
  readonly station: v201.ChargePoint;
  readonly tx: Transaction;
  readonly evse: { id: number; connectorId: number };
  readonly token: v201.IdTokenType;

  constructor(station: v201.ChargePoint, transactionId: string, evseId = 1, token = VALID_TOKEN) {
    this.station = station;
    this.tx = new Transaction(station, transactionId);
    this.evse = { id: evseId, connectorId: 1 };
    this.token = token;
  }

  /** Table 702 Authorized: Authorize, then a TransactionEvent with the token (Started unless plugged in). */
  async authorized(evConnected: boolean): Promise<void> {
    const authorize = await this.station.call('Authorize', { idToken: this.token });
    assert.equal(authorize.idTokenInfo.status, 'Accepted');
    const response = await this.tx.send(evConnected ? 'Updated' : 'Started', 'Authorized', {
      idToken: this.token,
    });
    assert.equal(response.idTokenInfo?.status, 'Accepted');
  }

  /** Table 701 EVConnectedPreSession (and part 1 of Table 703): Occupied, then CablePluggedIn. */
  async evConnected(authorizedBefore: boolean): Promise<void> {
    await notifyConnector(this.station, 'Occupied', this.evse.id);
    await this.tx.send(authorizedBefore ? 'Updated' : 'Started', 'CablePluggedIn', {
      evse: this.evse,
      transactionInfo: { chargingState: 'EVConnected' },
    });
  }

  /** Part 2 of Table 703: the energy transfer starts. */
  async charging(): Promise<void> {
    await this.tx.send('Updated', 'ChargingStateChanged', { transactionInfo: { chargingState: 'Charging' } });
  }

  /** Table 703 EnergyTransferStarted from idle: Authorized, EV connected, Charging. */
  async energyTransferStarted(): Promise<this> {
    await this.authorized(false);
    await this.evConnected(true);
    await this.charging();
    return this;
  }

  /** Table 705 StopAuthorized. */
  async stopAuthorized(): Promise<void> {
    const response = await this.tx.send('Updated', 'StopAuthorized', { idToken: this.token });
    assert.equal(response.idTokenInfo?.status, 'Accepted');
  }

  /** Table 706 EVConnectedPostSession. */
  async evConnectedPostSession(): Promise<void> {
    await this.tx.send('Updated', 'ChargingStateChanged', {
      transactionInfo: { chargingState: 'EVConnected' },
    });
  }

  /** Table 707 EVDisconnected: Available, then the Ended event. */
  async evDisconnected(): Promise<void> {
    await notifyConnector(this.station, 'Available', this.evse.id);
    await this.tx.send('Ended', 'EVCommunicationLost', {
      transactionInfo: { chargingState: 'Idle', stoppedReason: 'EVDisconnected' },
    });
  }

  /** StopAuthorized, EVConnectedPostSession and EVDisconnected, as most scripts end a session. */
  async end(): Promise<void> {
    await this.stopAuthorized();
    await this.evConnectedPostSession();
    await this.evDisconnected();
  }

  /** The transaction as the CSMS stored it. */
  async stored(csms: TestCsms) {
    const row = await csms.stores.transactions.findByStationTransactionId(this.station.identity, this.tx.id);
    assert.ok(row, `transaction ${this.tx.id} stored`);
    return row;
  }
}

/** A meterValue with one energy reading of the given context, as a triggered message carries. */
export function triggeredReading(wh: number): v201.MeterValueType {
  return {
    timestamp: nextTimestamp(),
    sampledValue: [{ value: wh, context: 'Trigger', measurand: 'Energy.Active.Import.Register' }],
  };
}

/**
 * One OCTT suite's CSMS (started in `before()`, with the valid id token of the scripts unless told
 * not to), its station pool and its operator; stations and CSMS are closed in `after()`.
 */
export function conformanceSuite(
  kind: DatabaseKind,
  options: { validToken?: boolean } = {},
): { csms: () => TestCsms; stations: StationPool; operator: Operator } {
  let started: TestCsms | undefined;
  const csms = () => {
    if (!started) throw new Error('the suite has not started its CSMS yet');
    return started;
  };
  const stations = new StationPool(csms);
  before(async () => {
    started = await startTestCsms(kind);
    if (options.validToken ?? true) await started.stores.idTokens.create(VALID_TOKEN);
  });
  after(async () => {
    await stations.closeAll();
    await started?.stop();
  });
  return { csms, stations, operator: new Operator(csms) };
}
