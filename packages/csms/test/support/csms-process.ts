/**
 * Runs the CSMS as a real child process (`node dist/src/main.js`), the way `npm start` does, so a
 * test can kill it with SIGKILL or stop it with SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));

export interface CsmsProcess {
  readonly child: ChildProcess;
  readonly ocppUrl: string;
  readonly apiUrl: string;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves with the exit code or signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startCsmsProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CsmsProcess> {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const started = Date.now();
  while (!/API:\s+http:\/\/\S+:\d+\/api\/v1/.test(output)) {
    if (child.exitCode !== null) throw new Error(`CSMS exited early:\n${output}`);
    if (Date.now() - started > 30_000) {
      child.kill('SIGKILL');
      throw new Error(`CSMS did not start within 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const ocppPort = /OCPP \(ws\):\s+ws:\/\/[^:]+:(\d+)/.exec(output)?.[1];
  const apiPort = /API:\s+http:\/\/[^:]+:(\d+)/.exec(output)?.[1];
  return {
    child,
    ocppUrl: `ws://127.0.0.1:${ocppPort}/ocpp`,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    output: () => output,
    exited,
  };
}
