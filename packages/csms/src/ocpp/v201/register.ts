/**
 * The CSMS side of an OCPP 2.0.1 connection: one handler for every CALL a charging station may send
 * (2.0.1 Part 2, the messages whose sender is the Charging Station). Handlers live by concern in
 * this folder; this file only wires them. Before the station is Accepted, StationSession's guard
 * answers every CALL but BootNotification with SecurityError (B02.FR.09, B03.FR.07).
 */
import type * as v201 from 'ocppkit/v201';
import { handleDataTransfer } from '../data-transfer.js';
import { handleHeartbeat } from '../registration.js';
import { handleSecurityEventNotification } from '../security-messages.js';
import type { StationSession } from '../station-session.js';
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
import {
  handleNotifyEvent,
  handleNotifyMonitoringReport,
  handleNotifyReport,
  ReportParts,
} from './reports.js';
import { handleReservationStatusUpdate } from './reservations.js';
import {
  handleGet15118EVCertificate,
  handleGetCertificateStatus,
  handleSignCertificate,
} from './security.js';
import { handleStatusNotification } from './status.js';
import { handleTransactionEvent } from './transaction-event.js';

export function registerV201Handlers(cp: v201.ChargePoint, session: StationSession): void {
  const parts = new ReportParts();

  // B. Provisioning
  cp.handle('BootNotification', (request) => handleBootNotification(session, request));
  cp.handle('Heartbeat', handleHeartbeat);
  cp.handle('NotifyReport', (request) => handleNotifyReport(session, request, parts));

  // C. Authorization, E. Transactions, G. Availability, J. Meter values
  cp.handle('Authorize', (request) => handleAuthorize(session, request));
  cp.handle('TransactionEvent', (request) => handleTransactionEvent(session, request));
  cp.handle('StatusNotification', (request) => handleStatusNotification(session, request));
  cp.handle('MeterValues', (request) => handleMeterValues(session, request));

  // A. Security, M. ISO 15118 certificate management
  cp.handle('SecurityEventNotification', (request) => handleSecurityEventNotification(session, request));
  cp.handle('SignCertificate', (request) => handleSignCertificate(session, request));
  cp.handle('Get15118EVCertificate', (request) => handleGet15118EVCertificate(session, request));
  cp.handle('GetCertificateStatus', (request) => handleGetCertificateStatus(session, request));

  // H. Reservation
  cp.handle('ReservationStatusUpdate', (request) => handleReservationStatusUpdate(session, request));

  // K. Smart charging
  cp.handle('NotifyChargingLimit', (request) => handleNotifyChargingLimit(session, request));
  cp.handle('ClearedChargingLimit', (request) => handleClearedChargingLimit(session, request));
  cp.handle('ReportChargingProfiles', (request) => handleReportChargingProfiles(session, request));
  cp.handle('NotifyEVChargingNeeds', (request) => handleNotifyEVChargingNeeds(session, request));
  cp.handle('NotifyEVChargingSchedule', (request) => handleNotifyEVChargingSchedule(session, request));

  // L. Firmware, N. Diagnostics
  cp.handle('FirmwareStatusNotification', (request) => handleFirmwareStatusNotification(session, request));
  cp.handle('PublishFirmwareStatusNotification', (request) =>
    handlePublishFirmwareStatusNotification(session, request),
  );
  cp.handle('LogStatusNotification', (request) => handleLogStatusNotification(session, request));
  cp.handle('NotifyEvent', (request) => handleNotifyEvent(session, request));
  cp.handle('NotifyMonitoringReport', (request) => handleNotifyMonitoringReport(session, request, parts));
  cp.handle('NotifyCustomerInformation', (request) =>
    handleNotifyCustomerInformation(session, request, parts),
  );

  // O. Display messages, P. Data transfer
  cp.handle('NotifyDisplayMessages', (request) => handleNotifyDisplayMessages(session, request));
  cp.handle('DataTransfer', (request) => handleDataTransfer(session, request));
}
