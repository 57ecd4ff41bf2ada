/**
 * Real OCPP 1.6 stations for the handler tests: the ocppkit client over a real socket to a
 * CSMS started with `startTestCsms`, closed by the test's `after()`.
 */
import assert from 'node:assert/strict';
import { CallErrorResponse, connect } from 'ocppkit';
import * as v16 from 'ocppkit/v16';
import type { CsmsEvent } from '../../src/events.js';
import type { TestCsms } from '../support/csms.js';

export const BOOT: v16.BootNotificationRequest = {
  chargePointVendor: 'TestVendor',
  chargePointModel: 'TestModel',
};

/** Opens 1.6 connections and closes them all at the end of a suite. */
export class Stations {
  readonly #csms: () => TestCsms;
  readonly #open: v16.ChargePoint[] = [];
  #counter = 0;

  /** `csms` is a getter: suites start their CSMS in `before()`. */
  constructor(csms: () => TestCsms) {
    this.#csms = csms;
  }

  /** A distinct identity per call, so tests sharing a CSMS don't see each other's rows. */
  identity(prefix = 'CP16'): string {
    this.#counter += 1;
    return `${prefix}-${process.pid}-${this.#counter}`;
  }

  /** Connects without booting. */
  async connect(identity: string): Promise<v16.ChargePoint> {
    const transport = await connect({
      url: this.#csms().ocppUrl,
      identity,
      protocols: ['ocpp1.6'],
      reconnect: false,
    });
    const station = new v16.ChargePoint(transport, { callTimeoutMs: 5000 });
    this.#open.push(station);
    return station;
  }

  /** Connects and sends a BootNotification the CSMS accepts under the default policy. */
  async booted(identity = this.identity()): Promise<{ identity: string; station: v16.ChargePoint }> {
    const station = await this.connect(identity);
    const boot = await station.call('BootNotification', BOOT);
    assert.equal(boot.status, 'Accepted');
    return { identity, station };
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.#open.splice(0).map((station) => station.close()));
  }
}

/** Asserts that `call` is answered with a CALLERROR of `code`. */
export async function assertCallError(call: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    assert.ok(error instanceof CallErrorResponse, `expected a CALLERROR, got ${String(error)}`);
    assert.equal(error.rawErrorCode, code);
    return true;
  });
}

/**
 * Collects the live events the handlers emit for one station while `work` runs (not the gateway's
 * 'station' and 'message' events, whose timing is the connection's).
 */
export async function eventsDuring(
  csms: TestCsms,
  identity: string,
  work: () => Promise<unknown>,
): Promise<CsmsEvent[]> {
  const seen: CsmsEvent[] = [];
  const unsubscribe = csms.events.subscribe((event) => {
    if (event.identity === identity && event.type !== 'message' && event.type !== 'station') seen.push(event);
  });
  try {
    await work();
  } finally {
    unsubscribe();
  }
  return seen;
}

let clock = Date.parse('2026-03-01T08:00:00.000Z');
/** Distinct, increasing station timestamps, so each message is its own row. */
export function nextTimestamp(): string {
  clock += 1000;
  return new Date(clock).toISOString();
}
