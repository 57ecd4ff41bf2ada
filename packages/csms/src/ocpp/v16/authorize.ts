/** Authorize (OCPP 1.6 §4.1) and the IdTagInfo that Authorize, StartTransaction and StopTransaction answer. */
import type * as v16 from 'ocppkit/v16';
import { type AuthorizationResult, toV16Status } from '../authorization.js';
import type { StationSession } from '../station-session.js';

/** 1.6 IdToken is CiString20Type (§7.28); a longer group id cannot be sent as parentIdTag. */
const MAX_ID_TOKEN_LENGTH = 20;

/**
 * IdTagInfo (§7.27) for an authorization result. ConcurrentTx is "only relevant for a
 * StartTransaction.req" (§7.2), and stations cache the idTagInfo of Authorize and StopTransaction
 * answers (§4.1, §4.10), where a passing state must not be cached: there a token at its limit of
 * concurrent transactions is reported as Accepted (the authorizer only says ConcurrentTx for a
 * token that passed every other check).
 */
export function toIdTagInfo(
  result: AuthorizationResult,
  options: { startingTransaction: boolean },
): v16.AuthorizeResponseIdTagInfo {
  const status = toV16Status(result.status);
  const parent = result.groupIdToken;
  return {
    status: status === 'ConcurrentTx' && !options.startingTransaction ? 'Accepted' : status,
    ...(result.expiresAt && { expiryDate: result.expiresAt.toISOString() }),
    ...(parent && parent.length <= MAX_ID_TOKEN_LENGTH && { parentIdTag: parent }),
  };
}

export async function handleAuthorize(
  session: StationSession,
  request: v16.AuthorizeRequest,
): Promise<v16.AuthorizeResponse> {
  const result = await session.services.authorizer.authorize(request.idTag);
  return { idTagInfo: toIdTagInfo(result, { startingTransaction: false }) };
}
