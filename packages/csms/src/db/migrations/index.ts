import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './0001-initial.js';
import * as settings from './0002-settings.js';
import * as stationReports from './0003-station-reports.js';
import * as messageLogWithoutForeignKey from './0004-message-log-without-foreign-key.js';
import * as connectorStatusWithoutForeignKeys from './0005-connector-status-without-foreign-keys.js';
import * as messageLogPayloadJson from './0006-message-log-payload-json.js';
import * as messageLogOneIndex from './0007-message-log-one-index.js';
import * as meterValuesOneStationIndex from './0008-meter-values-one-station-index.js';
import * as messageLogExchanges from './0009-message-log-exchanges.js';
import * as meterValuesWithoutStationForeignKey from './0010-meter-values-without-station-foreign-key.js';
import * as meterValuesWithoutTransactionForeignKey from './0011-meter-values-without-transaction-foreign-key.js';

/**
 * Every migration, keyed by name. Kysely applies them in name order, so names start with
 * a zero-padded number. Listed in code (no directory scan) so the compiled package carries
 * its migrations wherever it is installed.
 */
export const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-settings': settings,
  '0003-station-reports': stationReports,
  '0004-message-log-without-foreign-key': messageLogWithoutForeignKey,
  '0005-connector-status-without-foreign-keys': connectorStatusWithoutForeignKeys,
  '0006-message-log-payload-json': messageLogPayloadJson,
  '0007-message-log-one-index': messageLogOneIndex,
  '0008-meter-values-one-station-index': meterValuesOneStationIndex,
  '0009-message-log-exchanges': messageLogExchanges,
  '0010-meter-values-without-station-foreign-key': meterValuesWithoutStationForeignKey,
  '0011-meter-values-without-transaction-foreign-key': meterValuesWithoutTransactionForeignKey,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
