/** The one place the API token is typed in; it is checked before it is kept (in localStorage). */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure, api } from '../api-client';
import { errorText } from '../format';

export function SignInPage(props: { reason: string | undefined; onSignedIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(props.reason);
  const input = useRef<HTMLInputElement>(null);
  // The page has one field: put the cursor there.
  useEffect(() => input.current?.focus(), []);

  async function submit(event: Event) {
    event.preventDefault();
    const value = token.trim();
    if (!value) {
      setError('Enter the API token.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api.verifyToken(value);
      props.onSignedIn(value);
    } catch (failure) {
      setError(
        failure instanceof ApiFailure && failure.status === 401
          ? 'This token is not accepted by the CSMS.'
          : errorText(failure),
      );
      setBusy(false);
    }
  }

  return (
    <main class="sign-in">
      <form class="card sign-in-card" onSubmit={submit}>
        <div class="brand brand-large">
          <img src="/favicon.svg" alt="" width={32} height={32} />
          <span>CSMS dashboard</span>
        </div>
        <label class="field">
          <span>API token</span>
          <input
            ref={input}
            name="token"
            type="password"
            autoComplete="current-password"
            value={token}
            onInput={(e) => setToken(e.currentTarget.value)}
          />
        </label>
        <p class="hint">
          The token is CSMS_API_TOKEN, or the one the CSMS printed when it first started. It stays in this
          browser until you sign out.
        </p>
        {error && (
          <p class="notice notice-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
