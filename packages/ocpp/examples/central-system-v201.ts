/**
 * An OCPP 2.0.1 CSMS, the counterpart of `central-system-v16.ts`.
 *
 *   node packages/ocpp/dist/examples/central-system-v201.js       (PORT=9000 by default)
 *
 * It answers BootNotification, Heartbeat and StatusNotification, and once a boot has been answered
 * reads the station's HeartbeatInterval with GetVariables. Ctrl-C closes every connection and exits.
 */
import { createServer } from 'ocppkit';
import {
  after,
  type BootNotificationRequest,
  type BootNotificationResponse,
  ChargePoint,
  type HeartbeatResponse,
  on,
  type StatusNotificationRequest,
  type StatusNotificationResponse,
} from 'ocppkit/v201';
import { pino } from 'pino';

const logger = pino();

class Csms extends ChargePoint {
  @on('BootNotification')
  onBootNotification(request: BootNotificationRequest): BootNotificationResponse {
    this.logger.info({ request }, 'BootNotification received');
    return { currentTime: new Date().toISOString(), interval: 10, status: 'Accepted' };
  }

  @on('Heartbeat')
  onHeartbeat(): HeartbeatResponse {
    this.logger.info('Heartbeat received');
    return { currentTime: new Date().toISOString() };
  }

  @on('StatusNotification')
  onStatusNotification(request: StatusNotificationRequest): StatusNotificationResponse {
    this.logger.info(
      { evseId: request.evseId, connectorId: request.connectorId, status: request.connectorStatus },
      'StatusNotification received',
    );
    return {};
  }

  /** Runs once the BootNotification answer has been sent: the station is ready for our commands. */
  @after('BootNotification')
  async afterBootNotification(request: BootNotificationRequest, response: BootNotificationResponse) {
    this.logger.info(
      {
        vendor: request.chargingStation.vendorName,
        model: request.chargingStation.model,
        status: response.status,
      },
      'boot answered, reading the heartbeat interval',
    );
    try {
      const result = await this.call('GetVariables', {
        getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }],
      });
      this.logger.info({ getVariableResult: result.getVariableResult }, 'GetVariables answered');
    } catch (error) {
      this.logger.error({ err: error }, 'GetVariables failed');
    }
  }
}

const server = createServer({
  protocols: ['ocpp2.0.1'],
  logger,
  handleSignals: true,
  onConnection: (connection) => {
    new Csms(connection, { logger });
  },
});

const { port } = await server.listen(Number(process.env.PORT ?? 9000));
logger.info({ port }, 'CSMS listening for OCPP 2.0.1 stations');
