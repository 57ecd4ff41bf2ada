/**
 * The CSMS side of an OCPP 2.0.1 connection: one handler for every CALL a charging station may send
 * (2.0.1 Part 2, the messages whose sender is the Charging Station). Handlers live by concern in
 * this folder; this file only wires them. Before the station is Accepted, StationSession's guard
 * answers every CALL but BootNotification with SecurityError (B02.FR.09, B03.FR.07).
 */
import * as v201 from 'ocppkit/v201';
import { handleDataTransfer } from '../data-transfer.js';
import { handleHeartbeat } from '../registration.js';
import { handleSecurityEventNotification } from '../security-messages.js';
import { type StationSession, sessionOf } from '../station-session.js';
import { handleAuthorize } from './authorize.js';
import { handleBootNotification } from './boot.js';
import {
  handleClearedChargingLimit,
  handleNotifyChargingLimit,
  handleNotifyEVChargingNeeds,
  handleNotifyEVChargingSchedule,
  handleReportChargingProfiles,
} from './charging.js';
import { handleNotifyCustomerInformation, handleNotifyDisplayMessages } from './customer-and-display.js';
import {
  handleFirmwareStatusNotification,
  handleLogStatusNotification,
  handlePublishFirmwareStatusNotification,
} from './firmware-and-logs.js';
import { handleMeterValues } from './meter-values.js';
import { handleNotifyEvent, handleNotifyMonitoringReport, handleNotifyReport } from './reports.js';
import { handleReservationStatusUpdate } from './reservations.js';
import {
  handleGet15118EVCertificate,
  handleGetCertificateStatus,
  handleSignCertificate,
} from './security.js';
import { handleStatusNotification } from './status.js';
import { handleTransactionEvent } from './transaction-event.js';

/**
 * One route table for every 2.0.1 station (ChargePoint option `routes`): a station costs no
 * closure and no table of its own. Each handler finds its station's session through its ChargePoint.
 */
export const V201_ROUTES = new v201.Routes();
/** A handler of the shared table that calls `handler` with the session of the station that sent the CALL. */
function on<Request, Response>(
  handler: (session: StationSession, request: Request) => Response,
): (request: Request, context: { readonly chargePoint: object }) => Response {
  return (request, { chargePoint }) => handler(sessionOf(chargePoint), request);
}

// B. Provisioning
V201_ROUTES.handle('BootNotification', on(handleBootNotification));
V201_ROUTES.handle('Heartbeat', handleHeartbeat);
V201_ROUTES.handle('NotifyReport', on(handleNotifyReport));

// C. Authorization, E. Transactions, G. Availability, J. Meter values
V201_ROUTES.handle('Authorize', on(handleAuthorize));
V201_ROUTES.handle('TransactionEvent', on(handleTransactionEvent));
V201_ROUTES.handle('StatusNotification', on(handleStatusNotification));
V201_ROUTES.handle('MeterValues', on(handleMeterValues));

// A. Security, M. ISO 15118 certificate management
V201_ROUTES.handle('SecurityEventNotification', on(handleSecurityEventNotification));
V201_ROUTES.handle('SignCertificate', on(handleSignCertificate));
V201_ROUTES.handle('Get15118EVCertificate', on(handleGet15118EVCertificate));
V201_ROUTES.handle('GetCertificateStatus', on(handleGetCertificateStatus));

// H. Reservation
V201_ROUTES.handle('ReservationStatusUpdate', on(handleReservationStatusUpdate));

// K. Smart charging
V201_ROUTES.handle('NotifyChargingLimit', on(handleNotifyChargingLimit));
V201_ROUTES.handle('ClearedChargingLimit', on(handleClearedChargingLimit));
V201_ROUTES.handle('ReportChargingProfiles', on(handleReportChargingProfiles));
V201_ROUTES.handle('NotifyEVChargingNeeds', on(handleNotifyEVChargingNeeds));
V201_ROUTES.handle('NotifyEVChargingSchedule', on(handleNotifyEVChargingSchedule));

// L. Firmware, N. Diagnostics
V201_ROUTES.handle('FirmwareStatusNotification', on(handleFirmwareStatusNotification));
V201_ROUTES.handle('PublishFirmwareStatusNotification', on(handlePublishFirmwareStatusNotification));
V201_ROUTES.handle('LogStatusNotification', on(handleLogStatusNotification));
V201_ROUTES.handle('NotifyEvent', on(handleNotifyEvent));
V201_ROUTES.handle('NotifyMonitoringReport', on(handleNotifyMonitoringReport));
V201_ROUTES.handle('NotifyCustomerInformation', on(handleNotifyCustomerInformation));

// O. Display messages, P. Data transfer
V201_ROUTES.handle('NotifyDisplayMessages', on(handleNotifyDisplayMessages));
V201_ROUTES.handle('DataTransfer', on(handleDataTransfer));
