/** How int8 and numeric values are read, the same for PGlite (in its worker) and PostgreSQL. */
import { DatabaseError } from './errors.js';

export const OID_INT8 = 20;
export const OID_NUMERIC = 1700;

// bigserial ids and count(*) are int8; JS numbers hold them exactly up to 2^53, far
// beyond what this system will reach, and a wrong id must never be returned silently.
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new DatabaseError('DB_UNSAFE_INTEGER', `int8 value ${text} does not fit a JS number`);
  }
  return value;
}

// numeric holds meter readings and energy; a double is precise enough for those.
export const parseNumeric = (text: string): number => Number(text);
