/**
 * The `date-time` fast path (src/validation/date-time.ts) must not change a single verdict: every
 * string it accepts, ajv-formats accepts, and the wrapped check agrees with ajv-formats everywhere.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { isCanonicalDateTime, withFastDateTime } from '../src/validation/date-time.js';
import { getValidator } from '../src/validation/validator.js';

const original = (fullFormats['date-time'] as { validate: (value: string) => boolean }).validate;
const wrapped = withFastDateTime(original);

/** Hand-picked edges, then every variation of a few fields around their limits. */
function* candidates(): Generator<string> {
  yield* [
    '2025-01-01T00:00:00Z',
    '2025-01-01T00:00:00.000Z',
    '2025-01-01t00:00:00.123456789z',
    '2025-01-01 00:00:00Z',
    '2025-01-01T00:00:00',
    '2025-01-01T00:00:00.Z',
    '2025-01-01T00:00:00+02:00',
    '2025-01-01T00:00:00-23:59',
    '2025-01-01T00:00:00+24:00',
    '2025-01-01T00:00:00+0200',
    '2025-01-01T00:00:00+02',
    '2025-01-01T23:59:60Z',
    '2025-01-01T23:59:60+01:00',
    '2025-01-01T00:59:60+01:00',
    '2025-06-30T23:59:60.5Z',
    '2025-1-01T00:00:00Z',
    '2025-01-01T00:00:00ZZ',
    '2025-01-01TT00:00:00Z',
    '2025-01-01T00:00:00.000+02:00',
    '+2025-01-01T00:00:00Z',
    '20250101T000000Z',
    '2025-01-01T00:00:00.000Zjunk',
    '',
    'not a date',
  ];
  for (const year of ['2024', '2025', '1900', '2000', '2100', '0000']) {
    for (const month of ['00', '01', '02', '04', '12', '13', '1a']) {
      for (const day of ['00', '01', '28', '29', '30', '31', '32']) {
        for (const time of ['00:00:00', '23:59:59', '24:00:00', '23:60:00', '23:59:60', '12:3a:00']) {
          for (const zone of ['Z', 'z', '.5Z', '+00:00', '-12:30', '+23:60', '']) {
            yield `${year}-${month}-${day}T${time}${zone}`;
          }
        }
      }
    }
  }
}

test('the fast path accepts nothing ajv-formats refuses, and the wrapped check agrees with it', () => {
  let fast = 0;
  let total = 0;
  for (const value of candidates()) {
    total += 1;
    if (isCanonicalDateTime(value)) {
      fast += 1;
      assert.ok(original(value), `fast path accepted ${JSON.stringify(value)}, ajv-formats refuses it`);
    }
    assert.equal(wrapped(value), original(value), JSON.stringify(value));
  }
  // The fast path does carry the valid timestamps of the usual shape (most generated ones are not valid).
  assert.ok(fast > 900, `${fast} of ${total} took the fast path`);
  assert.ok(isCanonicalDateTime(new Date().toISOString()));
});

test('the validator uses it: a Heartbeat response with a bad date-time still fails', () => {
  const validator = getValidator('ocpp1.6');
  assert.equal(
    validator.validate('Heartbeat', 'response', { currentTime: '2025-01-01T00:00:00.000Z' }),
    null,
  );
  assert.equal(
    validator.validate('Heartbeat', 'response', { currentTime: '2025-02-29T00:00:00Z' })?.failure,
    'bad-value',
  );
  assert.equal(validator.validate('Heartbeat', 'response', { currentTime: '2024-02-29T00:00:00Z' }), null);
  assert.equal(
    validator.validate('Heartbeat', 'response', { currentTime: 'yesterday' })?.failure,
    'bad-value',
  );
});
