/**
 * The CSMS answers to every CALL an OCPP 1.6 station sends: Core, Firmware Management, Local Auth
 * List, Reservation, Smart Charging and Remote Trigger profiles, and the security whitepaper
 * (edition 3). One file per concern; this one only wires them. The StationSession guard has already
 * refused anything but BootNotification from a station that is not Accepted.
 */
import * as v16 from 'ocppkit/v16';
import { handleDataTransfer } from '../data-transfer.js';
import { handleHeartbeat } from '../registration.js';
import { handleSecurityEventNotification } from '../security-messages.js';
import { type StationSession, sessionOf } from '../station-session.js';
import { handleAuthorize } from './authorize.js';
import { handleBootNotification } from './boot.js';
import { handleMeterValues } from './meter-values.js';
import {
  handleDiagnosticsStatusNotification,
  handleFirmwareStatusNotification,
  handleLogStatusNotification,
  handleSignedFirmwareStatusNotification,
} from './notifications.js';
import { handleSignCertificate } from './security.js';
import { handleStatusNotification } from './status.js';
import { handleStartTransaction, handleStopTransaction } from './transactions.js';

type StationHandler<A extends v16.Action> = (
  session: StationSession,
  request: v16.ActionMap[A]['request'],
) => v16.ActionMap[A]['response'] | Promise<v16.ActionMap[A]['response']>;

/** Every station-initiated 1.6 action. */
const HANDLERS: { readonly [A in v16.Action]?: StationHandler<A> } = {
  Authorize: handleAuthorize,
  Heartbeat: handleHeartbeat,
  BootNotification: handleBootNotification,
  DataTransfer: handleDataTransfer,
  DiagnosticsStatusNotification: handleDiagnosticsStatusNotification,
  FirmwareStatusNotification: handleFirmwareStatusNotification,
  LogStatusNotification: handleLogStatusNotification,
  MeterValues: handleMeterValues,
  SecurityEventNotification: handleSecurityEventNotification,
  SignCertificate: handleSignCertificate,
  SignedFirmwareStatusNotification: handleSignedFirmwareStatusNotification,
  StartTransaction: handleStartTransaction,
  StatusNotification: handleStatusNotification,
  StopTransaction: handleStopTransaction,
};

/**
 * One route table for every 1.6 station (ChargePoint option `routes`): a station costs no closure
 * and no table of its own. Each handler finds its station's session through its ChargePoint.
 */
export const V16_ROUTES = new v16.Routes();
for (const action of Object.keys(HANDLERS) as v16.Action[]) {
  const handler = HANDLERS[action] as StationHandler<typeof action>;
  V16_ROUTES.handle(action, (request, { chargePoint }) => handler(sessionOf(chargePoint), request));
}
