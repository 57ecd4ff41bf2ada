/**
 * The CALLs a station has open: normally one at a time, but a station may send more before the
 * answers come (the bench's light stations send their StatusNotifications that way). Each answer
 * finds its own CALL, and settled() (what shutdown waits for) resolves once all are answered.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type StationChargePoint,
  type StationServices,
  StationSession,
} from '../../src/ocpp/station-session.js';

function session(): StationSession {
  // The bookkeeping under test touches neither the ChargePoint nor the services.
  return new StationSession({
    chargePoint: {} as StationChargePoint,
    registrationStatus: 'Accepted',
    services: {} as StationServices,
    connectedAt: Date.now(),
  });
}

test('answers find their own CALL in any order; settled() waits for the last one', async () => {
  const s = session();
  s.callReceived('a', 'StatusNotification');
  s.callReceived('b', 'Authorize');
  s.callReceived('c', 'Heartbeat');
  let settled = false;
  const waiting = s.settled().then(() => {
    settled = true;
  });
  assert.equal(s.callAnswered('b')?.call.action, 'Authorize');
  assert.equal(s.callAnswered('zzz'), undefined, 'an unknown id matches nothing');
  assert.equal(s.callAnswered('a')?.call.action, 'StatusNotification');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(settled, false, 'c is still open');
  const c = s.callAnswered('c');
  assert.equal(c?.call.action, 'Heartbeat');
  assert.ok(c.seconds >= 0);
  await waiting;
  assert.equal(s.callAnswered('c'), undefined, 'answered once');
});

test('after the pipelined CALLs are answered, the next ones are tracked as before', async () => {
  const s = session();
  s.callReceived('1', 'StatusNotification');
  s.callReceived('2', 'StatusNotification');
  assert.ok(s.callAnswered('1'));
  assert.ok(s.callAnswered('2'));
  await s.settled();
  s.callReceived('3', 'Heartbeat');
  s.callReceived('4', 'Authorize');
  assert.equal(s.callAnswered('4')?.call.action, 'Authorize');
  assert.equal(s.callAnswered('3')?.call.action, 'Heartbeat');
  await s.settled();
});
