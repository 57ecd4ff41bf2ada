/**
 * The CSMS benchmark in --quick mode, as CI runs it: a real CSMS, the ocpp-rpc peer and the bare
 * echo in child processes, driven by load processes. It must finish without errors and report each
 * scenario; its timings are not judged here.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const BENCH = fileURLToPath(new URL('../bench/csms-bench.js', import.meta.url));

test('csms-bench --quick runs every scenario without errors', { timeout: 180_000 }, async () => {
  const child = spawn(process.execPath, [BENCH, '--quick'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 0, `exit code ${code}\n--- stdout\n${stdout}\n--- stderr (end)\n${stderr.slice(-3000)}`);
  for (const heading of [
    '1. Connections',
    '2. Throughput and latency',
    '3. Command fan-out',
    '4. Side by side',
  ]) {
    assert.match(stdout, new RegExp(`### ${heading.replace('.', '\\.')}`), `no "${heading}" section`);
  }
  for (const line of [
    'connections  bare ws echo',
    'connections  CSMS, PGlite',
    'throughput   CSMS, PGlite',
    'interleaved  Heartbeat closed',
  ]) {
    assert.ok(stdout.includes(line), `no "${line}" line`);
  }
  assert.match(stdout, /\| Heartbeat, interleaved \(req\/s\) +\| bare ws echo/, 'no interleaved table');
  assert.match(stdout, /\| median +\|.*\d\.\d\d×/, 'no median ratio of the interleaved runs');
  assert.match(stdout, /BENCHMARKS\.md left as it is/);
});
