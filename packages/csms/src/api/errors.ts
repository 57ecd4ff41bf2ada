/**
 * Every error the management API answers, with a stable string code and its HTTP status, and the one
 * place that turns any thrown error (ours, the gateway's `CommandError`, Fastify's validation and body
 * parsing errors) into an HTTP reply. Routes throw; they never build error replies themselves.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { CommandError } from '../ocpp/station-gateway.js';

export const API_ERRORS = {
  VALIDATION_FAILED: { status: 400, description: 'Path, query or body does not match the route schema' },
  BAD_REQUEST: { status: 400, description: 'The request could not be read (malformed JSON, empty body, …)' },
  INVALID_PASSWORD: { status: 400, description: 'The station password does not have the OCPP format' },
  UNKNOWN_ACTION: {
    status: 400,
    description: "The action is not one the CSMS sends in the station's OCPP version",
  },
  INVALID_OCPP_REQUEST: {
    status: 400,
    description: "The payload fails the OCPP schema of the station's version; nothing was sent",
  },
  UNSUPPORTED_BY_PROTOCOL: {
    status: 400,
    description: "The command does not exist in the station's OCPP version; nothing was sent",
  },
  PASSWORD_BY_COMMAND: {
    status: 400,
    description:
      "The command would set the station's Basic Auth password, which only PUT /stations/{id}/password " +
      'does (it keeps the hash the station is checked against); nothing was sent',
  },
  UNAUTHORIZED: { status: 401, description: 'The bearer token is missing or wrong' },
  BODY_TOO_LARGE: { status: 413, description: 'The request body exceeds the size limit (1 MiB)' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'Request bodies must be application/json' },
  ROUTE_NOT_FOUND: { status: 404, description: 'No such route' },
  STATION_NOT_FOUND: { status: 404, description: 'No station with this identity is registered' },
  TRANSACTION_NOT_FOUND: { status: 404, description: 'No such transaction (for this station)' },
  ID_TOKEN_NOT_FOUND: { status: 404, description: 'No such id token' },
  RESERVATION_NOT_FOUND: { status: 404, description: 'No such reservation (for this station)' },
  STATION_EXISTS: { status: 409, description: 'A station with this identity is registered already' },
  ID_TOKEN_EXISTS: { status: 409, description: 'This id token (with this type) exists already' },
  STATION_NOT_CONNECTED: { status: 409, description: 'The station is not connected, so nothing was sent' },
  STATION_CONNECTED: {
    status: 409,
    description: 'The station is connected; it cannot be deleted while it is',
  },
  STATION_CALL_ERROR: {
    status: 502,
    description:
      'The station answered with a CALLERROR (code and description in `details`) or an invalid result ' +
      '(for a command whose answer is stored: text the database cannot store, its field in `details.path`)',
  },
  DATABASE_UNAVAILABLE: { status: 503, description: 'The database does not answer' },
  STATION_TIMEOUT: { status: 504, description: 'The station did not answer in time' },
  INTERNAL_ERROR: { status: 500, description: 'An unexpected failure; the log has the details' },
} as const satisfies Record<string, { status: number; description: string }>;

export type ApiErrorCode = keyof typeof API_ERRORS;

/** Thrown by routes; `details` goes into the reply body as is. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly details: unknown;

  constructor(code: ApiErrorCode, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return API_ERRORS[this.code].status;
  }
}

/** The body of every error reply. */
export interface ErrorBody {
  statusCode: number;
  code: ApiErrorCode;
  message: string;
  details?: unknown;
}

const COMMAND_ERRORS: Record<CommandError['code'], ApiErrorCode> = {
  STATION_NOT_FOUND: 'STATION_NOT_FOUND',
  NOT_CONNECTED: 'STATION_NOT_CONNECTED',
  UNKNOWN_ACTION: 'UNKNOWN_ACTION',
  INVALID_REQUEST: 'INVALID_OCPP_REQUEST',
  TIMEOUT: 'STATION_TIMEOUT',
  CALL_ERROR: 'STATION_CALL_ERROR',
};

interface AjvIssue {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** "body/status must be equal to one of the allowed values: Accepted, Blocked" rather than Ajv's terser text. */
function describeValidation(context: string | undefined, issues: readonly AjvIssue[]): string {
  return issues
    .map((issue) => {
      const where = `${context ?? 'request'}${issue.instancePath}`;
      let text = `${where} ${issue.message ?? 'is invalid'}`;
      if (issue.keyword === 'additionalProperties') text += `: '${String(issue.params.additionalProperty)}'`;
      if (issue.keyword === 'enum' && Array.isArray(issue.params.allowedValues)) {
        text += `: ${issue.params.allowedValues.join(', ')}`;
      }
      return text;
    })
    .join('; ');
}

/** Translates anything thrown while serving a request into a status and an error body. */
export function toErrorReply(error: unknown): ErrorBody {
  const reply = (code: ApiErrorCode, message: string, details?: unknown): ErrorBody => ({
    statusCode: API_ERRORS[code].status,
    code,
    message,
    ...(details !== undefined && { details }),
  });
  if (error instanceof ApiError) return reply(error.code, error.message, error.details);
  if (error instanceof CommandError) return reply(COMMAND_ERRORS[error.code], error.message, error.details);
  const fastifyError = error as Partial<FastifyError> & { validation?: AjvIssue[] };
  if (fastifyError.validation) {
    return reply(
      'VALIDATION_FAILED',
      describeValidation(fastifyError.validationContext, fastifyError.validation),
    );
  }
  const status = fastifyError.statusCode;
  // Fastify's own 4xx: malformed JSON or empty body (400), body too large (413), not JSON (415).
  if (status === 413) return reply('BODY_TOO_LARGE', fastifyError.message ?? 'body too large');
  if (status === 415)
    return reply('UNSUPPORTED_MEDIA_TYPE', fastifyError.message ?? 'unsupported media type');
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return reply('BAD_REQUEST', fastifyError.message ?? 'bad request');
  }
  return reply('INTERNAL_ERROR', 'internal error');
}

export function handleApiError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const body = toErrorReply(error);
  if (body.code === 'INTERNAL_ERROR') request.log.error({ err: error }, 'request failed');
  // RFC 6750 §3: a 401 names the scheme the client should use.
  if (body.code === 'UNAUTHORIZED') void reply.header('www-authenticate', 'Bearer realm="csms"');
  void reply.status(body.statusCode).send(body);
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply): void {
  const body: ErrorBody = {
    statusCode: 404,
    code: 'ROUTE_NOT_FOUND',
    message: `Route ${request.method} ${request.url.split('?')[0]} not found`,
  };
  void reply.status(404).send(body);
}

/** The error table in Markdown, for the OpenAPI description. */
export function errorTableMarkdown(): string {
  const rows = Object.entries(API_ERRORS).map(
    ([code, { status, description }]) => `| \`${code}\` | ${status} | ${description} |`,
  );
  return ['| code | HTTP | meaning |', '|---|---|---|', ...rows].join('\n');
}
