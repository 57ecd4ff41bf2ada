/**
 * The public face of a simulated station: its options and what a program (a test, the CLI, the
 * fleet) can ask of it.
 */
import type { ConnectOptions, ReconnectOptions } from 'ocppkit';
import type { ConnectorView, TransactionView } from './connectors.js';
import type { StationEventListener } from './events.js';

export type StationProtocol = 'ocpp1.6' | 'ocpp2.0.1';

/** Why a transaction stops; each version sends its own spelling (1.6 Reason, 2.0.1 ReasonEnumType). */
export type StopReason =
  | 'Local'
  | 'Remote'
  | 'EVDisconnected'
  | 'DeAuthorized'
  | 'EmergencyStop'
  | 'PowerLoss'
  | 'Reboot'
  | 'SoftReset'
  | 'HardReset'
  | 'ImmediateReset'
  | 'UnlockCommand'
  | 'Other';

export interface StationOptions {
  /** CSMS endpoint, e.g. `ws://localhost:9000/ocpp`; the identity is appended. */
  readonly url: string;
  readonly identity: string;
  readonly protocol: StationProtocol;
  /** Connectors (1.6) or EVSEs with one connector each (2.0.1); default 2. */
  readonly connectors?: number;
  /** Basic Auth password (security profile 1/2). */
  readonly password?: string;
  readonly tls?: ConnectOptions['tls'];
  /** Seconds between meter samples while charging (MeterValueSampleInterval / TxUpdatedInterval); default 60. */
  readonly meterIntervalS?: number;
  /** Charging power in kW; default 11. */
  readonly powerKw?: number;
  /** Simulated seconds per real second for the energy meter (default 1). */
  readonly speed?: number;
  /** Energy register at start-up in Wh (default 0). */
  readonly meterStartWh?: number;
  /** Source address of the WebSocket (spread a fleet over 127.0.0.0/8). */
  readonly localAddress?: string;
  readonly logger?: ConnectOptions['logger'];
  readonly vendor?: string;
  readonly model?: string;
  readonly firmwareVersion?: string;
  readonly serialNumber?: string;
  /** Seconds to wait after a BootNotification that failed (no answer, CALLERROR); default 10. */
  readonly bootRetryS?: number;
  /** Reconnect back-off after a dropped connection; default 1 s + up to 2 s random, doubling 3 times. */
  readonly reconnect?: ReconnectOptions | false;
  /** Resolve `simulateStation()` only once the CSMS accepted the BootNotification (default true). */
  readonly waitForBoot?: boolean;
  readonly callTimeoutMs?: number;
  /** Milliseconds between the steps of a firmware update, diagnostics or log upload (default 1000). */
  readonly stepDelayMs?: number;
  readonly onEvent?: StationEventListener;
}

export interface Station {
  readonly identity: string;
  readonly protocol: StationProtocol;
  /** The socket is open. */
  readonly connected: boolean;
  /** False between goOffline() and comeBack(). */
  readonly online: boolean;
  /** The last BootNotification answer: Accepted, Pending, Rejected, or undefined before the first. */
  readonly registrationStatus: string | undefined;
  readonly heartbeatIntervalS: number;
  readonly connectors: ConnectorView[];
  readonly transactions: TransactionView[];
  /** Transaction messages not yet delivered. */
  readonly queuedMessages: number;
  /** Energy.Active.Import.Register of a connector, Wh. */
  energyWh(connectorId: number): number;
  /** Subscribes to what happens; returns the unsubscribe function. */
  onEvent(listener: StationEventListener): () => void;
  /** Resolves once the CSMS accepted the station's BootNotification. */
  whenAccepted(): Promise<void>;
  /** Resolves once every queued transaction message was delivered (or given up). */
  drained(): Promise<void>;

  plugIn(connectorId: number): Promise<void>;
  /** Authorize (online) or the local list / offline policy; resolves with the authorization status. */
  authorize(idToken: string): Promise<string>;
  /**
   * Plugs in if needed, authorizes, and starts a transaction. Online it resolves once the CSMS
   * acknowledged the start; offline once the start is queued.
   */
  startCharging(connectorId: number, idToken: string): Promise<TransactionView>;
  stopCharging(connectorId: number, reason?: StopReason): Promise<TransactionView>;
  unplug(connectorId: number): Promise<void>;
  /** Drops the connection and stays offline: transaction messages queue up. */
  goOffline(): Promise<void>;
  /** Reconnects and delivers the queued transaction messages in order. */
  comeBack(): Promise<void>;
  /** Kills the socket as a network failure would; the station reconnects with its back-off. */
  dropConnection(): void;
  close(): Promise<void>;
}
