/**
 * One station at a prompt: type what the EV driver does (plug, auth, start, stop, unplug), take the
 * station off the network and back, and watch every message both ways.
 */
import { createInterface } from 'node:readline';
import type { StationEvent } from './events.js';
import { createStation } from './station.js';
import type { Station, StationOptions, StopReason } from './station-api.js';

const HELP = `commands:
  plug <c>              plug a cable into connector c
  auth <token>          present an id token (Authorize)
  start <c> <token>     plug in if needed, authorize and start charging on connector c
  stop <c> [reason]     stop the transaction on connector c (reason: Local, EVDisconnected, ...)
  unplug <c>            unplug connector c (stops a running transaction)
  offline               drop the connection and stay offline (transaction messages queue up)
  online                reconnect and deliver the queued messages
  status                connectors, transactions, energy, queued messages
  help                  this text
  quit                  close the connection and exit`;

export interface InteractiveIo {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream & { isTTY?: boolean };
}

export async function runInteractive(
  options: StationOptions,
  io: InteractiveIo = { input: process.stdin, output: process.stdout },
): Promise<void> {
  const rl = createInterface({ input: io.input, output: io.output, terminal: io.output.isTTY === true });
  const tty = io.output.isTTY === true;
  let closing = false;
  const print = (line: string) => {
    if (tty) io.output.write('\r\x1b[K');
    io.output.write(`${line}\n`);
    if (tty && !closing) rl.prompt(true);
  };
  rl.setPrompt(`${options.identity}> `);
  // A prompt is for people; piped input (scripts, tests) gets the output lines only.
  const prompt = () => {
    if (tty) rl.prompt();
  };
  const station = createStation({ ...options, waitForBoot: false });
  station.onEvent((event) => {
    const line = describeEvent(event);
    if (line) print(line);
  });
  print(`connecting ${options.identity} (${options.protocol}) to ${options.url} ...`);
  try {
    await station.start();
  } catch (error) {
    print(`! could not connect: ${error instanceof Error ? error.message : String(error)}`);
    rl.close();
    process.exitCode = 1;
    return;
  }
  print('connected; type "help" for commands');
  const lines: string[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  rl.on('line', (line) => {
    lines.push(line);
    wake?.();
  });
  rl.on('close', () => {
    ended = true;
    wake?.();
  });
  prompt();
  for (;;) {
    if (lines.length === 0) {
      if (ended) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
      continue;
    }
    const line = lines.shift()!.trim();
    if (line === '') {
      prompt();
      continue;
    }
    const [command = '', ...args] = line.split(/\s+/);
    if (command === 'quit' || command === 'exit') break;
    try {
      const answer = await execute(station, command, args);
      if (answer) print(answer);
    } catch (error) {
      print(`! ${error instanceof Error ? error.message : String(error)}`);
    }
    prompt();
  }
  closing = true;
  print('closing');
  await station.close();
  rl.close();
}

async function execute(station: Station, command: string, args: string[]): Promise<string | undefined> {
  const connector = () => {
    const n = Number(args[0]);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`${command}: give a connector number, e.g. "${command} 1"`);
    return n;
  };
  const needsCsms = ['auth', 'start', 'stop'].includes(command);
  if (needsCsms && station.online && station.registrationStatus !== 'Accepted') {
    await station.whenAccepted();
  }
  switch (command) {
    case 'help':
      return HELP;
    case 'plug':
      await station.plugIn(connector());
      return undefined;
    case 'auth': {
      if (!args[0]) throw new Error('auth: give an id token, e.g. "auth TAG1"');
      return `authorization: ${await station.authorize(args[0])}`;
    }
    case 'start': {
      if (!args[1]) throw new Error('start: give a connector and an id token, e.g. "start 1 TAG1"');
      const tx = await station.startCharging(connector(), args[1]);
      return `charging on ${tx.connectorId}, transaction ${tx.transactionId ?? '(id not yet assigned)'}`;
    }
    case 'stop': {
      const tx = await station.stopCharging(connector(), (args[1] as StopReason | undefined) ?? 'Local');
      return `stopped transaction ${tx.transactionId ?? '-1'} on ${tx.connectorId}: ${tx.energyWh} Wh`;
    }
    case 'unplug':
      await station.unplug(connector());
      return undefined;
    case 'offline':
      await station.goOffline();
      return 'offline';
    case 'online':
      await station.comeBack();
      return `online; delivering ${station.queuedMessages} queued messages`;
    case 'status':
      return statusText(station);
    default:
      throw new Error(`unknown command "${command}"; type "help"`);
  }
}

function statusText(station: Station): string {
  const lines = [
    `${station.identity} ${station.protocol}: ${station.online ? (station.connected ? 'connected' : 'reconnecting') : 'offline'}, ` +
      `registration ${station.registrationStatus ?? 'none'}, heartbeat ${station.heartbeatIntervalS}s, ` +
      `${station.queuedMessages} queued`,
  ];
  for (const c of station.connectors) {
    const tx = c.transaction
      ? `, transaction ${c.transaction.transactionId ?? '(pending)'} ${c.transaction.idToken} ${c.transaction.energyWh} Wh`
      : '';
    lines.push(`  connector ${c.connectorId}: ${c.status}, meter ${c.meterWh} Wh${tx}`);
  }
  return lines.join('\n');
}

function describeEvent(event: StationEvent): string | undefined {
  switch (event.type) {
    case 'frame':
      return describeFrame(event.direction, event.text, event.action);
    case 'connected':
      return event.reconnect ? '* reconnected' : undefined;
    case 'disconnected':
      return `* disconnected (${event.code}${event.reason ? ` ${event.reason}` : ''})`;
    case 'boot':
      return `* boot ${event.status}, interval ${event.interval}s`;
    case 'status':
      return `* connector ${event.connectorId}: ${event.status}`;
    case 'transaction':
      return `* transaction ${event.event} on ${event.connectorId}${event.transactionId === undefined ? '' : ` (${event.transactionId})`}`;
    case 'error':
      return `! ${event.message}`;
    default:
      return undefined;
  }
}

/** `→` leaves the station, `←` arrives from the CSMS. */
function describeFrame(direction: 'in' | 'out', text: string, action: string | undefined): string {
  const arrow = direction === 'out' ? '→' : '←';
  let frame: unknown[];
  try {
    frame = JSON.parse(text) as unknown[];
  } catch {
    return `${arrow} ${text}`;
  }
  switch (frame[0]) {
    case 2:
      return `${arrow} ${String(frame[2])} ${JSON.stringify(frame[3])}`;
    case 3:
      return `${arrow} ${action ?? ''} result ${JSON.stringify(frame[2])}`;
    case 4:
      return `${arrow} ${action ?? ''} error ${String(frame[2])} ${String(frame[3] ?? '')}`;
    default:
      return `${arrow} ${text}`;
  }
}
