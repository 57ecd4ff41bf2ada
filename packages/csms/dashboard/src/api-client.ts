/**
 * The one place that talks to the management API: every call sends the bearer token kept in
 * localStorage, and every failure becomes an `ApiFailure` with a message an operator can act on.
 * A 401 forgets the token and sends the operator back to the sign-in screen.
 */
import type {
  CommandResult,
  IdToken,
  MessageLogPolicy,
  OcppMessage,
  Page,
  Station,
  StationDetail,
  StationReport,
  Transaction,
  TransactionDetail,
  VariableMonitor,
} from './api-types';

const TOKEN_KEY = 'csms.apiToken';
export const API_BASE = '/api/v1';

export function storedToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function saveToken(token: string): void {
  localStorage.setItem(TOKEN_KEY, token);
}

type SignOutListener = (reason: string | undefined) => void;
const signOutListeners = new Set<SignOutListener>();

/** Called with a reason when the token was refused, without one when the operator signed out. */
export function onSignOut(listener: SignOutListener): () => void {
  signOutListeners.add(listener);
  return () => signOutListeners.delete(listener);
}

export function signOut(reason?: string): void {
  localStorage.removeItem(TOKEN_KEY);
  for (const listener of signOutListeners) listener(reason);
}

/** A failed API call: `code` is the API's stable error code, or NETWORK when nothing answered. */
export class ApiFailure extends Error {
  override name = 'ApiFailure';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function authHeaders(token = storedToken()): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function failureOf(response: Response): Promise<ApiFailure> {
  const body = (await response.json().catch(() => undefined)) as
    | { code?: string; message?: string; details?: unknown }
    | undefined;
  return new ApiFailure(
    response.status,
    body?.code ?? `HTTP_${response.status}`,
    body?.message ?? `${response.status} ${response.statusText}`,
    body?.details,
  );
}

/** fetch against the API; rejects with ApiFailure. */
export async function apiFetch(
  path: string,
  init: { method?: string; body?: unknown; token?: string; signal?: AbortSignal } = {},
): Promise<Response> {
  const headers: Record<string, string> = authHeaders(init.token);
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? null : JSON.stringify(init.body),
      signal: init.signal ?? null,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiFailure(0, 'NETWORK', 'The CSMS does not answer. Is it running?');
  }
  if (response.ok) return response;
  const failure = await failureOf(response);
  if (response.status === 401 && init.token === undefined)
    signOut('The API token was refused; sign in again.');
  throw failure;
}

async function json<T>(path: string, init?: Parameters<typeof apiFetch>[1]): Promise<T> {
  const response = await apiFetch(path, init);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

const send = <T>(method: string, path: string, body?: unknown) => json<T>(path, { method, body });
const station = (identity: string) => `/stations/${encodeURIComponent(identity)}`;

export const api = {
  /** Checks a token before keeping it; a wrong one rejects with status 401. */
  verifyToken: (token: string) => json<Page<Station>>('/stations?limit=1', { token }),

  stations: (query: Query = {}) => json<Page<Station>>(`/stations${queryString(query)}`),
  station: (identity: string, messages = 0) =>
    json<StationDetail>(`${station(identity)}${queryString({ messages })}`),
  messages: (identity: string, query: { action?: string; limit?: number; beforeId?: number }) =>
    json<{ items: OcppMessage[]; policy: MessageLogPolicy }>(
      `${station(identity)}/messages${queryString(query)}`,
    ),
  reports: (identity: string, query: Query = {}) =>
    json<Page<StationReport>>(`${station(identity)}/reports${queryString(query)}`),
  monitors: (identity: string) => json<{ items: VariableMonitor[] }>(`${station(identity)}/monitors`),
  updateStation: (identity: string, body: { registrationStatus?: string; securityProfile?: number }) =>
    send<Station>('PATCH', station(identity), body),
  setPassword: (identity: string, password: string) =>
    send<void>('PUT', `${station(identity)}/password`, { password }),
  /** A friendly command (remote-start, reset, …): POST /stations/{id}/{name}. */
  command: (identity: string, name: string, body: object = {}) =>
    send<CommandResult>('POST', `${station(identity)}/${name}`, body),
  /** Any CSMS-initiated action with its OCPP payload. */
  call: (identity: string, action: string, payload: object) =>
    send<CommandResult>('POST', `${station(identity)}/call/${action}`, payload),

  transactions: (query: Query = {}) => json<Page<Transaction>>(`/transactions${queryString(query)}`),
  transaction: (id: number) => json<TransactionDetail>(`/transactions/${id}`),
  meterValuesCsv: async (id: number) => (await apiFetch(`/transactions/${id}/meter-values.csv`)).blob(),

  idTokens: (query: Query = {}) => json<Page<IdToken>>(`/id-tokens${queryString(query)}`),
  createIdToken: (body: Partial<IdToken> & { idToken: string }) => send<IdToken>('POST', '/id-tokens', body),
  updateIdToken: (token: IdToken, body: Partial<IdToken>) =>
    send<IdToken>(
      'PATCH',
      `/id-tokens/${encodeURIComponent(token.idToken)}${queryString({ type: token.type })}`,
      body,
    ),
};

/** Every page of a list, for the overview's totals. */
export async function allPages<T>(load: (offset: number) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  for (let offset = 0; ; ) {
    const page = await load(offset);
    items.push(...page.items);
    offset += page.items.length;
    if (page.items.length === 0 || offset >= page.total) return items;
  }
}
