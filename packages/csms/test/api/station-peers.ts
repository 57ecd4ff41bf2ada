/**
 * Real stations for the API tests: our library's client over a real socket to a test CSMS, with
 * station-side handlers that answer the CSMS's commands and a record of every CALL received.
 */
import { connect, type HandlerContext } from 'ocppkit';
import * as v16 from 'ocppkit/v16';
import * as v201 from 'ocppkit/v201';
import type { TestCsms } from '../support/csms.js';

type Payload = Record<string, unknown>;
export type StationHandler = (request: Payload, context: HandlerContext) => object | Promise<object>;

/** A versioned ChargePoint seen through plain objects, since the tests loop over actions. */
interface LoosePeer {
  handle(action: string, handler: StationHandler): unknown;
  call(action: string, payload: Payload): Promise<unknown>;
  onFrame(listener: (event: { direction: string; frame?: readonly unknown[] }) => void): unknown;
  close(): Promise<void>;
}

export interface TestStation {
  readonly identity: string;
  /** CALLs the station received from the CSMS, in order. */
  readonly received: Array<{ action: string; payload: Payload }>;
  handle(action: string, handler: StationHandler): void;
  /** Sends a CALL to the CSMS and resolves with its answer. */
  call(action: string, payload: Payload): Promise<unknown>;
  close(): Promise<void>;
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('waitFor: condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Registers the station as Accepted (so it may send CALLs too), connects it and waits until the
 * CSMS's gateway has its session.
 */
export async function connectStation(
  csms: TestCsms,
  identity: string,
  protocol: 'ocpp1.6' | 'ocpp2.0.1',
  handlers: Record<string, StationHandler> = {},
): Promise<TestStation> {
  if (!(await csms.stores.stations.get(identity))) {
    await csms.stores.stations.create({ identity, registrationStatus: 'Accepted' });
  }
  const transport = await connect({ url: csms.ocppUrl, identity, protocols: [protocol], reconnect: false });
  const peer = (protocol === 'ocpp1.6'
    ? new v16.ChargePoint(transport)
    : new v201.ChargePoint(transport)) as unknown as LoosePeer;
  const received: TestStation['received'] = [];
  peer.onFrame((event) => {
    const frame = event.frame;
    if (event.direction === 'in' && frame?.[0] === 2) {
      received.push({ action: frame[2] as string, payload: frame[3] as Payload });
    }
  });
  for (const [action, handler] of Object.entries(handlers)) peer.handle(action, handler);
  await waitFor(() => csms.gateway.isConnected(identity));
  return {
    identity,
    received,
    handle: (action, handler) => void peer.handle(action, handler),
    call: (action, payload) => peer.call(action, payload),
    async close() {
      await peer.close();
      await waitFor(() => !csms.gateway.isConnected(identity));
    },
  };
}
