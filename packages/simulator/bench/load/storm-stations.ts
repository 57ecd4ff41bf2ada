/**
 * Light stations for the boot storm: a raw WebSocket (raw-websocket.ts) and fixed frames, the same
 * messages a simulated station sends (BootNotification, then StatusNotification for connector 0 and
 * each connector) but without the simulator's JSON, validation and state, nor `ws`'s client, so the
 * load processes spend their CPU on the sockets and the server is what is measured. They stay
 * connected and answer a TriggerMessage as a station does: Accepted, then the message asked for (a
 * Heartbeat). Frames a station sends at once (its StatusNotifications after the boot is accepted,
 * the trigger's answer and Heartbeat) go in one socket write, as its TCP stack would send them.
 */
import { sourceAddress, stationIdentity } from '../../src/fleet-context.js';
import { Fleet, type FleetUpRequest } from './fleet.js';
import { RawWebSocket } from './raw-websocket.js';

const BOOT = '[2,"b","BootNotification",{"chargePointVendor":"csms-bench","chargePointModel":"storm"}]';

function status(connectorId: number): string {
  return `[2,"s${connectorId}","StatusNotification",{"connectorId":${connectorId},"errorCode":"NoError","status":"Available"}]`;
}

export class StormFleet extends Fleet {
  readonly #sockets: RawWebSocket[] = [];

  protected startStation(request: FleetUpRequest, index: number): Promise<void> {
    const identity = stationIdentity(request.prefix, index, request.total);
    const statuses = Array.from({ length: request.connectors + 1 }, (_, c) => status(c));
    return new Promise((resolve) => {
      let answered = 0;
      let triggered = 0;
      const ws: RawWebSocket = new RawWebSocket({
        url: `${request.url}/${identity}`,
        protocol: 'ocpp1.6',
        localAddress: sourceAddress(index),
        onError: (message) => {
          this.error(`${identity}: ${message}`);
          resolve();
        },
        onOpen: () => {
          this.connected();
          this.#sockets.push(ws);
          ws.send(BOOT);
        },
        onText: (text) => {
          if (text.startsWith('[2,')) {
            // A CALL from the CSMS: only TriggerMessage is expected here.
            const id = text.slice(4, text.indexOf('"', 4));
            ws.sendAll([`[3,"${id}",{"status":"Accepted"}]`, `[2,"h${++triggered}","Heartbeat",{}]`]);
            return;
          }
          if (text.startsWith('[4,')) {
            this.error(`${identity}: CALLERROR ${text.slice(0, 200)}`);
            return resolve();
          }
          if (text.startsWith('[3,"b"')) {
            if (!text.includes('"Accepted"')) {
              this.error(`${identity}: boot answered ${text.slice(0, 200)}`);
              return resolve();
            }
            this.booted();
            ws.sendAll(statuses);
            resolve();
          } else if (text.startsWith('[3,"s') && ++answered === statuses.length) {
            this.settled();
          } else if (text.startsWith('[3,"h')) this.heartbeats += 1;
        },
      });
    });
  }

  open(): number {
    return this.#sockets.filter((ws) => ws.isOpen).length;
  }

  async down(): Promise<void> {
    await Promise.all(this.#sockets.splice(0).map((ws) => ws.close()));
  }
}
