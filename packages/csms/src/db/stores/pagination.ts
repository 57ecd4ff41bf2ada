export interface PageRequest {
  /** At most this many items (default 50, capped at 500). */
  limit?: number;
  /** Skip this many items first (default 0). */
  offset?: number;
}

export interface Page<T> {
  items: T[];
  /** How many items match the filter, across all pages. */
  total: number;
  limit: number;
  offset: number;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

/** Clamps a page request to sane bounds, so an API caller can't ask for a million rows. */
export function pageBounds(request: PageRequest = {}): { limit: number; offset: number } {
  const limit = Math.min(Math.max(Math.trunc(request.limit ?? DEFAULT_LIMIT), 1), MAX_LIMIT);
  const offset = Math.max(Math.trunc(request.offset ?? 0), 0);
  return { limit, offset };
}
