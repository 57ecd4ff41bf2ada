/**
 * The operator dashboard: the Vite build in dist/dashboard (built from packages/csms/dashboard),
 * served on the API's port without a token — the page itself asks for the token and sends it with
 * every API call. Any other GET that is not an API route and not a file gets index.html, so the
 * dashboard's own paths (/stations/CP1, …) survive a reload.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { bearerAuth } from '../auth.js';
import { handleNotFound } from '../errors.js';
import type { ApiDeps } from '../server.js';

/** dist/src/api/routes/dashboard.js → dist/dashboard/ (the compiled file's place decides, not the cwd). */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../../dashboard/', import.meta.url));

const NOT_BUILT =
  'The dashboard is not built. Run `npm run build` (or `npm start`, which builds first), then restart the CSMS.\n';

/** Vite puts content-hashed files under assets/: they never change, so they may be cached for good. */
const HASHED_ASSETS = /[\\/]assets[\\/]/;

const isApiPath = (path: string) => path === '/api' || path.startsWith('/api/');
const looksLikeFile = (path: string) => /\.[A-Za-z0-9]+$/.test(path);

/** The dashboard served from `dir` (a folder with index.html; tests pass others). */
export function dashboardRoutesFrom(dir: string): FastifyPluginAsync<Pick<ApiDeps, 'apiToken'>> {
  return async (app, deps) => {
    await serveDashboard(app, dir, deps.apiToken);
  };
}

export const dashboardRoutes = dashboardRoutesFrom(DASHBOARD_DIR);

async function serveDashboard(app: FastifyInstance, dir: string, apiToken: string): Promise<void> {
  const checkToken = bearerAuth(apiToken);
  // Checked once: the static routes are made from the files present at start-up.
  const built = existsSync(join(dir, 'index.html'));

  if (built) {
    await app.register(fastifyStatic, {
      root: dir,
      // One route per built file, so the `/*` route below stays ours (the index.html fallback).
      wildcard: false,
      index: false,
      cacheControl: false,
      setHeaders(reply, path) {
        reply.header(
          'cache-control',
          HASHED_ASSETS.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }

  async function sendIndex(reply: FastifyReply) {
    if (!built) return reply.status(503).type('text/plain; charset=utf-8').send(NOT_BUILT);
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  }

  app.get('/', { schema: { hide: true } }, (_request, reply) => sendIndex(reply));

  app.get('/*', { schema: { hide: true } }, async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (isApiPath(path)) {
      // Same answer as inside /api/v1: the token first, then "no such route".
      await checkToken(request, reply);
      return handleNotFound(request, reply);
    }
    if (looksLikeFile(path)) return handleNotFound(request, reply);
    return sendIndex(reply);
  });
}
