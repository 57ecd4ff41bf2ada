/**
 * What every client meets first: probes and metrics without a token, the bearer token on /api/v1,
 * the OpenAPI document (every route, every error code), and the API token kept across restarts.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FRIENDLY_COMMANDS } from '../../src/api/commands/index.js';
import { API_ERRORS } from '../../src/api/errors.js';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import { connectStation } from './station-peers.js';

const FIXED_ROUTES = [
  ['get', '/healthz'],
  ['get', '/readyz'],
  ['get', '/metrics'],
  ['get', '/api/v1/stations'],
  ['post', '/api/v1/stations'],
  ['get', '/api/v1/stations/{id}'],
  ['patch', '/api/v1/stations/{id}'],
  ['delete', '/api/v1/stations/{id}'],
  ['put', '/api/v1/stations/{id}/password'],
  ['post', '/api/v1/stations/{id}/disconnect'],
  ['get', '/api/v1/stations/{id}/messages'],
  ['get', '/api/v1/stations/{id}/reports'],
  ['get', '/api/v1/stations/{id}/monitors'],
  ['post', '/api/v1/stations/{id}/call/{action}'],
  ['get', '/api/v1/transactions'],
  ['get', '/api/v1/transactions/{id}'],
  ['get', '/api/v1/transactions/{id}/meter-values.csv'],
  ['get', '/api/v1/id-tokens'],
  ['post', '/api/v1/id-tokens'],
  ['get', '/api/v1/id-tokens/{idToken}'],
  ['patch', '/api/v1/id-tokens/{idToken}'],
  ['delete', '/api/v1/id-tokens/{idToken}'],
  ['get', '/api/v1/events'],
] as const;

const EXPECTED_ROUTES = [
  ...FIXED_ROUTES,
  ...FRIENDLY_COMMANDS.map((c) => ['post', `/api/v1/stations/{id}/${c.name}`] as const),
];

interface Operation {
  summary?: string;
  parameters?: Array<{ in: string; name: string }>;
  responses?: Record<string, unknown>;
  security?: unknown[];
}

for (const kind of databaseKinds()) {
  describe(`API basics [${kind}]`, () => {
    let csms: TestCsms;
    before(async () => {
      csms = await startTestCsms(kind);
    });
    after(async () => {
      await csms?.stop();
    });

    test('/healthz and /readyz answer without a token', async () => {
      assert.deepEqual((await csms.api('/healthz', { token: null })).body, { status: 'ok' });
      const ready = await csms.api('/readyz', { token: null });
      assert.equal(ready.status, 200);
      assert.equal(ready.body.status, 'ok');
      assert.equal(typeof ready.body.databaseMs, 'number');
    });

    test('/metrics serves the CSMS metrics without a token', async () => {
      const station = await connectStation(csms, 'MET-1', 'ocpp1.6', {
        Reset: () => ({ status: 'Accepted' }),
      });
      await csms.api('/api/v1/stations/MET-1/reset', { method: 'POST', body: { type: 'soft' } });
      await station.call('Heartbeat', {});
      await station.call('Heartbeat', {});
      await csms.api('/readyz');
      const response = await fetch(`${csms.apiUrl}/metrics`);
      const text = await response.text();
      await station.close();
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /text\/plain/);
      assert.match(text, /csms_connected_stations\{protocol="ocpp1\.6"\} 1/);
      assert.match(text, /csms_ocpp_messages_out_total\{action="Reset"\} 1/);
      assert.match(text, /csms_ocpp_messages_in_total\{action="Heartbeat"\} 2/);
      assert.match(text, /csms_ocpp_handler_seconds_count\{action="Heartbeat"\} 2/);
      assert.match(text, /# TYPE csms_ocpp_callerrors_total counter/);
      assert.match(text, /# TYPE csms_ocpp_handler_seconds histogram/);
      assert.match(text, /csms_db_seconds_count\{operation="readyz_select_1"\}/);
    });

    test('/api/v1 needs the bearer token: 401 without it or with a wrong one', async () => {
      for (const [method, path] of [
        ['GET', '/api/v1/stations'],
        ['POST', '/api/v1/stations'],
        ['GET', '/api/v1/transactions'],
        ['GET', '/api/v1/id-tokens'],
        ['POST', '/api/v1/stations/X/call/Reset'],
        ['GET', '/api/v1/no-such-route'],
      ] as const) {
        for (const token of [null, 'wrong-token']) {
          const response = await csms.api(path, { method, token, body: method === 'POST' ? {} : undefined });
          assert.equal(response.status, 401, `${method} ${path} with ${token}`);
          assert.equal(response.body.code, 'UNAUTHORIZED');
        }
      }
      const raw = await fetch(`${csms.apiUrl}/api/v1/stations`, { headers: { authorization: 'Basic abc' } });
      assert.equal(raw.status, 401);
      assert.match(raw.headers.get('www-authenticate') ?? '', /^Bearer/);
      assert.equal((await csms.api('/api/v1/stations')).status, 200);
    });

    test('unreadable bodies get their own codes: malformed JSON 400, not JSON 415, too large 413', async () => {
      const post = (headers: Record<string, string>, body: string) =>
        fetch(`${csms.apiUrl}/api/v1/id-tokens`, {
          method: 'POST',
          headers: { authorization: `Bearer ${csms.apiToken}`, ...headers },
          body,
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as { code: string } }));
      const json = { 'content-type': 'application/json' };
      assert.deepEqual((await post(json, '{"idToken":')).body.code, 'BAD_REQUEST');
      const text = await post({ 'content-type': 'text/plain' }, 'idToken=A');
      assert.equal(text.status, 415);
      assert.equal(text.body.code, 'UNSUPPORTED_MEDIA_TYPE');
      const large = await post(json, JSON.stringify({ idToken: 'A', padding: 'x'.repeat(1_100_000) }));
      assert.equal(large.status, 413);
      assert.equal(large.body.code, 'BODY_TOO_LARGE');
      assert.equal((await csms.api('/api/v1/id-tokens')).body.total, 0, 'nothing created');
    });

    test('an unknown route is a JSON 404', async () => {
      const response = await csms.api('/api/v1/no-such-route');
      assert.equal(response.status, 404);
      assert.equal(response.body.code, 'ROUTE_NOT_FOUND');
    });

    test('the OpenAPI document lists every route with schemas, and every error code', async () => {
      const response = await csms.api('/docs/json', { token: null });
      assert.equal(response.status, 200);
      const doc = response.body as {
        openapi: string;
        info: { description: string };
        paths: Record<string, Record<string, Operation>>;
        components: { schemas: Record<string, { properties?: Record<string, { enum?: string[] }> }> };
      };
      assert.match(doc.openapi, /^3\./);
      const listed = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m} ${path}`),
      );
      for (const [method, path] of EXPECTED_ROUTES) {
        assert.ok(listed.includes(`${method} ${path}`), `missing ${method} ${path}`);
      }
      assert.equal(listed.length, EXPECTED_ROUTES.length, `unexpected routes: ${listed.join(', ')}`);
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          assert.ok(op.summary, `${method} ${path} has a summary`);
          assert.ok(op.responses && Object.keys(op.responses).length > 0, `${method} ${path} has responses`);
          for (const name of path.match(/\{(\w+)\}/g) ?? []) {
            const param = name.slice(1, -1);
            assert.ok(
              op.parameters?.some((p) => p.in === 'path' && p.name === param),
              `${path} documents ${param}`,
            );
          }
          if (path.startsWith('/api/v1/'))
            assert.ok(op.responses?.['401'], `${method} ${path} documents 401`);
        }
      }
      const codes = doc.components.schemas.ApiError?.properties?.code?.enum ?? [];
      for (const code of Object.keys(API_ERRORS)) {
        assert.ok(codes.includes(code), `ApiError.code lists ${code}`);
        assert.ok(doc.info.description.includes(`\`${code}\``), `the description documents ${code}`);
      }
      const ui = await fetch(`${csms.apiUrl}/docs`);
      assert.equal(ui.status, 200);
    });

    test('every documented /api/v1 operation exists on the server', async () => {
      const doc = (await csms.api('/docs/json')).body as { paths: Record<string, object> };
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const method of Object.keys(ops)) {
          const url = path.replace(/\{(\w+)\}/g, ':$1');
          assert.ok(
            csms.fastify.hasRoute({ method: method.toUpperCase() as 'GET', url }),
            `${method} ${url}`,
          );
        }
      }
    });
  });
}

describe('API token', () => {
  test('without CSMS_API_TOKEN one is generated on the first start and kept across restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'csms-token-'));
    try {
      const first = await startTestCsms('pglite', { apiToken: '', dataDir });
      const token = first.apiToken;
      try {
        assert.equal(first.apiTokenGenerated, true, 'main.ts prints it');
        assert.ok(token.length >= 32);
        assert.equal((await first.api('/api/v1/stations')).status, 200);
        assert.equal((await first.api('/api/v1/stations', { token: 'test-token' })).status, 401);
      } finally {
        await first.stop();
      }
      const second = await startTestCsms('pglite', { apiToken: '', dataDir });
      try {
        assert.equal(second.apiToken, token);
        assert.equal((await second.api('/api/v1/stations')).status, 200);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
