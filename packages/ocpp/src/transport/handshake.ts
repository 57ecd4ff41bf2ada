/**
 * What the WebSocket upgrade request says, read before we accept it: the station identity from the
 * URL, the subprotocol to speak, and HTTP Basic credentials.
 */
import type { IncomingMessage } from 'node:http';
import type { OcppProtocol } from '../protocols.js';

/**
 * 2.0.1 Part 2 (A00.FR / identity rules, OCPP-J 2.0.1 Part 4 §3.1.1): at most 48 characters from
 * `a-z A-Z 0-9 * - _ = : + | @ .`; a colon is not allowed because the identity is the Basic Auth
 * user name (RFC 7617 §2 ends the user-id at the first colon).
 */
const V2_IDENTITY = /^[A-Za-z0-9*\-_=+|@.]{1,48}$/;
/** 1.6 sets no character set; we refuse only what cannot be a name: control characters and slashes. */
const V16_MAX_IDENTITY = 255;

export type IdentityResult = { readonly identity: string } | { readonly error: string };

/** The identity is the last path segment, percent-decoded (OCPP-J 1.6 §3.1.1, 2.0.1 Part 4 §3.1.1). */
export function readIdentity(url: string | undefined, protocol: OcppProtocol | undefined): IdentityResult {
  const path = (url ?? '/').split('?')[0] ?? '/';
  const segment = path.slice(path.lastIndexOf('/') + 1);
  if (!segment) return { error: 'The URL has no station identity as its last path segment' };
  let identity: string;
  try {
    identity = decodeURIComponent(segment);
  } catch {
    return { error: 'The station identity is not valid percent-encoding' };
  }
  const valid = protocol === 'ocpp1.6' ? isPrintableName(identity) : V2_IDENTITY.test(identity);
  if (!valid) {
    return { error: `Invalid station identity ${JSON.stringify(identity.slice(0, 60))}` };
  }
  return { identity };
}

function isPrintableName(identity: string): boolean {
  if (identity.length === 0 || identity.length > V16_MAX_IDENTITY) return false;
  for (let i = 0; i < identity.length; i++) {
    const c = identity.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x2f) return false;
  }
  return true;
}

/**
 * Picks the subprotocol: the first one in the station's order of preference that we speak
 * (OCPP-J 2.0.1 Part 4 §3.1.2). Unknown names such as `ocpp0.1` are skipped (OCTT TC_088_CSMS).
 */
export function selectProtocol(
  header: string | undefined,
  supported: readonly OcppProtocol[],
): OcppProtocol | undefined {
  if (!header) return undefined;
  for (const offered of header.split(',')) {
    const index = (supported as readonly string[]).indexOf(offered.trim());
    // Our own constant rather than the slice of the header: connections share one string.
    if (index >= 0) return supported[index];
  }
  return undefined;
}

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

/** Reads `Authorization: Basic …` (RFC 7617); undefined when absent or unreadable. */
export function readBasicAuth(request: IncomingMessage): BasicCredentials | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
