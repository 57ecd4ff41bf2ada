/**
 * Id token authorization shared by 1.6 (Authorize, StartTransaction) and 2.0.1/2.1 (Authorize,
 * TransactionEvent): status, expiry, group (parent) id and the limit of concurrent transactions.
 */
import type { Stores } from '../db/index.js';

/** The 2.0.1 AuthorizationStatusEnumType values the CSMS answers; 1.6 maps Unknown to Invalid. */
export type AuthorizationStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx' | 'Unknown';

export interface AuthorizationResult {
  readonly status: AuthorizationStatus;
  readonly expiresAt: Date | undefined;
  readonly groupIdToken: string | undefined;
}

export interface AuthorizeOptions {
  /** 2.0.1 IdTokenEnumType; 1.6 tokens have no type. */
  readonly type?: string;
  /**
   * Transactions of this token that are already counted but belong to the request at hand (e.g. the
   * transaction a TransactionEvent Started just created), so they don't count against the limit.
   */
  readonly ownActiveTransactions?: number;
  readonly now?: Date;
}

export interface Authorizer {
  authorize(idToken: string, options?: AuthorizeOptions): Promise<AuthorizationResult>;
}

export function createAuthorizer(stores: Stores): Authorizer {
  return {
    async authorize(idToken, options = {}) {
      // 1.6 §7.28 "IdToken is case insensitive"; so is 2.0.1 IdTokenType.idToken.
      const token = await stores.idTokens.getCaseInsensitive(idToken, options.type);
      if (!token) return { status: 'Unknown', expiresAt: undefined, groupIdToken: undefined };
      const expiresAt = token.expires_at ?? undefined;
      const groupIdToken = token.parent_id_token ?? undefined;
      const result = (status: AuthorizationStatus) => ({ status, expiresAt, groupIdToken });
      if (token.status !== 'Accepted') return result(token.status as AuthorizationStatus);
      if (expiresAt && expiresAt.getTime() <= (options.now ?? new Date()).getTime()) return result('Expired');
      if (token.max_concurrent_tx !== null) {
        const active =
          (await stores.idTokens.countActiveTransactions(idToken)) - (options.ownActiveTransactions ?? 0);
        if (active >= token.max_concurrent_tx) return result('ConcurrentTx');
      }
      return result('Accepted');
    },
  };
}

/**
 * How many of the token's running transactions are `transactionId` or were created after it. Passed
 * to the authorizer as the request's own (`ownActiveTransactions`), so only transactions the CSMS
 * knew before this one count against the token's limit (ConcurrentTx): a transaction never counts
 * itself, and a resent start gets the answer it got the first time, whatever started since.
 */
export function activeTransactionsFrom(
  stores: Stores,
  idToken: string,
  transactionId: number,
): Promise<number> {
  return stores.idTokens.countActiveTransactions(idToken, { fromTransactionId: transactionId });
}

/** 1.6 AuthorizationStatus has no Unknown (OCPP 1.6 §7.2: an unknown idTag is Invalid). */
export function toV16Status(
  status: AuthorizationStatus,
): 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx' {
  return status === 'Unknown' ? 'Invalid' : status;
}
