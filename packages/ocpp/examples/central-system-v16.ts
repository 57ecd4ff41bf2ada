/**
 * An OCPP 1.6 central system: the "central_system.py" of the Python `ocpp` tutorial, with ocppkit.
 *
 *   node packages/ocpp/dist/examples/central-system-v16.js        (PORT=9000 by default)
 *
 * It accepts every station, answers BootNotification and Heartbeat, and once a boot has been
 * answered asks the station for its configuration. Ctrl-C closes every connection and exits.
 */
import { createServer } from 'ocppkit';
import {
  after,
  type BootNotificationRequest,
  type BootNotificationResponse,
  ChargePoint,
  type HeartbeatResponse,
  on,
} from 'ocppkit/v16';
import { pino } from 'pino';

const logger = pino();

class CentralSystem extends ChargePoint {
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

  /** Runs once the BootNotification answer has been sent: the station is ready for our commands. */
  @after('BootNotification')
  async afterBootNotification(request: BootNotificationRequest, response: BootNotificationResponse) {
    this.logger.info(
      { vendor: request.chargePointVendor, model: request.chargePointModel, status: response.status },
      'boot answered, asking for the configuration',
    );
    try {
      const configuration = await this.call('GetConfiguration', {});
      this.logger.info({ configurationKey: configuration.configurationKey }, 'GetConfiguration answered');
    } catch (error) {
      this.logger.error({ err: error }, 'GetConfiguration failed');
    }
  }
}

const server = createServer({
  protocols: ['ocpp1.6'],
  logger,
  handleSignals: true,
  onConnection: (connection) => {
    new CentralSystem(connection, { logger });
  },
});

const { port } = await server.listen(Number(process.env.PORT ?? 9000));
logger.info({ port }, 'central system listening for OCPP 1.6 stations');
