/**
 * The live progress line of a fleet run on stderr, once a second: rewritten in place (`\r`) on a
 * terminal, one plain line per tick when stderr is a file or a pipe.
 */
import type { FleetStats } from './fleet-stats.js';

export interface ProgressTarget {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export function startProgress(
  stats: FleetStats,
  label: string,
  total: number,
  target: ProgressTarget,
  intervalMs = 1000,
): () => void {
  let lastFrames = 0;
  let lastAt = Date.now();
  const tty = target.isTTY === true;
  const tick = () => {
    const now = Date.now();
    const frames = stats.framesIn + stats.framesOut;
    const perSecond = Math.round(((frames - lastFrames) * 1000) / Math.max(1, now - lastAt));
    lastFrames = frames;
    lastAt = now;
    const line = progressLine(stats, label, total, perSecond);
    target.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
  };
  const timer = setInterval(tick, intervalMs);
  return () => {
    clearInterval(timer);
    tick();
    if (tty) target.write('\n');
  };
}

export function progressLine(stats: FleetStats, label: string, total: number, messagesPerS: number): string {
  const seconds = Math.round(stats.elapsedMs / 1000);
  const active = stats.transactionsStarted - stats.transactionsEnded;
  return [
    `[${label} ${seconds}s]`,
    `connected ${stats.connectedNow}/${total}`,
    `accepted ${stats.accepted.length}`,
    `msgs/s ${messagesPerS}`,
    `tx active ${active} done ${stats.transactionsEnded}`,
    `errors ${stats.errors}`,
  ].join('  ');
}
