/**
 * Id tokens the CSMS authorizes: list, add, block or unblock, expire, and set the group (parent)
 * and the limit of concurrent transactions. A change applies to the next Authorize.
 */
import { useState } from 'preact/hooks';
import { api } from '../api-client';
import { ID_TOKEN_STATUSES, type IdToken } from '../api-types';
import { AddTokenForm, EditTokenRow, effectiveStatus } from '../components/id-token-forms';
import { PageHeader, Pager, Section } from '../components/layout';
import { EmptyState, ErrorNotice, Loading } from '../components/page-states';
import { StatusBadge } from '../components/status-badge';
import { formatDateTime } from '../format';
import { useQueryState } from '../router';
import { useApi } from '../use-api';

const PAGE_SIZE = 50;

export function IdTokensPage() {
  const [search, setSearch] = useQueryState('search');
  const [status, setStatus] = useQueryState('status');
  const [offsetText, setOffset] = useQueryState('offset', '0');
  const offset = Number(offsetText) || 0;
  const list = useApi(
    () =>
      api.idTokens({
        search: search.trim() || undefined,
        status: status || undefined,
        limit: PAGE_SIZE,
        offset,
      }),
    [search, status, offset],
  );
  const [editing, setEditing] = useState<string>();
  const [actionError, setActionError] = useState<unknown>();

  async function update(token: IdToken, body: Partial<IdToken>) {
    setActionError(undefined);
    try {
      await api.updateIdToken(token, body);
      list.reload();
    } catch (failure) {
      setActionError(failure);
    }
  }

  return (
    <>
      <PageHeader title="Id tokens" />
      <Section title="Add a token">
        <AddTokenForm onAdded={list.reload} />
      </Section>
      <Section title="Tokens">
        <form class="filters" onSubmit={(e) => e.preventDefault()}>
          <label class="field grow">
            <span>Search</span>
            <input
              type="search"
              name="search"
              placeholder="Token or group"
              value={search}
              onInput={(e) => {
                setSearch(e.currentTarget.value);
                setOffset('0');
              }}
            />
          </label>
          <label class="field">
            <span>Status</span>
            <select
              name="status"
              value={status}
              onChange={(e) => {
                setStatus(e.currentTarget.value);
                setOffset('0');
              }}
            >
              <option value="">All</option>
              {ID_TOKEN_STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
        </form>
        {actionError !== undefined && <ErrorNotice error={actionError} />}
        {list.error && <ErrorNotice error={list.error} onRetry={list.reload} />}
        {!list.data && !list.error && <Loading />}
        {list.data && list.data.items.length === 0 && (
          <EmptyState title={search || status ? 'No token matches these filters.' : 'No id tokens yet.'}>
            {!search &&
              !status &&
              'Add the RFID cards and app tokens that may charge; unknown tokens are refused.'}
          </EmptyState>
        )}
        {list.data && list.data.items.length > 0 && (
          <table class="table" data-testid="id-tokens-table">
            <thead>
              <tr>
                <th>Token</th>
                <th>Status</th>
                <th>Expires</th>
                <th>Group</th>
                <th>Max. concurrent</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((token) =>
                editing === `${token.idToken}/${token.type}` ? (
                  <EditTokenRow
                    key={`${token.idToken}/${token.type}`}
                    token={token}
                    onCancel={() => setEditing(undefined)}
                    onDone={() => {
                      setEditing(undefined);
                      list.reload();
                    }}
                  />
                ) : (
                  <tr key={`${token.idToken}/${token.type}`} data-token={token.idToken}>
                    <td data-label="Token">
                      <span>
                        <code>{token.idToken}</code> <span class="muted small">{token.type}</span>
                      </span>
                    </td>
                    <td data-label="Status">
                      <StatusBadge status={effectiveStatus(token)} />
                    </td>
                    <td data-label="Expires">
                      {token.expiresAt ? formatDateTime(token.expiresAt) : 'never'}
                    </td>
                    <td data-label="Group">{token.parentIdToken ?? '—'}</td>
                    <td data-label="Max. concurrent">{token.maxConcurrentTx ?? 'no limit'}</td>
                    <td class="actions">
                      {token.status === 'Blocked' ? (
                        <button
                          type="button"
                          class="button button-small"
                          onClick={() => update(token, { status: 'Accepted' })}
                        >
                          Unblock
                        </button>
                      ) : (
                        <button
                          type="button"
                          class="button button-small button-danger"
                          onClick={() => update(token, { status: 'Blocked' })}
                        >
                          Block
                        </button>
                      )}
                      {effectiveStatus(token) !== 'Expired' && (
                        <button
                          type="button"
                          class="button button-small"
                          onClick={() => update(token, { expiresAt: new Date().toISOString() })}
                        >
                          Expire
                        </button>
                      )}
                      <button
                        type="button"
                        class="button button-small"
                        onClick={() => setEditing(`${token.idToken}/${token.type}`)}
                      >
                        Edit
                      </button>
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        )}
        {list.data && (
          <Pager
            offset={offset}
            limit={PAGE_SIZE}
            total={list.data.total}
            onChange={(o) => setOffset(String(o))}
          />
        )}
      </Section>
    </>
  );
}
