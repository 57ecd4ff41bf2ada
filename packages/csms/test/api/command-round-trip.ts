/** Sends one friendly command over HTTP and checks what the station received and what came back. */
import assert from 'node:assert/strict';
import type { TestCsms } from '../support/csms.js';
import type { TestStation } from './station-peers.js';

export interface Expected {
  action: string;
  /** The exact payload the station must receive (the reply's `request` must be the same). */
  payload?: Record<string, unknown>;
}

/** POSTs the command, asserts 200, one CALL of `expected.action` received; returns the reply body. */
export async function roundTrip(
  csms: TestCsms,
  station: TestStation,
  command: string,
  body: object | undefined,
  expected: Expected,
): Promise<{ action: string; request: Record<string, unknown>; response: Record<string, unknown> }> {
  const before = station.received.length;
  const reply = await csms.api(`/api/v1/stations/${station.identity}/${command}`, { method: 'POST', body });
  assert.equal(reply.status, 200, `${command}: ${JSON.stringify(reply.body)}`);
  assert.equal(reply.body.station, station.identity);
  assert.equal(reply.body.action, expected.action);
  const received = station.received.slice(before);
  assert.equal(received.length, 1, `${command}: the station received exactly one CALL`);
  assert.equal(received[0]?.action, expected.action);
  assert.deepEqual(received[0]?.payload, reply.body.request, `${command}: the reply shows what was sent`);
  if (expected.payload) assert.deepEqual(received[0]?.payload, expected.payload, `${command}: payload`);
  return reply.body;
}

/** POSTs a command that must be refused with `status`/`code` before anything reaches the station. */
export async function refused(
  csms: TestCsms,
  station: TestStation,
  path: string,
  body: unknown,
  status: number,
  code: string,
): Promise<{ message: string }> {
  const before = station.received.length;
  const reply = await csms.api(`/api/v1/stations/${station.identity}/${path}`, { method: 'POST', body });
  assert.equal(reply.status, status, `${path}: ${JSON.stringify(reply.body)}`);
  assert.equal(reply.body.code, code);
  assert.equal(station.received.length, before, `${path}: nothing was sent`);
  return reply.body;
}
