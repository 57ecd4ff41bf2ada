/**
 * An OCPP 1.6 charge point: the "charge_point.py" of the Python `ocpp` tutorial, with ocppkit.
 *
 *   node packages/ocpp/dist/examples/charge-point-v16.js     (CSMS_URL=ws://localhost:9000, IDENTITY=CP_1)
 *
 * It connects, sends a BootNotification, prints the answer, answers the central system's
 * GetConfiguration and then sends a Heartbeat at the interval the central system asked for.
 */
import { connect } from 'ocppkit';
import { ChargePoint } from 'ocppkit/v16';
import { pino } from 'pino';

const logger = pino();
const url = process.env.CSMS_URL ?? `ws://localhost:${process.env.PORT ?? 9000}`;

const transport = await connect({
  url,
  identity: process.env.IDENTITY ?? 'CP_1',
  protocols: ['ocpp1.6'],
  logger,
});
const chargePoint = new ChargePoint(transport, { logger });

chargePoint.handle('GetConfiguration', (request) => {
  logger.info({ request }, 'GetConfiguration received');
  return {
    configurationKey: [
      { key: 'HeartbeatInterval', readonly: false, value: '10' },
      { key: 'NumberOfConnectors', readonly: true, value: '1' },
    ],
  };
});

const response = await chargePoint.call('BootNotification', {
  chargePointModel: 'Optimus',
  chargePointVendor: 'The Mobility House',
});
logger.info({ response }, 'BootNotification answered');

if (response.status === 'Accepted') {
  logger.info('Connected to central system.');
  const heartbeats = setInterval(async () => {
    try {
      const { currentTime } = await chargePoint.call('Heartbeat', {});
      logger.info({ currentTime }, 'Heartbeat answered');
    } catch (error) {
      logger.warn({ err: error }, 'Heartbeat failed');
    }
  }, response.interval * 1000);

  const stop = async () => {
    clearInterval(heartbeats);
    await chargePoint.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} else {
  await chargePoint.close();
}
