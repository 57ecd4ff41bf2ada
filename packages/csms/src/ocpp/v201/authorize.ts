/**
 * Authorize (2.0.1 C01, C07) and the IdTokenInfo that Authorize and TransactionEvent answer with
 * (E01.FR.11/12, E05.FR.01: the CSMS verifies every idToken a TransactionEvent carries).
 */
import * as v201 from 'ocppkit/v201';
import type { AuthorizationResult } from '../authorization.js';
import type { StationSession } from '../station-session.js';

export interface IdTokenInfoOptions {
  /**
   * True when the token authorizes the start of a transaction. ConcurrentTx is "only relevant for
   * the response to a transactionRequest(eventType=Started)" (AuthorizationStatusEnumType); we read
   * that as: an event whose token authorizes the transaction rather than stops it (Started, or the
   * Updated with triggerReason Authorized of a cable-first session). Elsewhere it is Accepted.
   */
  readonly startingTransaction: boolean;
  /** Running transactions of this token that belong to the request itself (see Authorizer). */
  readonly ownActiveTransactions?: number;
}

/** The idTokenInfo answering a token (Authorize, or a TransactionEvent that carries one). */
export async function idTokenInfoFor(
  session: StationSession,
  idToken: v201.IdTokenType,
  options: IdTokenInfoOptions,
): Promise<v201.IdTokenInfoType> {
  // C02.FR.02: a transaction started without authorization (start button) is Accepted as such.
  if (idToken.type === 'NoAuthorization') return { status: 'Accepted' };
  const result = await session.services.authorizer.authorize(idToken.idToken, {
    type: idToken.type,
    ownActiveTransactions: options.ownActiveTransactions,
  });
  return toIdTokenInfo(session, result, options);
}

async function toIdTokenInfo(
  session: StationSession,
  result: AuthorizationResult,
  options: IdTokenInfoOptions,
): Promise<v201.IdTokenInfoType> {
  const status =
    result.status === 'ConcurrentTx' && !options.startingTransaction ? 'Accepted' : result.status;
  return {
    status,
    ...(result.expiresAt && { cacheExpiryDateTime: result.expiresAt.toISOString() }),
    // C01.FR.06 / E01.FR.12: the group id goes with every answer for a token that has one.
    ...(result.groupIdToken !== undefined && {
      groupIdToken: await groupIdTokenOf(session, result.groupIdToken),
    }),
  };
}

/**
 * IdTokenType needs a type for the group id. When the group id is itself a registered token its
 * type is used; otherwise it is an id the CSMS keeps, which IdTokenEnumType calls Central.
 */
async function groupIdTokenOf(session: StationSession, groupIdToken: string): Promise<v201.IdTokenType> {
  const token = await session.services.stores.idTokens.getCaseInsensitive(groupIdToken);
  return { idToken: groupIdToken, type: token && isIdTokenEnum(token.type) ? token.type : 'Central' };
}

export async function handleAuthorize(
  session: StationSession,
  request: v201.AuthorizeRequest,
): Promise<v201.AuthorizeResponse> {
  if (request.certificate !== undefined || request.iso15118CertificateHashData !== undefined) {
    // C07.FR.05 asks the CSMS to verify the contract certificate chain (OCSP); this CSMS has no
    // PKI, so the chain "cannot be verified": C07.FR.17 answers CertChainError and Invalid.
    session.logger.info(
      { idToken: request.idToken.type },
      'contract certificate not verifiable: CertChainError',
    );
    return { idTokenInfo: { status: 'Invalid' }, certificateStatus: 'CertChainError' };
  }
  // An Authorize never starts a transaction itself, so ConcurrentTx is not reported here.
  return { idTokenInfo: await idTokenInfoFor(session, request.idToken, { startingTransaction: false }) };
}

const ID_TOKEN_TYPES: ReadonlySet<string> = new Set(Object.values(v201.IdTokenEnumType));

function isIdTokenEnum(type: string): type is v201.IdTokenEnumType {
  return ID_TOKEN_TYPES.has(type);
}
