/**
 * What the CSMS does with every frame a station sends or receives, beside answering it: the last
 * contact (any CALL counts), the message log (by policy), metrics, the live event stream, and the
 * session's count of CALLs still being answered. Runs once per frame on the hot path, so it keeps
 * to map lookups: metrics are plain counters read at scrape, events are built only when
 * someone listens, and nothing here waits for the database.
 */
import type { FrameEvent } from 'ocppkit';
import type { Logger } from 'pino';
import type { MessageLogPolicy } from '../config.js';
import type { Stores } from '../db/index.js';
import type { CsmsEvents } from '../events.js';
import type { CsmsMetrics } from '../metrics.js';
import { LastContacts } from './last-contact.js';
import { MessageRecorder } from './message-recorder.js';
import { redactSecrets } from './secret-redaction.js';
import type { StationSession } from './station-session.js';

const MAX_ACTION_LABELS = 200;

export interface FrameObserverDeps {
  readonly stores: Stores;
  readonly events: CsmsEvents;
  readonly metrics: CsmsMetrics;
  readonly logger: Logger;
  readonly messageLog: MessageLogPolicy;
  readonly messageLogSize: number;
}

export class FrameObserver {
  readonly #events: CsmsEvents;
  readonly #metrics: CsmsMetrics;
  readonly #policy: MessageLogPolicy;
  readonly #recorder: MessageRecorder;
  readonly #contacts: LastContacts;
  readonly #actionLabels = new Map<string, string>();

  constructor(deps: FrameObserverDeps) {
    this.#events = deps.events;
    this.#metrics = deps.metrics;
    this.#policy = deps.messageLog;
    this.#recorder = new MessageRecorder(deps.stores, deps.messageLogSize, deps.logger);
    this.#contacts = new LastContacts((contacts) => deps.stores.stations.touchMany(contacts), deps.logger);
  }

  observe(session: StationSession, observed: FrameEvent): void {
    const frame = observed.frame;
    const type = frame?.[0];
    if (frame && observed.direction === 'in' && type === 2) {
      const action = frame[2];
      this.#contacts.seen(session.identity);
      this.#metrics.countMessageIn(this.#labelOf(action));
      session.callReceived(frame[1], action);
    } else if (frame && observed.direction === 'out' && (type === 3 || type === 4)) {
      const answered = session.callAnswered(frame[1]);
      if (answered)
        this.#metrics.handlerSeconds.series(this.#labelOf(answered.call.action)).observe(answered.seconds);
    }
    if (type === 4) {
      this.#metrics.callErrors.inc({ direction: observed.direction, code: String(frame?.[2]) });
    }
    const logged = this.#policy !== 'off';
    const streamed = this.#events.observed;
    if (!logged && !streamed) return;
    const event = redactSecrets(observed);
    if (logged) this.#recorder.record(session, event, type === 2 && this.#routine(observed));
    if (streamed) {
      this.#events.emit({
        type: 'message',
        identity: session.identity,
        direction: event.direction,
        action: event.action,
        text: event.text,
      });
    }
  }

  /** The station's connection closed (the gateway calls this once its last frame was observed). */
  stationLeft(session: StationSession): void {
    this.#recorder.stationLeft(session);
  }

  /** Writes the pending log frames and contacts (shutdown). */
  async flush(): Promise<void> {
    await Promise.all([this.#recorder.flush(), this.#contacts.flush()]);
  }

  /** Whether the policy drops this CALL with its answer when that answer is a CALLRESULT. */
  #routine(call: FrameEvent): boolean {
    if (this.#policy === 'all' || call.direction === 'out') return false;
    const action = call.action;
    if (action === 'Heartbeat') return true;
    if (this.#policy !== 'no-periodic') return false;
    if (action === 'MeterValues') return true;
    if (action !== 'TransactionEvent') return false;
    // 2.0.1 and 2.1 send the periodic and clock-aligned samples of a transaction as Updated events
    // with these trigger reasons (2.0.1 Part 2 J02.FR.11, TriggerReasonEnumType); every other event
    // is kept.
    const event = call.frame?.[3] as { eventType?: unknown; triggerReason?: unknown } | undefined;
    return (
      event?.eventType === 'Updated' &&
      (event.triggerReason === 'MeterValuePeriodic' || event.triggerReason === 'MeterValueClock')
    );
  }

  #labelOf(action: string): string {
    let label = this.#actionLabels.get(action);
    if (label === undefined) {
      // Action names come from stations: a station sending made-up ones must not grow the metrics
      // without bound (there are 90 actions in OCPP 2.1).
      if (this.#actionLabels.size >= MAX_ACTION_LABELS) return 'other';
      label = action;
      this.#actionLabels.set(action, label);
    }
    return label;
  }
}
