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
  return JSON.stringify(value ?? null);
}

/** Like toJsonb, but absent stays SQL NULL instead of JSON null. */
export function toNullableJsonb(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** Escapes LIKE wildcards so a search for "50%" matches the text "50%". */
export function containsPattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
