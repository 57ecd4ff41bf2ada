/**
 * What a connector is doing, in one vocabulary for both versions. OCPP 1.6 reports Charging as a
 * connector status (§7.7 ChargePointStatus); 2.0.1 only says Occupied (ConnectorStatusEnumType) and
 * tells whether energy flows in the transaction's chargingState (E01, TransactionEvent).
 */
import type { ConnectorStatus, Transaction } from './api-types';

/** 1.6 connector 0 is the station as a whole (§3.8); it is not a place to charge. */
export function isChargingPoint(connector: ConnectorStatus): boolean {
  return connector.evseId > 0;
}

export function transactionOn(
  connector: ConnectorStatus,
  active: readonly Transaction[],
): Transaction | undefined {
  // 1.6 transactions carry evseId = connectorId; a 2.0.1 transaction belongs to its EVSE.
  return active.find((t) => (t.evseId ?? t.connectorId) === connector.evseId);
}

/** The status to show: 2.0.1 Occupied becomes Charging while the transaction says so. */
export function displayStatus(connector: ConnectorStatus, active: readonly Transaction[]): string {
  if (connector.status !== 'Occupied') return connector.status;
  const transaction = transactionOn(connector, active);
  return transaction?.chargingState === 'Charging' ? 'Charging' : connector.status;
}

/** A station counts as faulted when it or one of its connectors reports Faulted. */
export function isFaulted(connectors: readonly ConnectorStatus[]): boolean {
  return connectors.some((c) => c.status === 'Faulted');
}
