/** The forms of the id-tokens page: add a token, and edit one in its table row. */
import { useState } from 'preact/hooks';
import { api } from '../api-client';
import { ID_TOKEN_STATUSES, ID_TOKEN_TYPES, type IdToken } from '../api-types';
import { errorText } from '../format';

/** datetime-local has no zone: it is the browser's local time. */
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : null);
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** What the station will be told: an Accepted token past its expiry is answered Expired. */
export function effectiveStatus(token: IdToken, now = Date.now()): string {
  return token.status === 'Accepted' && token.expiresAt && Date.parse(token.expiresAt) <= now
    ? 'Expired'
    : token.status;
}

export function AddTokenForm(props: { onAdded: () => void }) {
  const empty = { idToken: '', type: 'ISO14443', parent: '', expires: '', max: '' };
  const [form, setForm] = useState(empty);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof empty) => (e: { currentTarget: { value: string } }) =>
    setForm({ ...form, [key]: e.currentTarget.value });

  return (
    <form
      class="filters add-token"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        try {
          await api.createIdToken({
            idToken: form.idToken.trim(),
            type: form.type,
            ...(form.parent.trim() && { parentIdToken: form.parent.trim() }),
            ...(form.expires && { expiresAt: fromLocalInput(form.expires) }),
            ...(form.max && { maxConcurrentTx: Number(form.max) }),
          });
          setForm(empty);
          props.onAdded();
        } catch (failure) {
          setError(errorText(failure));
        } finally {
          setBusy(false);
        }
      }}
    >
      <label class="field">
        <span>Id token</span>
        <input name="idToken" required maxLength={36} value={form.idToken} onInput={set('idToken')} />
      </label>
      <label class="field">
        <span>Type</span>
        <select name="type" value={form.type} onChange={set('type')}>
          {ID_TOKEN_TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>Group (parent)</span>
        <input name="parentIdToken" maxLength={36} value={form.parent} onInput={set('parent')} />
      </label>
      <label class="field">
        <span>Expires</span>
        <input name="expiresAt" type="datetime-local" value={form.expires} onInput={set('expires')} />
      </label>
      <label class="field narrow">
        <span>Max. concurrent</span>
        <input name="maxConcurrentTx" type="number" min={1} value={form.max} onInput={set('max')} />
      </label>
      <button type="submit" class="button button-primary" disabled={busy || !form.idToken.trim()}>
        Add token
      </button>
      {error && (
        <p class="notice notice-error full" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

export function EditTokenRow(props: { token: IdToken; onDone: () => void; onCancel: () => void }) {
  const { token } = props;
  const [parent, setParent] = useState(token.parentIdToken ?? '');
  const [expires, setExpires] = useState(toLocalInput(token.expiresAt));
  const [max, setMax] = useState(token.maxConcurrentTx === null ? '' : String(token.maxConcurrentTx));
  const [status, setStatus] = useState(token.status);
  const [error, setError] = useState<string>();
  return (
    <tr class="editing" data-token={token.idToken}>
      <td colSpan={6}>
        <form
          class="filters"
          onSubmit={async (e) => {
            e.preventDefault();
            try {
              await api.updateIdToken(token, {
                status,
                parentIdToken: parent.trim() || null,
                expiresAt: fromLocalInput(expires),
                maxConcurrentTx: max ? Number(max) : null,
              });
              props.onDone();
            } catch (failure) {
              setError(errorText(failure));
            }
          }}
        >
          <strong class="field-title">{token.idToken}</strong>
          <label class="field">
            <span>Status</span>
            <select name="status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
              {ID_TOKEN_STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <label class="field">
            <span>Group (parent)</span>
            <input name="parentIdToken" value={parent} onInput={(e) => setParent(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>Expires</span>
            <input
              name="expiresAt"
              type="datetime-local"
              value={expires}
              onInput={(e) => setExpires(e.currentTarget.value)}
            />
          </label>
          <label class="field narrow">
            <span>Max. concurrent</span>
            <input
              name="maxConcurrentTx"
              type="number"
              min={1}
              value={max}
              onInput={(e) => setMax(e.currentTarget.value)}
            />
          </label>
          <div class="button-row">
            <button type="submit" class="button button-primary">
              Save
            </button>
            <button type="button" class="button" onClick={props.onCancel}>
              Cancel
            </button>
          </div>
          {error && (
            <p class="notice notice-error full" role="alert">
              {error}
            </p>
          )}
        </form>
      </td>
    </tr>
  );
}
