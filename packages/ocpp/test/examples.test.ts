/**
 * Runs the tutorial examples as their users would: each central system as a child process on a free
 * port, then its charge point, reading their pino output. The boot must be Accepted and the
 * central system's after-hook command answered; SIGTERM must shut both down cleanly.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const WAIT_MS = 10_000;

interface LogLine {
  readonly msg?: string;
  readonly [key: string]: unknown;
}

/** A running example: its stdout parsed as pino JSON lines, and a way to wait for one. */
class ExampleProcess {
  readonly child: ChildProcess;
  readonly lines: LogLine[] = [];
  readonly exited: Promise<number | null>;
  #stderr = '';
  #waiters: Array<{ match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }> = [];

  constructor(file: string, env: Record<string, string>) {
    const path = fileURLToPath(new URL(`../examples/${file}`, import.meta.url));
    this.child = spawn(process.execPath, [path], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // 'close', not 'exit': it comes after stdout has been read to its end.
    this.exited = new Promise((resolve) => this.child.once('close', (code) => resolve(code)));
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.#stderr += chunk.toString();
    });
    createInterface({ input: this.child.stdout! }).on('line', (text) => {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        line = { msg: text };
      }
      this.lines.push(line);
      const [ready, waiting] = partition(this.#waiters, (w) => w.match(line));
      this.#waiters = waiting;
      for (const waiter of ready) waiter.resolve(line);
    });
  }

  /** The first line (already printed or still to come) that matches. */
  waitFor(description: string, match: (line: LogLine) => boolean): Promise<LogLine> {
    const seen = this.lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no "${description}" within ${WAIT_MS} ms; output:\n${this.output()}`));
      }, WAIT_MS);
      this.#waiters.push({
        match,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
      void this.exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`exited before "${description}"; output:\n${this.output()}`));
      });
    });
  }

  output(): string {
    return [...this.lines.map((l) => JSON.stringify(l)), this.#stderr].join('\n');
  }

  /** SIGTERM, and the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}

const running: ExampleProcess[] = [];

function start(file: string, env: Record<string, string> = {}): ExampleProcess {
  const example = new ExampleProcess(file, env);
  running.push(example);
  return example;
}

after(async () => {
  for (const example of running) {
    if (example.child.exitCode === null && example.child.signalCode === null) example.child.kill('SIGKILL');
  }
  await Promise.all(running.map((e) => e.exited));
});

const PAIRS = [
  {
    version: '1.6',
    centralSystem: 'central-system-v16.js',
    chargePoint: 'charge-point-v16.js',
    command: 'GetConfiguration',
    checkAnswer: (line: LogLine) =>
      assert.deepEqual(line.configurationKey, [
        { key: 'HeartbeatInterval', readonly: false, value: '10' },
        { key: 'NumberOfConnectors', readonly: true, value: '1' },
      ]),
  },
  {
    version: '2.0.1',
    centralSystem: 'central-system-v201.js',
    chargePoint: 'charge-point-v201.js',
    command: 'GetVariables',
    checkAnswer: (line: LogLine) =>
      assert.deepEqual(line.getVariableResult, [
        {
          attributeStatus: 'Accepted',
          attributeValue: '10',
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'HeartbeatInterval' },
        },
      ]),
  },
] as const;

for (const pair of PAIRS) {
  describe(`OCPP ${pair.version} tutorial examples`, { timeout: 20_000 }, () => {
    test(`${pair.centralSystem} and ${pair.chargePoint}: Accepted boot, then the after-hook's ${pair.command}`, async () => {
      // PORT=0: the central system picks a free port and logs it.
      const csms = start(pair.centralSystem, { PORT: '0' });
      const listening = await csms.waitFor('listening', (l) => typeof l.port === 'number');
      const station = start(pair.chargePoint, { CSMS_URL: `ws://127.0.0.1:${listening.port as number}` });

      const boot = await station.waitFor(
        'BootNotification answered',
        (l) => l.msg === 'BootNotification answered',
      );
      assert.equal((boot.response as { status: string }).status, 'Accepted');
      const answered = await csms.waitFor(
        `${pair.command} answered`,
        (l) => l.msg === `${pair.command} answered`,
      );
      pair.checkAnswer(answered);
      await station.waitFor(`${pair.command} received`, (l) => l.msg === `${pair.command} received`);
      if (pair.version === '2.0.1') {
        await csms.waitFor('StatusNotification', (l) => l.msg === 'StatusNotification received');
      }

      // SIGTERM on the central system: close frames 1001 to every station, then exit 0.
      assert.equal(await csms.stop(), 0, csms.output());
      await csms.waitFor('server closed', (l) => l.msg === 'OCPP server closed');
      const dropped = await station.waitFor('disconnected', (l) => l.msg === 'disconnected from CSMS');
      assert.equal(dropped.code, 1001);
      // The station would now retry with back-off; SIGTERM ends it cleanly.
      assert.equal(await station.stop(), 0, station.output());
    });
  });
}
