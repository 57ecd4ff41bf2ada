#!/usr/bin/env node
/**
 * ocppkit-sim: one station at a prompt, or a fleet running a scenario.
 *   ocppkit-sim --url ws://localhost:9000/ocpp --id CS001 --protocol ocpp1.6
 *   ocppkit-sim --url ws://localhost:9000/ocpp --stations 1000 --scenario charge --duration 60 --speed 60
 */
import { parseArgs } from 'node:util';
import { type FleetSummary, runFleet } from './fleet.js';
import { runInteractive } from './interactive.js';
import { isScenarioName, SCENARIOS } from './scenarios/index.js';
import type { StationProtocol } from './station-api.js';

const USAGE = `usage:
  ocppkit-sim --url <ws://host:port/path> [--id CS001] [--protocol ocpp1.6|ocpp2.0.1]   one station, interactive
  ocppkit-sim --url <...> --stations <n> --scenario <name> [--duration 60] [--speed 60]   a fleet

options:
  --url <url>             CSMS endpoint; the identity is appended (required)
  --id <identity>         station identity; with --stations the prefix of SIM001, SIM002, ... (default CS001 / SIM)
  --protocol <p>          ocpp1.6 (default) or ocpp2.0.1; a fleet also takes "mixed"
  --connectors <n>        connectors (1.6) or EVSEs (2.0.1) per station (default 2)
  --password <pw>         Basic Auth password (security profile 1)
  --meter-interval <s>    seconds between meter values while charging (default 60; a fleet divides it by --speed)
  --power-kw <kW>         charging power (default 11)
  --stations <n>          run a fleet of n stations
  --scenario <name>       ${Object.entries(SCENARIOS)
    .map(([name, s]) => `${name}: ${s.description}`)
    .join('\n                          ')}
  --duration <s>          how long the fleet runs at most (default 60)
  --speed <x>             simulated seconds per real second (default 60)
  --id-token <token>      id token the charge scenario presents (default SIMTAG; the CSMS must know it)
  --concurrency <n>       handshakes in flight while launching a fleet (default 200)
  --no-spread             do not spread source addresses over 127.0.0.0/8
  --json                  print the fleet summary as JSON
  --help`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      id: { type: 'string' },
      protocol: { type: 'string', default: 'ocpp1.6' },
      connectors: { type: 'string' },
      password: { type: 'string' },
      'meter-interval': { type: 'string' },
      'power-kw': { type: 'string' },
      stations: { type: 'string' },
      scenario: { type: 'string' },
      duration: { type: 'string' },
      speed: { type: 'string' },
      'id-token': { type: 'string' },
      concurrency: { type: 'string' },
      'no-spread': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.url) return usageError('--url is required');
  const num = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0)
      throw new UsageError(`--${name} must be a positive number, not "${value}"`);
    return n;
  };
  const common = {
    url: values.url,
    connectors: num('connectors', values.connectors),
    password: values.password,
    meterIntervalS: num('meter-interval', values['meter-interval']),
    powerKw: num('power-kw', values['power-kw']),
  };
  const protocol = values.protocol;
  if (values.stations === undefined) {
    if (protocol !== 'ocpp1.6' && protocol !== 'ocpp2.0.1')
      return usageError('--protocol must be ocpp1.6 or ocpp2.0.1');
    await runInteractive({ ...common, identity: values.id ?? 'CS001', protocol });
    return 0;
  }
  if (protocol !== 'ocpp1.6' && protocol !== 'ocpp2.0.1' && protocol !== 'mixed') {
    return usageError('--protocol must be ocpp1.6, ocpp2.0.1 or mixed');
  }
  const scenario = values.scenario ?? 'idle';
  if (!isScenarioName(scenario)) return usageError(`unknown scenario "${scenario}"`);
  const abort = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nstopping (Ctrl-C again to quit at once)\n');
    abort.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  const summary = await runFleet({
    ...common,
    stations: Math.round(num('stations', values.stations) ?? 1),
    scenario,
    protocol: protocol as StationProtocol | 'mixed',
    idPrefix: values.id ?? 'SIM',
    durationS: num('duration', values.duration),
    speed: num('speed', values.speed),
    idToken: values['id-token'],
    connectConcurrency: num('concurrency', values.concurrency),
    spreadAddresses: values['no-spread'] ? false : undefined,
    signal: abort.signal,
  });
  console.log(values.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
  return summary.errors > 0 ? 1 : 0;
}

function formatSummary(s: FleetSummary): string {
  const lines = [
    `scenario ${s.scenario}: ${s.stations} stations (${s.protocol}) for ${s.elapsedS}s`,
    `  connected ${s.connected}, boots accepted ${s.accepted}`,
    `  frames in ${s.framesIn}, out ${s.framesOut} (${Math.round((s.framesIn + s.framesOut) / Math.max(s.elapsedS, 0.1))}/s)`,
    `  calls ${s.calls}, failed ${s.failedCalls}, cut off by the fleet ${s.interruptedCalls}; latency p50 ${s.latencyMs.p50} ms, p95 ${s.latencyMs.p95} ms, p99 ${s.latencyMs.p99} ms, max ${s.latencyMs.max} ms`,
    `  transactions started ${s.transactionsStarted}, ended ${s.transactionsEnded}, energy ${s.energyKWh} kWh`,
  ];
  for (const [name, value] of Object.entries(s.metrics)) lines.push(`  ${name}: ${value}`);
  for (const [action, a] of Object.entries(s.byAction).sort()) {
    lines.push(
      `  ${action.padEnd(28)} ${String(a.calls).padStart(7)} calls ${String(a.errors).padStart(5)} errors  p95 ${a.p95Ms} ms`,
    );
  }
  lines.push(`  errors ${s.errors}`);
  for (const sample of s.errorSamples) lines.push(`    ${sample}`);
  return lines.join('\n');
}

class UsageError extends Error {}

function usageError(message: string): number {
  console.error(`ocppkit-sim: ${message}\n\n${USAGE}`);
  return 2;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.exitCode = usageError((error as Error).message);
      return;
    }
    console.error(`ocppkit-sim: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
