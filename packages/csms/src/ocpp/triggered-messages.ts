/**
 * Messages the CSMS asked a station for with TriggerMessage, which the station may send before it is
 * Accepted: 2.0.1 B02.FR.02 (a Pending station sends no CALL "unless it has been instructed by the
 * CSMS to do so, using ... TriggerMessageRequest"; OCTT TC_B_31_CSMS) and 1.6 §4.2 (likewise "with a
 * TriggerMessage.req"). The gateway records each trigger it sends; the session's guard lets the
 * requested message through once, or, for a trigger that covers every EVSE, until it expires.
 */

/** How long a trigger waits for its message; a station sends it right after its answer (F06.FR.04). */
export const TRIGGER_EXPIRY_MS = 60_000;

/**
 * requestedMessage (2.0.1 MessageTriggerEnumType, 1.6 MessageTrigger, whitepaper
 * ExtendedTriggerMessage) → the actions the station may answer it with.
 */
const REQUESTED_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  BootNotification: ['BootNotification'],
  DiagnosticsStatusNotification: ['DiagnosticsStatusNotification'],
  // The whitepaper's ExtendedTriggerMessage answers with SignedFirmwareStatusNotification (§5.19).
  FirmwareStatusNotification: ['FirmwareStatusNotification', 'SignedFirmwareStatusNotification'],
  Heartbeat: ['Heartbeat'],
  LogStatusNotification: ['LogStatusNotification'],
  MeterValues: ['MeterValues'],
  PublishFirmwareStatusNotification: ['PublishFirmwareStatusNotification'],
  SignChargePointCertificate: ['SignCertificate'],
  SignChargingStationCertificate: ['SignCertificate'],
  SignCombinedCertificate: ['SignCertificate'],
  SignV2GCertificate: ['SignCertificate'],
  StatusNotification: ['StatusNotification'],
  TransactionEvent: ['TransactionEvent'],
};

/**
 * Without an EVSE (connector in 1.6) these are sent once per EVSE: 2.0.1 F06.FR.11 "for all allowed
 * evse values", 1.6 §5.17 (connectorId absent: all connectors).
 */
const PER_EVSE: ReadonlySet<string> = new Set(['MeterValues', 'StatusNotification', 'TransactionEvent']);

export const TRIGGER_ACTIONS: ReadonlySet<string> = new Set(['TriggerMessage', 'ExtendedTriggerMessage']);

interface Expected {
  readonly actions: readonly string[];
  readonly repeatable: boolean;
  readonly expiresAt: number;
}

export class TriggeredMessages {
  #expected: Expected[] = [];

  /**
   * Records what a TriggerMessage (or 1.6 ExtendedTriggerMessage) asks for. Returns a function that
   * forgets it again, for when the station does not answer Accepted; undefined when the request asks
   * for nothing we know.
   */
  expect(
    request: { readonly requestedMessage?: unknown; readonly evse?: unknown; readonly connectorId?: unknown },
    now = Date.now(),
  ): (() => void) | undefined {
    const requested = typeof request.requestedMessage === 'string' ? request.requestedMessage : '';
    const actions = REQUESTED_ACTIONS[requested];
    if (!actions) return undefined;
    this.#prune(now);
    const allEvses = request.evse === undefined && request.connectorId === undefined;
    const entry: Expected = {
      actions,
      repeatable: allEvses && PER_EVSE.has(requested),
      expiresAt: now + TRIGGER_EXPIRY_MS,
    };
    this.#expected.push(entry);
    return () => {
      this.#expected = this.#expected.filter((expected) => expected !== entry);
    };
  }

  /** True when `action` was asked for and has not expired; a single-message trigger is used up. */
  take(action: string, now = Date.now()): boolean {
    this.#prune(now);
    const entry = this.#expected.find((expected) => expected.actions.includes(action));
    if (!entry) return false;
    if (!entry.repeatable) this.#expected = this.#expected.filter((expected) => expected !== entry);
    return true;
  }

  #prune(now: number): void {
    this.#expected = this.#expected.filter((expected) => expected.expiresAt > now);
  }
}
