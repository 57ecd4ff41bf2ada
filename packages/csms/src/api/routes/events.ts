/**
 * GET /api/v1/events: the CSMS's live events (events.ts) as server-sent events, one JSON object per
 * `data:` line, for the dashboard. Optional filters keep a page's stream small: `station` (one
 * station's events) and `types` (a comma-separated list of event types).
 *
 * EventSource cannot send headers, so this route also takes the token as `?token=` (see auth.ts).
 */
import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import type { CsmsEvent } from '../../events.js';
import { errorResponses } from '../schemas.js';
import type { ApiDeps } from '../server.js';

const EVENT_TYPES = ['station', 'boot', 'connector', 'transaction', 'meter', 'message'] as const;

/** A comment line keeps proxies and the browser from timing the idle stream out. */
const HEARTBEAT_MS = 15_000;
/** How long a client waits before reconnecting (the SSE `retry:` field). */
const RECONNECT_MS = 2_000;
/** A client that stops reading loses events rather than growing the server's memory without bound. */
const MAX_BUFFERED_BYTES = 1 << 20;

interface EventsQuery {
  token?: string;
  station?: string;
  types?: string;
}

function matcher(query: EventsQuery): (event: CsmsEvent) => boolean {
  const types = query.types ? new Set(query.types.split(',').map((t) => t.trim())) : undefined;
  return (event) =>
    (query.station === undefined || event.identity === query.station) && (!types || types.has(event.type));
}

export const eventRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  const open = new Set<ServerResponse>();
  // A stream never ends on its own, so the server could not close while a dashboard is open. The
  // socket is destroyed rather than ended: a client that stopped reading would never acknowledge an end.
  app.addHook('preClose', async () => {
    for (const response of open) response.destroy();
  });

  app.get<{ Querystring: EventsQuery }>(
    '/events',
    {
      // The token may be in the URL here: request logs at info level would write it out.
      logLevel: 'warn',
      config: { tokenInQuery: true },
      schema: {
        tags: ['stations'],
        summary: 'Live events as server-sent events (text/event-stream)',
        description:
          'Each event is a `data:` line holding a JSON object with a `type` of ' +
          `${EVENT_TYPES.join(', ')}; a comment line comes every ${HEARTBEAT_MS / 1000} s. ` +
          'EventSource cannot send headers, so the bearer token may be given as `?token=` instead.',
        querystring: {
          type: 'object',
          properties: {
            token: { type: 'string', description: 'The bearer token, for clients that cannot send headers' },
            station: { type: 'string', description: "Only this station's events" },
            types: {
              type: 'string',
              pattern: `^(${EVENT_TYPES.join('|')})(,(${EVENT_TYPES.join('|')}))*$`,
              description: 'Comma-separated event types (default: all)',
            },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            description: 'An endless text/event-stream',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          ...errorResponses(400),
        },
      },
    },
    async (request, reply) => {
      const wanted = matcher(request.query);
      const response = reply.raw;
      reply.hijack();
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        // Ended streams close their socket, so a closing server is not kept waiting by it.
        connection: 'close',
        // nginx would otherwise buffer the stream.
        'x-accel-buffering': 'no',
      });
      response.write(`retry: ${RECONNECT_MS}\n: connected\n\n`);
      open.add(response);
      const unsubscribe = deps.events.subscribe((event) => {
        if (!wanted(event) || response.writableLength > MAX_BUFFERED_BYTES) return;
        response.write(`data: ${JSON.stringify(event)}\n\n`);
      });
      const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      response.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(response);
      });
    },
  );
};
