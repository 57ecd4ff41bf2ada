import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CALL_ERROR_CODES } from '../src/errors/call-error-codes.js';
import { ERROR_CODES } from '../src/errors/errors.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

test('the README error reference lists every error code with its meaning', () => {
  for (const [code, meaning] of Object.entries(ERROR_CODES)) {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
    assert.ok(row, `README has no row for ${code}`);
    assert.ok(row.includes(meaning), `README row for ${code} does not say "${meaning}"`);
  }
  const documented = [...readme.matchAll(/^\| `(OCPP_ERR_[A-Z_]+)` \|/gm)].map((m) => m[1]);
  assert.deepEqual(
    documented.sort(),
    Object.keys(ERROR_CODES).sort(),
    'README documents a code that does not exist',
  );
});

test('the README CALLERROR table uses only real codes', () => {
  const table = readme.slice(readme.indexOf('## CALLERROR mapping'), readme.indexOf('## Error reference'));
  const spelledIn16 = ['FormationViolation', 'OccurenceConstraintViolation'];
  const known = new Set<string>([...CALL_ERROR_CODES, ...spelledIn16, 'ignored']);
  for (const line of table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| incoming'))) {
    const cells = line.split('|').slice(2, -1);
    for (const cell of cells) {
      const code = cell.trim().split(',')[0]!.trim();
      if (code.startsWith('---')) continue;
      assert.ok(known.has(code), `unknown CALLERROR code ${JSON.stringify(code)} in the README table`);
    }
  }
});
