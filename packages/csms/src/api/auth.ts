/**
 * Bearer-token authentication of the management API (`Authorization: Bearer <token>`), as an
 * onRequest hook so an unauthenticated request is refused before its body is even read.
 * A route with `config: { tokenInQuery: true }` also takes `?token=` (EventSource cannot send headers).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The bearer token may come as `?token=` (server-sent events, read by EventSource). */
    tokenInQuery?: boolean;
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** A hook that lets a request through only with the right token. */
export function bearerAuth(token: string) {
  // Comparing fixed-length digests in constant time leaks neither the token nor its length.
  const expected = digest(token);
  return async function checkBearerToken(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const inQuery = request.routeOptions.config?.tokenInQuery && !header;
    const presented = inQuery ? (request.query as { token?: string }).token : match?.[1];
    if (!presented) {
      throw new ApiError('UNAUTHORIZED', 'Authorization: Bearer <token> is required');
    }
    if (!timingSafeEqual(digest(presented), expected)) {
      throw new ApiError('UNAUTHORIZED', 'Wrong bearer token');
    }
  };
}
