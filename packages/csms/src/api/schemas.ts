/**
 * Request schema pieces and helpers shared by the routes; the reply components are in components.ts.
 * Replies use camelCase; `camelCaseKeys` converts database rows.
 */
import { API_ERRORS } from './errors.js';

const integer = { type: 'integer' } as const;

/**
 * Station identity: OCPP-J 2.0.1 Part 4 §3.1.1 (and OCPP-NOTES): at most 48 characters of
 * `a-zA-Z0-9*-_=:+|@.` without the colon, because the identity is also the Basic Auth user name.
 */
export const IDENTITY_PATTERN = '^[A-Za-z0-9*\\-_=+|@.]{1,48}$';

/** 2.0.1 IdTokenType.idToken is at most 36 characters (1.6 idTag: 20; the library checks per version). */
export const ID_TOKEN_MAX = 36;

export const ID_TOKEN_STATUSES = [
  'Accepted',
  'Blocked',
  'Expired',
  'Invalid',
  'NoCredit',
  'NotAllowedTypeEVSE',
  'NotAtThisLocation',
  'NotAtThisTime',
] as const;

/** 2.0.1 IdTokenEnumType. */
export const ID_TOKEN_TYPES = [
  'Central',
  'eMAID',
  'ISO14443',
  'ISO15693',
  'KeyCode',
  'Local',
  'MacAddress',
  'NoAuthorization',
] as const;

// No pattern here: a station that connected under an older, laxer rule must still be reachable.
export const identityParams = {
  type: 'object',
  properties: { id: { type: 'string', minLength: 1, maxLength: 255, description: 'Station identity' } },
  required: ['id'],
} as const;

export const paginationQuery = {
  limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  offset: { type: 'integer', minimum: 0, default: 0 },
} as const;

/** A paginated list of `$ref`. */
export function page(ref: string) {
  return {
    type: 'object',
    description: `A page of ${ref} items`,
    properties: {
      items: { type: 'array', items: { $ref: `${ref}#` } },
      total: { ...integer, description: 'Items matching the filter, across all pages' },
      limit: integer,
      offset: integer,
    },
    required: ['items', 'total', 'limit', 'offset'],
  } as const;
}

/** Response entries for the given error statuses (401 and 500 always), all with the ApiError body. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    [401, 500, ...statuses].map((status) => {
      const codes = Object.entries(API_ERRORS).filter(([, error]) => error.status === status);
      return [
        status,
        { description: `ApiError: ${codes.map(([code]) => code).join(' | ')}`, $ref: 'ApiError#' },
      ];
    }),
  ) as Record<number, { description: string; $ref: string }>;
}

/** `station_identity` → `stationIdentity`, top-level keys only (JSON payloads inside keep theirs). */
export function camelCaseKeys(row: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()),
      value,
    ]),
  );
}
