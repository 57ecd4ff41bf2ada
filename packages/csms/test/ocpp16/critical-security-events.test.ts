/**
 * The embedded list of critical security events matches the specification's security_events.csv,
 * when the specification folder is beside the checkout (it is not shipped with the package).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isCriticalSecurityEvent } from '../../src/ocpp/critical-security-events.js';

// dist/test/ocpp16 → the checkout's parent, where shared/spec lives.
const CSV = fileURLToPath(
  new URL('../../../../../../shared/spec/2.0.1/security_events.csv', import.meta.url),
);

test('every event of security_events.csv has the criticality the CSV gives it', {
  skip: !existsSync(CSV),
}, () => {
  const rows = readFileSync(CSV, 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(';'));
  assert.ok(rows.length >= 20);
  for (const row of rows) {
    const type = row[0]!;
    const critical = row.at(-1)!.trim() === 'Yes';
    assert.equal(isCriticalSecurityEvent(type), critical, type);
  }
});

test('the 1.6 whitepaper spellings take the criticality of their 2.0.1 names', () => {
  assert.equal(isCriticalSecurityEvent('InvalidCentralSystemCertificate'), true);
  assert.equal(isCriticalSecurityEvent('InvalidChargePointCertificate'), true);
  assert.equal(isCriticalSecurityEvent('FailedToAuthenticationAtCentralSystem'), false);
  assert.equal(isCriticalSecurityEvent('CentralSystemFailedToAuthentication'), false);
  assert.equal(isCriticalSecurityEvent('com.example.SomethingElse'), false);
});
