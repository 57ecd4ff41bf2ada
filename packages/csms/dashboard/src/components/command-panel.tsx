/**
 * The common commands (remote start/stop, reset, unlock, availability, trigger message) through the
 * API's friendly command routes, and the station's answer to the last one.
 */
import { useState } from 'preact/hooks';
import { api } from '../api-client';
import type { CommandResult, StationDetail } from '../api-types';
import { isChargingPoint } from '../station-status';
import { ErrorNotice } from './page-states';
import { StatusBadge } from './status-badge';

export interface CommandRunner {
  busy: string | undefined;
  result: CommandResult | undefined;
  error: { command: string; error: unknown } | undefined;
  run(command: string, body?: object): Promise<void>;
}

/** One runner per station page: the connector cards' Stop button reports here too. */
export function useCommandRunner(identity: string, onDone: () => void): CommandRunner {
  const [busy, setBusy] = useState<string>();
  const [result, setResult] = useState<CommandResult>();
  const [error, setError] = useState<CommandRunner['error']>();
  return {
    busy,
    result,
    error,
    async run(command, body = {}) {
      setBusy(command);
      setError(undefined);
      setResult(undefined);
      try {
        setResult(await api.command(identity, command, body));
        onDone();
      } catch (failure) {
        setError({ command, error: failure });
      } finally {
        setBusy(undefined);
      }
    },
  };
}

const TRIGGERS: Record<string, string[]> = {
  'ocpp1.6': [
    'StatusNotification',
    'Heartbeat',
    'MeterValues',
    'BootNotification',
    'FirmwareStatusNotification',
    'DiagnosticsStatusNotification',
  ],
  'ocpp2.0.1': [
    'StatusNotification',
    'Heartbeat',
    'MeterValues',
    'TransactionEvent',
    'BootNotification',
    'FirmwareStatusNotification',
    'LogStatusNotification',
  ],
};

/** The status field most answers carry (RemoteStartTransaction → status, UnlockConnector → status, …). */
function answerStatus(response: Record<string, unknown>): string | undefined {
  return typeof response.status === 'string' ? response.status : undefined;
}

export function CommandResultView(props: { runner: CommandRunner }) {
  const { result, error, busy } = props.runner;
  if (busy) {
    return (
      <p class="command-result muted" role="status">
        Waiting for the station to answer {busy}…
      </p>
    );
  }
  if (error) return <ErrorNotice title={`${error.command} failed`} error={error.error} />;
  if (!result) return null;
  const status = answerStatus(result.response);
  return (
    <div class="command-result" role="status" data-testid="command-result">
      <div>
        The station answered <strong>{result.action}</strong>
        {status && (
          <>
            {' '}
            with <StatusBadge status={status} />
          </>
        )}
      </div>
      <pre class="code">{JSON.stringify(result.response, null, 2)}</pre>
    </div>
  );
}

export function CommandPanel(props: { station: StationDetail; runner: CommandRunner }) {
  const { station, runner } = props;
  const points = [...new Set(station.connectors.filter(isChargingPoint).map((c) => c.evseId))].sort(
    (a, b) => a - b,
  );
  const firstFree = station.connectors.find((c) => isChargingPoint(c) && c.status === 'Available')?.evseId;
  const [token, setToken] = useState('');
  const [startAt, setStartAt] = useState('');
  const [stopId, setStopId] = useState('');
  const [unlockAt, setUnlockAt] = useState('');
  const [availabilityAt, setAvailabilityAt] = useState('0');
  const [trigger, setTrigger] = useState('StatusNotification');
  const disabled = !station.connected || runner.busy !== undefined;
  const connectorWord = station.protocol === 'ocpp1.6' ? 'Connector' : 'EVSE';
  const location = (value: string) => (value === '' ? {} : { evseId: Number(value) });
  const pointOptions = points.map((n) => (
    <option key={n} value={String(n)}>
      {connectorWord} {n}
    </option>
  ));
  const stopTarget = stopId || String(station.activeTransactions[0]?.id ?? '');

  return (
    <div class="commands">
      {!station.connected && <p class="notice">The station is offline; commands need a connected station.</p>}
      <form
        class="command"
        data-command="remote-start"
        onSubmit={(e) => {
          e.preventDefault();
          const at = startAt || (firstFree === undefined ? '' : String(firstFree));
          void runner.run('remote-start', { idToken: token.trim(), ...location(at) });
        }}
      >
        <h3>Remote start</h3>
        <label class="field">
          <span>Id token</span>
          <input
            name="idToken"
            required
            maxLength={36}
            value={token}
            onInput={(e) => setToken(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>{connectorWord}</span>
          <select name="connector" value={startAt} onChange={(e) => setStartAt(e.currentTarget.value)}>
            <option value="">
              {firstFree === undefined ? 'Station decides' : `First available (${firstFree})`}
            </option>
            {pointOptions}
          </select>
        </label>
        <button type="submit" class="button button-primary" disabled={disabled || !token.trim()}>
          Start
        </button>
      </form>

      <form
        class="command"
        data-command="remote-stop"
        onSubmit={(e) => {
          e.preventDefault();
          void runner.run('remote-stop', { transactionId: Number(stopTarget) });
        }}
      >
        <h3>Remote stop</h3>
        <label class="field">
          <span>Transaction</span>
          <select name="transaction" value={stopTarget} onChange={(e) => setStopId(e.currentTarget.value)}>
            {station.activeTransactions.length === 0 && <option value="">No active transaction</option>}
            {station.activeTransactions.map((t) => (
              <option key={t.id} value={String(t.id)}>
                #{t.id} · {connectorWord} {t.evseId ?? '?'} · {t.idToken ?? 'no token'}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="button" disabled={disabled || !stopTarget}>
          Stop
        </button>
      </form>

      <div class="command" data-command="reset">
        <h3>Reset</h3>
        <p class="hint">Soft waits for transactions to end; hard stops them and reboots now.</p>
        <div class="button-row">
          <button
            type="button"
            class="button"
            disabled={disabled}
            onClick={() => runner.run('reset', { type: 'soft' })}
          >
            Soft reset
          </button>
          <button
            type="button"
            class="button button-danger"
            disabled={disabled}
            onClick={() => runner.run('reset', { type: 'hard' })}
          >
            Hard reset
          </button>
        </div>
      </div>

      <form
        class="command"
        data-command="unlock"
        onSubmit={(e) => {
          e.preventDefault();
          void runner.run('unlock', location(unlockAt || String(points[0] ?? 1)));
        }}
      >
        <h3>Unlock connector</h3>
        <label class="field">
          <span>{connectorWord}</span>
          <select
            name="connector"
            value={unlockAt || String(points[0] ?? 1)}
            onChange={(e) => setUnlockAt(e.currentTarget.value)}
          >
            {pointOptions.length ? pointOptions : <option value="1">{connectorWord} 1</option>}
          </select>
        </label>
        <button type="submit" class="button" disabled={disabled}>
          Unlock
        </button>
      </form>

      <form
        class="command"
        data-command="change-availability"
        onSubmit={(e) => {
          e.preventDefault();
          const submitter = (e as SubmitEvent).submitter as HTMLButtonElement | null;
          const at = availabilityAt === '0' ? {} : location(availabilityAt);
          void runner.run('change-availability', { status: submitter?.value ?? 'Operative', ...at });
        }}
      >
        <h3>Availability</h3>
        <label class="field">
          <span>Where</span>
          <select
            name="connector"
            value={availabilityAt}
            onChange={(e) => setAvailabilityAt(e.currentTarget.value)}
          >
            <option value="0">Whole station</option>
            {pointOptions}
          </select>
        </label>
        <div class="button-row">
          <button type="submit" name="status" value="Operative" class="button" disabled={disabled}>
            Operative
          </button>
          <button type="submit" name="status" value="Inoperative" class="button" disabled={disabled}>
            Inoperative
          </button>
        </div>
      </form>

      <form
        class="command"
        data-command="trigger-message"
        onSubmit={(e) => {
          e.preventDefault();
          void runner.run('trigger-message', { message: trigger });
        }}
      >
        <h3>Trigger message</h3>
        <label class="field">
          <span>Message</span>
          <select name="message" value={trigger} onChange={(e) => setTrigger(e.currentTarget.value)}>
            {(TRIGGERS[station.protocol ?? 'ocpp1.6'] ?? TRIGGERS['ocpp1.6'] ?? []).map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <button type="submit" class="button" disabled={disabled}>
          Trigger
        </button>
      </form>
    </div>
  );
}
