/**
 * The two server pieces the dashboard needs, over HTTP: the built files with the index.html
 * fallback (and a clear 503 without a build), and the live events as server-sent events.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { DASHBOARD_DIR, dashboardRoutesFrom } from '../../src/api/routes/dashboard.js';
import type { CsmsEvent } from '../../src/events.js';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import { missingPrerequisite } from './browser.js';

/**
 * An event stream over its own socket (node:http, no pooled agent): fetch's pool may keep a spare
 * connection open that would hold up the server's close until the client's idle timeout.
 */
interface EventStream {
  readonly status: number;
  readonly contentType: string;
  /** Resolves with the next `count` data events. */
  next(count: number, timeoutMs?: number): Promise<unknown[]>;
  close(): void;
}

function openStream(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers, agent: false }, (response) => {
      response.setEncoding('utf8');
      let buffer = '';
      const events: unknown[] = [];
      let wake: (() => void) | undefined;
      response.on('data', (chunk: string) => {
        buffer += chunk;
        const blocks = buffer.split('\n\n');
        buffer = blocks.pop() ?? '';
        for (const block of blocks) {
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (data) events.push(JSON.parse(data.slice(6)));
        }
        wake?.();
      });
      resolve({
        status: response.statusCode ?? 0,
        contentType: String(response.headers['content-type'] ?? ''),
        async next(count, timeoutMs = 5000) {
          const deadline = Date.now() + timeoutMs;
          while (events.length < count && Date.now() < deadline) {
            await new Promise<void>((woken) => {
              wake = woken;
              setTimeout(woken, 50);
            });
          }
          return events.splice(0, count);
        },
        close: () => request.destroy(),
      });
    });
    request.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
  });
}

describe('dashboard files without a build', () => {
  test('/ and dashboard paths answer 503 saying to run npm run build', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'no-dashboard-'));
    const app = Fastify();
    await app.register(dashboardRoutesFrom(empty), { apiToken: 'token' });
    try {
      for (const url of ['/', '/stations/CP1']) {
        const response = await app.inject({ url });
        assert.equal(response.statusCode, 503);
        assert.match(response.headers['content-type'] as string, /^text\/plain/);
        assert.match(response.body, /npm run build/);
      }
    } finally {
      await app.close();
      await rm(empty, { recursive: true });
    }
  });
});

for (const kind of databaseKinds()) {
  describe(`dashboard server [${kind}]`, () => {
    let csms: TestCsms;
    before(async () => {
      csms = await startTestCsms(kind);
    });
    after(async () => {
      await csms?.stop();
    });

    test('the built dashboard: index.html for its paths, cacheable assets, JSON 404s elsewhere', {
      skip: missingPrerequisite()?.includes('not built') ? 'the dashboard is not built' : false,
    }, async () => {
      for (const path of ['/', '/stations/CP%201', '/transactions/12', '/id-tokens?status=Blocked']) {
        const response = await fetch(`${csms.apiUrl}${path}`);
        assert.equal(response.status, 200, path);
        assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
        assert.equal(response.headers.get('cache-control'), 'no-cache');
        const html = await response.text();
        assert.match(html, /<div id="app">/);
        const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
        assert.ok(script, 'index.html loads a bundled script');
        const asset = await fetch(`${csms.apiUrl}${script}`);
        assert.equal(asset.status, 200);
        assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
        await asset.arrayBuffer();
      }
      const missing = await fetch(`${csms.apiUrl}/assets/missing.js`);
      assert.equal(missing.status, 404, 'a missing file is not answered with index.html');
      assert.equal(((await missing.json()) as { code: string }).code, 'ROUTE_NOT_FOUND');
      assert.ok(DASHBOARD_DIR.endsWith('/dist/dashboard/'));
    });

    test('unknown /api paths still need the token before they are a 404', async () => {
      assert.equal((await csms.api('/api/v1/nothing-here', { token: null })).status, 401);
      assert.equal((await csms.api('/api/v2/stations', { token: null })).status, 401);
      const known = await csms.api('/api/v1/nothing-here');
      assert.equal(known.status, 404);
      assert.equal(known.body.code, 'ROUTE_NOT_FOUND');
    });

    test('events: the token as header or ?token=, and nothing without it', async () => {
      const url = `${csms.apiUrl}/api/v1/events`;
      for (const [target, headers, status] of [
        [url, {}, 401],
        [`${url}?token=wrong`, {}, 401],
        [`${url}?token=${csms.apiToken}`, {}, 200],
        [url, { authorization: `Bearer ${csms.apiToken}` }, 200],
        [`${url}?types=nonsense&token=${csms.apiToken}`, {}, 400],
      ] as const) {
        const stream = await openStream(target, headers);
        assert.equal(stream.status, status, target);
        if (status === 200) assert.match(stream.contentType, /^text\/event-stream/);
        stream.close();
      }
    });

    test('events: filtered by station and type, streamed as they happen, unsubscribed on close', async () => {
      let subscribed = 0;
      const subscribe = csms.events.subscribe.bind(csms.events);
      csms.events.subscribe = (listener) => {
        subscribed += 1;
        const unsubscribe = subscribe(listener);
        return () => {
          subscribed -= 1;
          unsubscribe();
        };
      };
      const stream = await openStream(
        `${csms.apiUrl}/api/v1/events?station=CP-A&types=connector,transaction`,
        {
          authorization: `Bearer ${csms.apiToken}`,
        },
      );
      assert.equal(subscribed, 1);
      const sent: CsmsEvent[] = [
        { type: 'connector', identity: 'CP-B', evseId: 1, connectorId: 1, status: 'Charging' },
        { type: 'meter', identity: 'CP-A', transactionId: 7 },
        { type: 'connector', identity: 'CP-A', evseId: 1, connectorId: 1, status: 'Charging' },
        { type: 'transaction', identity: 'CP-A', transactionId: 7, active: false },
      ];
      for (const event of sent) csms.events.emit(event);
      assert.deepEqual(await stream.next(2), [sent[2], sent[3]]);
      stream.close();
      const deadline = Date.now() + 2000;
      while (subscribed > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.equal(subscribed, 0, 'the listener is gone once the client left');
      csms.events.subscribe = subscribe;
    });

    test('events: an open stream does not hold up stopping the CSMS', async () => {
      const other = await startTestCsms(kind);
      const stream = await openStream(`${other.apiUrl}/api/v1/events`, {
        authorization: `Bearer ${other.apiToken}`,
      });
      assert.equal(stream.status, 200);
      const started = Date.now();
      await other.stop();
      assert.ok(Date.now() - started < 3000, `stopped in ${Date.now() - started} ms`);
      stream.close();
    });
  });
}
