/**
 * An OCPP 2.0.1 charging station, the counterpart of `charge-point-v16.ts`.
 *
 *   node packages/ocpp/dist/examples/charge-point-v201.js    (CSMS_URL=ws://localhost:9000, IDENTITY=CS_1)
 *
 * It connects, sends a BootNotification and prints the answer, reports its connector Available,
 * answers the CSMS's GetVariables and then sends a Heartbeat at the interval the CSMS asked for.
 */
import { connect } from 'ocppkit';
import { ChargePoint } from 'ocppkit/v201';
import { pino } from 'pino';

const logger = pino();
const url = process.env.CSMS_URL ?? `ws://localhost:${process.env.PORT ?? 9000}`;
const variables = new Map([['OCPPCommCtrlr/HeartbeatInterval', '10']]);

const transport = await connect({
  url,
  identity: process.env.IDENTITY ?? 'CS_1',
  protocols: ['ocpp2.0.1'],
  logger,
});
const station = new ChargePoint(transport, { logger });

station.handle('GetVariables', (request) => {
  logger.info({ request }, 'GetVariables received');
  return {
    getVariableResult: request.getVariableData.map(({ component, variable }) => {
      const value = variables.get(`${component.name}/${variable.name}`);
      return value === undefined
        ? { attributeStatus: 'UnknownVariable', component, variable }
        : { attributeStatus: 'Accepted', attributeValue: value, component, variable };
    }),
  };
});

const response = await station.call('BootNotification', {
  reason: 'PowerUp',
  chargingStation: { model: 'Optimus', vendorName: 'The Mobility House' },
});
logger.info({ response }, 'BootNotification answered');

if (response.status === 'Accepted') {
  logger.info('Connected to the CSMS.');
  await station.call('StatusNotification', {
    timestamp: new Date().toISOString(),
    connectorStatus: 'Available',
    evseId: 1,
    connectorId: 1,
  });
  const heartbeats = setInterval(async () => {
    try {
      const { currentTime } = await station.call('Heartbeat', {});
      logger.info({ currentTime }, 'Heartbeat answered');
    } catch (error) {
      logger.warn({ err: error }, 'Heartbeat failed');
    }
  }, response.interval * 1000);

  const stop = async () => {
    clearInterval(heartbeats);
    await station.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} else {
  await station.close();
}
