/** One card per connector (1.6) or EVSE connector (2.0.1): live status and the transaction on it. */
import type { StationDetail } from '../api-types';
import { formatEnergy, relativeTime } from '../format';
import { Link } from '../router';
import { displayStatus, isChargingPoint, transactionOn } from '../station-status';
import { EmptyState } from './page-states';
import { StatusBadge } from './status-badge';

export function ConnectorCards(props: {
  station: StationDetail;
  energies: ReadonlyMap<number, number | null>;
  onStop: (transactionId: number) => void;
  busy: boolean;
}) {
  const { station } = props;
  const connectors = station.connectors
    .filter(isChargingPoint)
    .sort((a, b) => a.evseId - b.evseId || a.connectorId - b.connectorId);
  if (connectors.length === 0) {
    return (
      <EmptyState title="No connector has reported a status yet.">
        Stations report their connectors with StatusNotification after booting; try Trigger message →
        StatusNotification.
      </EmptyState>
    );
  }
  const is16 = station.protocol === 'ocpp1.6';
  return (
    <div class="connectors">
      {connectors.map((connector) => {
        const status = displayStatus(connector, station.activeTransactions);
        const transaction = transactionOn(connector, station.activeTransactions);
        const name = is16
          ? `Connector ${connector.connectorId}`
          : `EVSE ${connector.evseId} · ${connector.connectorId}`;
        return (
          <article
            key={`${connector.evseId}/${connector.connectorId}`}
            class={`connector connector-${status.toLowerCase()}`}
            data-connector={connector.evseId}
            data-status={status}
          >
            <header>
              <strong>{name}</strong>
              <StatusBadge status={status} />
            </header>
            <p class="muted small" title={connector.statusAt}>
              since {relativeTime(connector.statusAt)}
              {connector.errorCode && connector.errorCode !== 'NoError' && ` · ${connector.errorCode}`}
              {connector.info && ` · ${connector.info}`}
            </p>
            {transaction ? (
              <div class="connector-tx">
                <Link href={`/transactions/${transaction.id}`}>Transaction #{transaction.id}</Link>
                <span>{transaction.idToken ?? '—'}</span>
                <span class="energy" data-energy-wh={props.energies.get(transaction.id) ?? ''}>
                  {formatEnergy(props.energies.get(transaction.id))}
                </span>
                <button
                  type="button"
                  class="button button-small"
                  disabled={props.busy || !station.connected}
                  onClick={() => props.onStop(transaction.id)}
                >
                  Stop
                </button>
              </div>
            ) : (
              <p class="muted small">No transaction</p>
            )}
          </article>
        );
      })}
    </div>
  );
}
