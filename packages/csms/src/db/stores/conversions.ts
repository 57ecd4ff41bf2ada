import { DatabaseError } from '../errors.js';

/** A point in time as a station sends it (ISO 8601 text) or as a Date. */
export type Instant = Date | string;

/** Parses an Instant, refusing text that isn't a date rather than storing "Invalid Date". */
export function toDate(instant: Instant): Date {
  const date = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(date.getTime())) {
    throw new DatabaseError('DB_INVALID_TIMESTAMP', `not a timestamp: ${String(instant)}`);
  }
  return date;
}

/** JSON text for a jsonb column (see `Jsonb` in schema.ts for why text). */
export function toJsonb(value: unknown): string {
  return storableJson(JSON.stringify(value ?? null));
}

/** Like toJsonb, but absent stays SQL NULL instead of JSON null. */
export function toNullableJsonb(value: unknown): string | null {
  return value === undefined || value === null ? null : storableJson(JSON.stringify(value));
}

/**
 * A NUL or a lone surrogate as JSON.stringify writes it: an escape (it writes a whole pair as the
 * character itself), preceded by an even run of backslashes (`\\u0000` is a backslash and "u0000").
 */
const UNSTORABLE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/g;

/**
 * PostgreSQL's json and jsonb cannot hold U+0000 (NUL) nor a lone surrogate, and one in a batch
 * fails all its rows. This is JSON text from JSON.stringify with each of them replaced by U+FFFD,
 * the replacement character; the text itself when it has none (a text with no escape at all).
 */
export function storableJson(json: string): string {
  if (!json.includes('\\u')) return json;
  return json.replace(UNSTORABLE_ESCAPE, '$1\\ufffd');
}

/** Escapes LIKE wildcards so a search for "50%" matches the text "50%". */
export function containsPattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
