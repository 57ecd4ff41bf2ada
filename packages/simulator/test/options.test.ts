/**
 * The benchmark's options: only a complete run replaces the figures of record (BENCHMARKS.md), so
 * that a run of one scenario, some servers or another build cannot leave a partial report behind.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOptions } from '../bench/options.js';

test('only a complete run writes BENCHMARKS.md, unless --write says so', () => {
  assert.equal(parseOptions([]).write, true, 'npm run bench');
  for (const partial of [
    ['--quick'],
    ['--only', 'throughput'],
    ['--servers', 'echo'],
    ['--csms-dist', '/x'],
  ]) {
    assert.equal(parseOptions(partial).write, false, partial.join(' '));
    assert.equal(parseOptions([...partial, '--write']).write, true, `${partial.join(' ')} --write`);
  }
  assert.equal(
    parseOptions(['--repeats', '1', '--duration', '5']).write,
    true,
    'fewer or shorter runs are complete',
  );
});
