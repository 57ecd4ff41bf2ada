/** The dashboard shell: sign-in gate, navigation, and which page a path shows. */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { onSignOut, saveToken, signOut, storedToken } from './api-client';
import { IdTokensPage } from './pages/id-tokens';
import { NotFoundPage } from './pages/not-found';
import { OverviewPage } from './pages/overview';
import { SignInPage } from './pages/sign-in';
import { StationPage } from './pages/station';
import { StationsPage } from './pages/stations';
import { TransactionPage } from './pages/transaction';
import { TransactionsPage } from './pages/transactions';
import { Link, match, useLocation } from './router';

export function App() {
  const [token, setToken] = useState(storedToken);
  const [reason, setReason] = useState<string | undefined>();
  useEffect(
    () =>
      onSignOut((why) => {
        setToken(null);
        setReason(why);
      }),
    [],
  );
  if (!token) {
    return (
      <SignInPage
        reason={reason}
        onSignedIn={(value) => {
          saveToken(value);
          setReason(undefined);
          setToken(value);
        }}
      />
    );
  }
  return <Shell />;
}

const NAV = [
  { href: '/', label: 'Overview', active: (path: string) => path === '/' },
  { href: '/stations', label: 'Stations', active: (path: string) => path.startsWith('/stations') },
  {
    href: '/transactions',
    label: 'Transactions',
    active: (path: string) => path.startsWith('/transactions'),
  },
  { href: '/id-tokens', label: 'Id tokens', active: (path: string) => path.startsWith('/id-tokens') },
];

function pageFor(path: string): { title: string; page: ComponentChildren } {
  if (path === '/' || path === '') return { title: 'Overview', page: <OverviewPage /> };
  if (match('/stations', path)) return { title: 'Stations', page: <StationsPage /> };
  const station = match('/stations/:id', path);
  if (station?.id) return { title: station.id, page: <StationPage key={station.id} identity={station.id} /> };
  if (match('/transactions', path)) return { title: 'Transactions', page: <TransactionsPage /> };
  const transaction = match('/transactions/:id', path);
  if (transaction?.id && /^\d+$/.test(transaction.id)) {
    const id = Number(transaction.id);
    return { title: `Transaction ${id}`, page: <TransactionPage key={id} id={id} /> };
  }
  if (match('/id-tokens', path)) return { title: 'Id tokens', page: <IdTokensPage /> };
  return { title: 'Not found', page: <NotFoundPage /> };
}

function Shell() {
  const { path } = useLocation();
  const { title, page } = pageFor(path);
  useEffect(() => {
    document.title = `${title} · CSMS`;
  }, [title]);
  return (
    <div class="shell">
      <header class="topbar">
        <Link href="/" class="brand">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          <span>CSMS</span>
        </Link>
        <nav class="nav" aria-label="Main">
          {NAV.map((item) => (
            <Link key={item.href} href={item.href} class={item.active(path) ? 'nav-link active' : 'nav-link'}>
              {item.label}
            </Link>
          ))}
        </nav>
        <button type="button" class="button button-quiet sign-out" onClick={() => signOut()}>
          Sign out
        </button>
      </header>
      <main class="content">{page}</main>
    </div>
  );
}
