/**
 * Light stations for the boot storm: a socket and fixed frames, the same messages a simulated
 * station sends (BootNotification, then StatusNotification for connector 0 and each connector) but
 * without the simulator's JSON, validation and state, so the load processes spend their CPU on the
 * sockets and the server is what is measured. They stay connected and answer a TriggerMessage as a
 * station does: Accepted, then the message asked for (a Heartbeat).
 */
import { WebSocket } from 'ws';
import { sourceAddress, stationIdentity } from '../../src/fleet-context.js';
import { WS_OPTIONS } from '../peers/echo-server.js';
import { Fleet, type FleetUpRequest } from './fleet.js';

const BOOT = '[2,"b","BootNotification",{"chargePointVendor":"csms-bench","chargePointModel":"storm"}]';

function status(connectorId: number): string {
  return `[2,"s${connectorId}","StatusNotification",{"connectorId":${connectorId},"errorCode":"NoError","status":"Available"}]`;
}

export class StormFleet extends Fleet {
  readonly #sockets: WebSocket[] = [];

  protected startStation(request: FleetUpRequest, index: number): Promise<void> {
    const identity = stationIdentity(request.prefix, index, request.total);
    const statuses = Array.from({ length: request.connectors + 1 }, (_, c) => status(c));
    return new Promise((resolve) => {
      const ws = new WebSocket(`${request.url}/${identity}`, ['ocpp1.6'], {
        ...WS_OPTIONS,
        localAddress: sourceAddress(index),
      });
      let answered = 0;
      let triggered = 0;
      const fail = (message: string) => {
        this.error(`${identity}: ${message}`);
        resolve();
      };
      ws.once('unexpected-response', (_request, response) => fail(`HTTP ${response.statusCode}`));
      ws.on('error', (error) => fail(error.message));
      ws.once('open', () => {
        this.connected();
        this.#sockets.push(ws);
        ws.send(BOOT);
      });
      ws.on('message', (data) => {
        const text = data.toString();
        if (text.startsWith('[2,')) {
          // A CALL from the CSMS: only TriggerMessage is expected here.
          const id = text.slice(4, text.indexOf('"', 4));
          ws.send(`[3,"${id}",{"status":"Accepted"}]`);
          ws.send(`[2,"h${++triggered}","Heartbeat",{}]`);
          return;
        }
        if (text.startsWith('[4,')) return fail(`CALLERROR ${text.slice(0, 200)}`);
        if (text.startsWith('[3,"b"')) {
          if (!text.includes('"Accepted"')) return fail(`boot answered ${text.slice(0, 200)}`);
          this.booted();
          for (const frame of statuses) ws.send(frame);
          resolve();
        } else if (text.startsWith('[3,"s') && ++answered === statuses.length) {
          this.settled();
        } else if (text.startsWith('[3,"h')) this.heartbeats += 1;
      });
    });
  }

  open(): number {
    return this.#sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length;
  }

  async down(): Promise<void> {
    const sockets = this.#sockets.splice(0);
    await Promise.all(
      sockets.map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) return resolve();
            ws.once('close', () => resolve());
            ws.close();
          }),
      ),
    );
  }
}
