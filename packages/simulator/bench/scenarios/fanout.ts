/**
 * Command fan-out: one API request per station (POST /stations/{id}/trigger-message, Heartbeat), as
 * an operator's script or a back office would send them, a bounded number in flight. Measures when
 * the last API answer (the station's TriggerMessage.conf) came back, and when the last triggered
 * Heartbeat was answered by the CSMS.
 */
import { performance } from 'node:perf_hooks';
import type { ServerInfo } from '../server-child.js';

export interface FanoutRun {
  readonly stations: number;
  /** API requests answered 200 with the station's Accepted. */
  readonly accepted: number;
  readonly errors: number;
  readonly errorSamples: readonly string[];
  /** Seconds until every API request was answered. */
  readonly apiDoneS: number;
  /** Seconds until every triggered Heartbeat was answered (NaN if not all were). */
  readonly heartbeatsDoneS: number;
  readonly requestsPerS: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function fanOut(
  server: ServerInfo,
  identities: readonly string[],
  concurrency: number,
  heartbeatsAnswered: () => Promise<number>,
): Promise<FanoutRun> {
  const before = await heartbeatsAnswered();
  const samples: string[] = [];
  let accepted = 0;
  let errors = 0;
  const fail = (message: string) => {
    errors += 1;
    if (samples.length < 5) samples.push(message);
  };
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < identities.length) {
      const identity = identities[next++]!;
      try {
        const response = await fetch(`${server.apiUrl}/stations/${identity}/trigger-message`, {
          method: 'POST',
          headers: { authorization: `Bearer ${server.apiToken}`, 'content-type': 'application/json' },
          body: '{"message":"Heartbeat"}',
        });
        const body = (await response.json()) as { response?: { status?: string } };
        if (response.status === 200 && body.response?.status === 'Accepted') accepted += 1;
        else fail(`${identity}: HTTP ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
      } catch (error) {
        fail(`${identity}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, identities.length) }, worker));
  const apiDone = performance.now() - started;
  let heartbeatsDone = Number.NaN;
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    if ((await heartbeatsAnswered()) - before >= accepted) {
      heartbeatsDone = performance.now() - started;
      break;
    }
    await sleep(20);
  }
  if (Number.isNaN(heartbeatsDone)) fail('not every triggered Heartbeat was answered within 30 s');
  return {
    stations: identities.length,
    accepted,
    errors,
    errorSamples: samples,
    apiDoneS: apiDone / 1000,
    heartbeatsDoneS: heartbeatsDone / 1000,
    requestsPerS: (identities.length / apiDone) * 1000,
  };
}
