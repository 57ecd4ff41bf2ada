/**
 * Registration status, security profile and Basic Auth password of a station (OCPP 1.6 security
 * whitepaper / 2.0.1 Part 2 A00: profiles 0–3). What changes here applies at the station's next
 * connection or boot; a connected station keeps its session.
 */
import { useState } from 'preact/hooks';
import { api } from '../api-client';
import type { Station } from '../api-types';
import { errorText } from '../format';

const PROFILES = [
  { value: 0, label: '0 — no authentication' },
  { value: 1, label: '1 — Basic Auth over ws://' },
  { value: 2, label: '2 — Basic Auth over wss://' },
  { value: 3, label: '3 — client certificate (wss://)' },
];

export function SecurityPanel(props: { station: Station; onChanged: () => void }) {
  const { station } = props;
  const [registration, setRegistration] = useState(station.registrationStatus ?? 'Accepted');
  const [profile, setProfile] = useState(String(station.securityProfile));
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState(false);

  async function attempt(work: () => Promise<unknown>, success: string) {
    setBusy(true);
    setMessage(undefined);
    try {
      await work();
      setMessage({ ok: true, text: success });
      props.onChanged();
    } catch (error) {
      setMessage({ ok: false, text: errorText(error) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="security">
      <form
        class="command"
        onSubmit={(e) => {
          e.preventDefault();
          void attempt(
            () =>
              api.updateStation(station.identity, {
                registrationStatus: registration,
                securityProfile: Number(profile),
              }),
            'Saved. The station gets the new registration status at its next BootNotification.',
          );
        }}
      >
        <label class="field">
          <span>Registration status</span>
          <select
            name="registrationStatus"
            value={registration}
            onChange={(e) => setRegistration(e.currentTarget.value)}
          >
            <option>Accepted</option>
            <option>Pending</option>
            <option>Rejected</option>
          </select>
        </label>
        <label class="field">
          <span>Security profile</span>
          <select name="securityProfile" value={profile} onChange={(e) => setProfile(e.currentTarget.value)}>
            {PROFILES.map((p) => (
              <option key={p.value} value={String(p.value)}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="button" disabled={busy}>
          Save
        </button>
      </form>
      <form
        class="command"
        onSubmit={(e) => {
          e.preventDefault();
          void attempt(async () => {
            await api.setPassword(station.identity, password);
            setPassword('');
          }, 'Password set. The previous one keeps working until the station has switched.');
        }}
      >
        <label class="field">
          <span>New Basic Auth password</span>
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {/* The CSMS checks the format (2.0.1 A00.FR.205 passwordString, 16–40 characters) and says what is wrong. */}
        <p class="hint">16 to 40 characters of a–z A–Z 0–9 * - _ = : + | @ .</p>
        <button type="submit" class="button" disabled={busy || !password}>
          Set password
        </button>
      </form>
      {message && (
        <p
          class={message.ok ? 'notice notice-ok' : 'notice notice-error'}
          role={message.ok ? 'status' : 'alert'}
        >
          {message.text}
        </p>
      )}
    </div>
  );
}
