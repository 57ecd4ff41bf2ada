/**
 * The ocppkit-sim CLI in a child process: the interactive prompt driven through stdin
 * (plug / start / status / stop / quit, and a command from the CSMS), and a small fleet run.
 */
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestCsms, type TestCsms, waitFor } from './support/helpers.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const TOKEN = 'SIM-CLI-TAG';

function runCli(args: string[]): {
  child: ChildProcessWithoutNullStreams;
  out: () => string;
  err: () => string;
} {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { child, out: () => stdout, err: () => stderr };
}

function exitCode(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('ocppkit-sim', () => {
  let csms: TestCsms;
  before(async () => {
    csms = await startTestCsms('pglite');
    await csms.stores.idTokens.create({ idToken: TOKEN });
  });
  after(() => csms.stop());

  test('interactive: plug, start, status, stop, quit', async () => {
    await csms.stores.stations.create({ identity: 'SIM-CLI-1', registrationStatus: 'Accepted' });
    const { child, out } = runCli([
      '--url',
      csms.ocppUrl,
      '--id',
      'SIM-CLI-1',
      '--protocol',
      'ocpp1.6',
      '--meter-interval',
      '1',
    ]);
    try {
      const expect = (what: RegExp) =>
        waitFor(`output ${what}`, () => what.test(out()), { timeoutMs: 15_000 });
      await expect(/boot Accepted/);
      await expect(/connected; type "help"/);

      child.stdin.write('plug 1\n');
      await expect(/connector 1: Preparing/);
      child.stdin.write(`start 1 ${TOKEN}\n`);
      await expect(/charging on 1, transaction \d+/);
      assert.match(out(), /→ Authorize \{"idTag":"SIM-CLI-TAG"\}/);
      assert.match(out(), /← Authorize result \{"idTagInfo":\{"status":"Accepted"/);
      assert.match(out(), /→ StartTransaction \{"connectorId":1,"idTag":"SIM-CLI-TAG"/);

      await csms.gateway.call('SIM-CLI-1', 'GetConfiguration', { key: ['MeterValueSampleInterval'] });
      await expect(/← GetConfiguration \{"key":\["MeterValueSampleInterval"\]\}/);
      await expect(
        /→ GetConfiguration result \{"configurationKey":\[\{"key":"MeterValueSampleInterval","readonly":false,"value":"1"\}\]\}/,
      );
      await expect(/→ MeterValues \{"connectorId":1,"transactionId":\d+/);

      child.stdin.write('status\n');
      await expect(/connector 1: Charging, meter \d+ Wh, transaction \d+ SIM-CLI-TAG/);
      child.stdin.write('stop 1\n');
      await expect(/stopped transaction \d+ on 1: \d+ Wh/);
      assert.match(out(), /→ StopTransaction \{"transactionId":\d+,"meterStop":\d+/);
      child.stdin.write('bogus\n');
      await expect(/unknown command "bogus"/);
      child.stdin.write('quit\n');
      assert.equal(await exitCode(child), 0);
      assert.match(out(), /closing/);
    } finally {
      child.kill();
    }
  });

  test('fleet: progress on stderr, summary on stdout', async () => {
    const { child, out, err } = runCli([
      '--url',
      csms.ocppUrl,
      '--stations',
      '3',
      '--scenario',
      'idle',
      '--duration',
      '2',
      '--id',
      'SIM-CLI-F',
      '--json',
    ]);
    try {
      assert.equal(await exitCode(child), 0, err());
      const summary = JSON.parse(out()) as { connected: number; accepted: number; errors: number };
      assert.equal(summary.connected, 3);
      assert.equal(summary.accepted, 3);
      assert.equal(summary.errors, 0);
      // stderr is a pipe here, so the progress line is a plain line per second.
      assert.match(err(), /\[idle \ds\] {2}connected 3\/3 {2}accepted 3 {2}msgs\/s \d+/);
    } finally {
      child.kill();
    }
  });

  test('usage errors exit with 2', async () => {
    const { child, err } = runCli(['--stations', '2']);
    assert.equal(await exitCode(child), 2);
    assert.match(err(), /--url is required/);
  });
});
