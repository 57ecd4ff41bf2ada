/** What the figures were measured on, for the report's header. */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

function packageVersion(specifier: string): string {
  try {
    const url = new URL(`../../../../node_modules/${specifier}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly fdLimit: string;
}

export function machineInfo(): MachineInfo {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown CPU',
    cores: cpu.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    fdLimit: fdLimit(),
  };
}

/** The soft limit on open files of this process (each socket is one), from /proc on Linux. */
function fdLimit(): string {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    return line?.split(/\s{2,}/)[1] ?? '?';
  } catch {
    return '?';
  }
}

export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}

/** Versions of what is measured. */
export function versions(): Record<string, string> {
  return {
    ocppkit: packageVersion('ocppkit'),
    '@ocppkit/csms': packageVersion('@ocppkit/csms'),
    'ocpp-rpc': packageVersion('ocpp-rpc'),
    ws: packageVersion('ws'),
    '@electric-sql/pglite': packageVersion('@electric-sql/pglite'),
    pg: packageVersion('pg'),
  };
}

/** Busy share of all CPUs over `ms` (0–1), from /proc/stat; undefined where there is none. */
export async function cpuBusy(ms = 1000): Promise<number | undefined> {
  const sample = () => {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { idle, total: fields.reduce((a, b) => a + b, 0) };
  };
  try {
    const before = sample();
    await new Promise((resolve) => setTimeout(resolve, ms));
    const after = sample();
    const total = after.total - before.total;
    return total > 0 ? 1 - (after.idle - before.idle) / total : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Waits, between two runs (nothing of ours running), until the others' use of the machine drops
 * below `threshold` or `maxWaitMs` passed; returns the busy share measured last, to report with the
 * run. Other engineers' tests share this machine, and a run next to them measures them too.
 */
export async function waitForQuietMachine(
  threshold: number,
  maxWaitMs: number,
  onWait: (busy: number) => void,
): Promise<number | undefined> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const busy = await cpuBusy();
    if (busy === undefined || busy < threshold || Date.now() >= deadline) return busy;
    onWait(busy);
    await new Promise((resolve) => setTimeout(resolve, 4000));
  }
}
