/**
 * A station's settings: OCPP 1.6 configuration keys (GetConfiguration / ChangeConfiguration, §5.8 /
 * §5.3) or 2.0.1 device-model variables (GetBaseReport, SetVariables: B07 / B05), editable in place.
 * The API stores a value once the station accepted it, so the table shows what the station has.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api-client';
import type { DeviceModelVariable, StationDetail } from '../api-types';
import { componentPlace, errorText, variableLabel } from '../format';
import { EmptyState } from './page-states';
import { StatusBadge } from './status-badge';

interface Row {
  key: string;
  label: string;
  detail?: string;
  value: string | null;
  editable: boolean;
  variable?: DeviceModelVariable;
}

function rowsOf(station: StationDetail): Row[] {
  if (station.protocol === 'ocpp1.6') {
    return station.configuration.map((c) => ({
      key: c.key,
      label: c.key,
      value: c.value,
      editable: !c.readonly,
    }));
  }
  return station.variables.map((v) => {
    const where = [...componentPlace(v), ...(v.attributeType !== 'Actual' ? [v.attributeType] : [])];
    return {
      key: [
        v.componentName,
        v.componentInstance,
        v.evseId,
        v.connectorId,
        v.variableName,
        v.variableInstance,
        v.attributeType,
      ].join('|'),
      label: variableLabel(v),
      detail: where.join(', ') || undefined,
      value: v.value,
      editable: v.mutability !== 'ReadOnly',
      variable: v,
    };
  });
}

/** Sends one change; resolves with the station's status for it (Accepted, Rejected, RebootRequired, …). */
async function change(station: StationDetail, row: Row, value: string): Promise<string> {
  if (station.protocol === 'ocpp1.6') {
    const result = await api.command(station.identity, 'change-configuration', { key: row.key, value });
    return String(result.response.status);
  }
  const v = row.variable as DeviceModelVariable;
  const evse =
    v.evseId > 0 ? { id: v.evseId, ...(v.connectorId > 0 && { connectorId: v.connectorId }) } : undefined;
  const result = await api.command(station.identity, 'set-variables', {
    variables: [
      {
        component: {
          name: v.componentName,
          ...(v.componentInstance && { instance: v.componentInstance }),
          ...(evse && { evse }),
        },
        variable: { name: v.variableName, ...(v.variableInstance && { instance: v.variableInstance }) },
        attributeType: v.attributeType,
        value,
      },
    ],
  });
  const results = result.response.setVariableResult as Array<{ attributeStatus: string }> | undefined;
  return results?.[0]?.attributeStatus ?? 'Unknown';
}

export function SettingsEditor(props: { station: StationDetail; onChanged: () => void }) {
  const { station } = props;
  const is16 = station.protocol === 'ocpp1.6';
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<{ key: string; value: string }>();
  const [outcome, setOutcome] = useState<{ text: string; status?: string; failed?: boolean }>();
  const [busy, setBusy] = useState(false);
  const editInput = useRef<HTMLInputElement>(null);
  // Clicking Edit asks to type: the value field gets the cursor.
  useEffect(() => editInput.current?.focus(), [editing?.key]);
  const rows = rowsOf(station).filter((r) => r.label.toLowerCase().includes(filter.trim().toLowerCase()));

  async function save(row: Row, value: string) {
    setBusy(true);
    try {
      const status = await change(station, row, value);
      setOutcome({ text: `${row.label}: the station answered`, status });
      setEditing(undefined);
      props.onChanged();
    } catch (error) {
      setOutcome({ text: `${row.label}: ${errorText(error)}`, failed: true });
    } finally {
      setBusy(false);
    }
  }

  async function readFromStation() {
    setBusy(true);
    try {
      if (is16) await api.command(station.identity, 'get-configuration', {});
      else
        await api.call(station.identity, 'GetBaseReport', {
          requestId: Date.now() % 2 ** 31,
          reportBase: 'FullInventory',
        });
      setOutcome({
        text: is16
          ? 'Configuration read from the station.'
          : 'Report requested; values arrive in NotifyReport messages.',
      });
      props.onChanged();
    } catch (error) {
      setOutcome({ text: errorText(error), failed: true });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="settings">
      <div class="filters">
        <label class="field grow">
          <span>{is16 ? 'Filter keys' : 'Filter variables'}</span>
          <input type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        </label>
        <button type="button" class="button" disabled={busy || !station.connected} onClick={readFromStation}>
          {is16 ? 'Read from station' : 'Request full report'}
        </button>
      </div>
      {outcome && (
        <p
          class={`notice ${outcome.failed ? 'notice-error' : (outcome.status ?? 'Accepted') === 'Accepted' ? 'notice-ok' : ''}`}
          role="status"
          data-testid="settings-outcome"
        >
          {outcome.text} {outcome.status && <StatusBadge status={outcome.status} />}
        </p>
      )}
      {rows.length === 0 ? (
        <EmptyState
          title={
            filter
              ? 'Nothing matches this filter.'
              : `No ${is16 ? 'configuration keys' : 'variables'} known yet.`
          }
        >
          {!filter &&
            (is16
              ? 'Use “Read from station” to fetch them (GetConfiguration).'
              : 'Use “Request full report” (GetBaseReport).')}
        </EmptyState>
      ) : (
        <table class="table settings-table">
          <thead>
            <tr>
              <th>{is16 ? 'Key' : 'Variable'}</th>
              <th>Value</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} data-setting={row.label}>
                <td data-label={is16 ? 'Key' : 'Variable'}>
                  <code>{row.label}</code>
                  {row.detail && <div class="muted small">{row.detail}</div>}
                </td>
                <td data-label="Value">
                  {editing?.key === row.key ? (
                    <form
                      class="inline-form"
                      onSubmit={(e) => {
                        e.preventDefault();
                        void save(row, editing.value);
                      }}
                    >
                      <input
                        ref={editInput}
                        name="value"
                        aria-label={`New value of ${row.label}`}
                        value={editing.value}
                        onInput={(e) => setEditing({ key: row.key, value: e.currentTarget.value })}
                      />
                      <button type="submit" class="button button-small button-primary" disabled={busy}>
                        Save
                      </button>
                      <button type="button" class="button button-small" onClick={() => setEditing(undefined)}>
                        Cancel
                      </button>
                    </form>
                  ) : (
                    <span class="value">{row.value ?? <span class="muted">(not reported)</span>}</span>
                  )}
                </td>
                <td class="actions">
                  {!row.editable && <span class="muted small">read-only</span>}
                  {row.editable && editing?.key !== row.key && (
                    <button
                      type="button"
                      class="button button-small"
                      disabled={!station.connected}
                      onClick={() => setEditing({ key: row.key, value: row.value ?? '' })}
                    >
                      Edit
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
