/** The compiled `csms` CLI, run as a child process against a real test CSMS. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { connectStation, type TestStation } from './api/station-peers.js';
import { databaseKinds, startTestCsms, type TestCsms } from './support/csms.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

for (const kind of databaseKinds()) {
  describe(`csms CLI [${kind}]`, () => {
    let csms: TestCsms;
    let station: TestStation;
    let cli: (args: readonly string[]) => Promise<Run>;

    before(async () => {
      csms = await startTestCsms(kind);
      cli = (args) => run(['--url', csms.apiUrl, ...args], { CSMS_API_TOKEN: csms.apiToken });
      station = await connectStation(csms, 'CLI-1', 'ocpp1.6', {
        GetConfiguration: () => ({
          configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }],
        }),
      });
      await csms.stores.stations.create({ identity: 'CLI-2' });
      const { transactionId } = await csms.stores.transactions.startTransaction16('CLI-1', {
        connectorId: 1,
        idTag: 'TAG-CLI',
        meterStart: 0,
        timestamp: '2026-01-01T00:00:00.000Z',
      });
      await csms.stores.transactions.stopTransaction16('CLI-1', {
        transactionId,
        meterStop: 1234,
        timestamp: '2026-01-01T01:00:00.000Z',
      });
      await csms.stores.transactions.startTransaction16('CLI-1', {
        connectorId: 2,
        idTag: 'TAG-RUN',
        meterStart: 0,
        timestamp: '2026-01-02T00:00:00.000Z',
      });
    });
    after(async () => {
      await station?.close();
      await csms?.stop();
    });

    test('stations prints a table, or the API JSON with --json', async () => {
      const table = await cli(['stations']);
      assert.equal(table.code, 0, table.stderr);
      const lines = table.stdout.trim().split('\n');
      assert.match(lines[0] ?? '', /^IDENTITY\s+CONNECTED\s+PROTOCOL/);
      assert.match(table.stdout, /CLI-1\s+true\s+ocpp1\.6/);
      assert.match(table.stdout, /CLI-2\s+false/);
      const json = await cli(['--json', 'stations', '--connected']);
      assert.equal(json.code, 0);
      const page = JSON.parse(json.stdout) as { items: Array<{ identity: string }>; total: number };
      assert.deepEqual(
        page.items.map((s) => s.identity),
        ['CLI-1'],
      );
    });

    test('station <id> shows the station page; an unknown one exits 1', async () => {
      await csms.api('/api/v1/stations/CLI-1/get-configuration', { method: 'POST', body: {} });
      const shown = await cli(['station', 'CLI-1']);
      assert.equal(shown.code, 0, shown.stderr);
      assert.match(shown.stdout, /^identity\s+CLI-1$/m);
      assert.match(shown.stdout, /^connected\s+true$/m);
      assert.match(shown.stdout, /HeartbeatInterval\s+300\s+false/);
      assert.match(shown.stdout, /TAG-RUN/);
      const missing = await cli(['station', 'NOPE']);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /^csms: STATION_NOT_FOUND: No station NOPE/);
    });

    test('tokens add, list and block', async () => {
      const added = await cli([
        'tokens',
        'add',
        'CARD-9',
        '--status',
        'Accepted',
        '--expires',
        '2030-01-01T00:00:00Z',
        '--parent',
        'FLEET',
        '--max-tx',
        '2',
      ]);
      assert.equal(added.code, 0, added.stderr);
      assert.match(added.stdout, /added CARD-9 \(ISO14443\): Accepted/);
      const token = await csms.stores.idTokens.get('CARD-9');
      assert.equal(token?.parent_id_token, 'FLEET');
      assert.equal(token?.max_concurrent_tx, 2);
      assert.equal(token?.expires_at?.toISOString(), '2030-01-01T00:00:00.000Z');

      const listed = await cli(['tokens']);
      assert.match(listed.stdout, /CARD-9\s+ISO14443\s+Accepted\s+2030-01-01T00:00:00\.000Z\s+FLEET\s+2/);
      const blocked = await cli(['tokens', 'block', 'CARD-9']);
      assert.equal(blocked.code, 0, blocked.stderr);
      assert.match(blocked.stdout, /blocked CARD-9/);
      assert.equal((await csms.stores.idTokens.get('CARD-9'))?.status, 'Blocked');

      const invalid = await cli(['tokens', 'add', 'CARD-10', '--status', 'Gold']);
      assert.equal(invalid.code, 1);
      assert.match(invalid.stderr, /VALIDATION_FAILED: body\/status/);
      assert.equal(await csms.stores.idTokens.get('CARD-10'), undefined);
      const badNumber = await cli(['tokens', 'add', 'CARD-11', '--max-tx', 'many']);
      assert.equal(badNumber.code, 1);
      assert.match(badNumber.stderr, /--max-tx must be an integer/);
    });

    test('call sends an action and prints the answer; errors exit 1', async () => {
      const answered = await cli(['call', 'CLI-1', 'GetConfiguration', '{"key":["HeartbeatInterval"]}']);
      assert.equal(answered.code, 0, answered.stderr);
      assert.deepEqual(JSON.parse(answered.stdout), {
        configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }],
      });
      assert.deepEqual(station.received.at(-1), {
        action: 'GetConfiguration',
        payload: { key: ['HeartbeatInterval'] },
      });

      const badJson = await cli(['call', 'CLI-1', 'GetConfiguration', '{key']);
      assert.equal(badJson.code, 1);
      assert.match(badJson.stderr, /payload is not valid JSON/);
      const invalid = await cli(['call', 'CLI-1', 'GetConfiguration', '{"key":"x"}']);
      assert.equal(invalid.code, 1);
      assert.match(invalid.stderr, /INVALID_OCPP_REQUEST/);
      const offline = await cli(['call', 'CLI-2', 'ClearCache']);
      assert.equal(offline.code, 1);
      assert.match(offline.stderr, /STATION_NOT_CONNECTED/);
    });

    test('transactions filters by station and --active', async () => {
      const all = await cli(['transactions', '--station', 'CLI-1']);
      assert.equal(all.code, 0, all.stderr);
      assert.match(all.stdout, /TAG-RUN\s+Active/);
      assert.match(all.stdout, /TAG-CLI\s+Ended/);
      const active = await cli(['transactions', '--active']);
      assert.match(active.stdout, /TAG-RUN/);
      assert.doesNotMatch(active.stdout, /TAG-CLI/);
    });

    test('without a token, with a wrong one, or with an unknown command it exits 1 with a message', async () => {
      const noToken = await run(['--url', csms.apiUrl, 'stations']);
      assert.equal(noToken.code, 1);
      assert.match(noToken.stderr, /needs a token/);
      const wrong = await run(['--url', csms.apiUrl, '--token', 'nope', 'stations']);
      assert.equal(wrong.code, 1);
      assert.match(wrong.stderr, /refused the token/);
      const unknown = await cli(['frobnicate']);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /unknown command "frobnicate"/);
      const badFlag = await cli(['stations', '--colour']);
      assert.equal(badFlag.code, 1);
      assert.match(badFlag.stderr, /Unknown option '--colour'/);
      const help = await run(['--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /Usage: csms/);
    });
  });
}
