/**
 * Test helpers: the real CSMS from the csms package, and polling for a condition.
 */
import type { StationEvent } from '../../src/events.js';

export { databaseKinds, startTestCsms, type TestCsms } from '@ocppkit/csms/dist/test/support/csms.js';

/** Polls `check` until it returns a truthy value (returned) or `timeoutMs` passes (throws). */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 50 } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The CALLs a station sent, parsed, in order. */
export function recordCalls(): {
  listener: (event: StationEvent) => void;
  calls: Array<{ action: string; payload: Record<string, unknown> }>;
} {
  const calls: Array<{ action: string; payload: Record<string, unknown> }> = [];
  return {
    calls,
    listener: (event) => {
      if (event.type !== 'frame' || event.direction !== 'out') return;
      const frame = JSON.parse(event.text) as unknown[];
      if (frame[0] === 2)
        calls.push({ action: String(frame[2]), payload: frame[3] as Record<string, unknown> });
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
