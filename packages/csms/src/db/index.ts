import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { createChargingProfileStore } from './stores/charging-profile-store.js';
import { createConfigurationStore } from './stores/configuration-store.js';
import { createConnectorStatusStore } from './stores/connector-status-store.js';
import { createDeviceModelStore } from './stores/device-model-store.js';
import { createIdTokenStore } from './stores/id-token-store.js';
import { createMessageLogStore } from './stores/message-log-store.js';
import { createMeterValueStore } from './stores/meter-value-store.js';
import { createReservationStore } from './stores/reservation-store.js';
import { createSecurityEventStore } from './stores/security-event-store.js';
import { createSettingsStore } from './stores/settings-store.js';
import { createStationReportStore } from './stores/station-report-store.js';
import { createStationStore } from './stores/station-store.js';
import { createStatusEventStore } from './stores/status-event-store.js';
import { createTransactionStore } from './stores/transaction-store.js';
import { createVariableMonitorStore } from './stores/variable-monitor-store.js';

export * from './database.js';
export * from './errors.js';
export * from './schema.js';
export * from './stores/charging-profile-store.js';
export * from './stores/configuration-store.js';
export * from './stores/connector-status-store.js';
export type { Instant } from './stores/conversions.js';
export * from './stores/device-model-store.js';
export * from './stores/id-token-store.js';
export * from './stores/message-log-store.js';
export * from './stores/meter-value-store.js';
export type { Page, PageRequest } from './stores/pagination.js';
export * from './stores/reservation-store.js';
export * from './stores/security-event-store.js';
export * from './stores/settings-store.js';
export * from './stores/station-report-store.js';
export * from './stores/station-store.js';
export * from './stores/status-event-store.js';
export * from './stores/transaction-event-recorder.js';
export { inTransaction } from './stores/transaction-scope.js';
export * from './stores/transaction-store.js';
export * from './stores/variable-monitor-store.js';

/**
 * Every store over one database. Pass a transaction (`trx`) instead of `db` to run several
 * store calls atomically.
 *
 * @example
 * const stores = createStores(handle.db);
 * const { transactionId } = await stores.transactions.startTransaction16('CP-1', request);
 */
export function createStores(db: Kysely<Database>) {
  return {
    stations: createStationStore(db),
    connectorStatus: createConnectorStatusStore(db),
    idTokens: createIdTokenStore(db),
    transactions: createTransactionStore(db),
    meterValues: createMeterValueStore(db),
    messageLog: createMessageLogStore(db),
    configuration: createConfigurationStore(db),
    deviceModel: createDeviceModelStore(db),
    securityEvents: createSecurityEventStore(db),
    statusEvents: createStatusEventStore(db),
    chargingProfiles: createChargingProfileStore(db),
    reservations: createReservationStore(db),
    variableMonitors: createVariableMonitorStore(db),
    stationReports: createStationReportStore(db),
    settings: createSettingsStore(db),
  };
}

export type Stores = ReturnType<typeof createStores>;
