/**
 * Station Basic Auth passwords, stored as salted scrypt hashes (OCPP 1.6 security whitepaper §3.1,
 * 2.0.1 A00.FR.203: the CSMS stores a hash, never the password).
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 32;
/** scrypt cost: 2^14 takes ~30 ms here, once per connection, not per message. */
const COST = 16384;

export interface PasswordHash {
  readonly hash: string;
  readonly salt: string;
}

function derive(password: string, salt: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, Buffer.from(salt, 'base64'), KEY_LENGTH, { N: COST }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(16).toString('base64');
  const key = await derive(password, salt);
  return { hash: key.toString('base64'), salt };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const key = await derive(password, stored.salt);
  const expected = Buffer.from(stored.hash, 'base64');
  return expected.length === key.length && timingSafeEqual(expected, key);
}

/**
 * 2.0.1 BasicAuthPassword: 16–40 characters of `a-zA-Z0-9*-_=:+|@.` (2.0.1 Part 2 appendix,
 * SecurityCtrlr); 1.6 AuthorizationKey: 16–20 bytes sent as up to 40 hex characters (whitepaper §3.1).
 * We accept either form: 16 to 40 characters of the 2.0.1 set (hex is a subset).
 */
export function checkPasswordFormat(password: string): string | undefined {
  if (!/^[A-Za-z0-9*\-_=:+|@.]{16,40}$/.test(password)) {
    return 'password must be 16 to 40 characters of a-z A-Z 0-9 * - _ = : + | @ .';
  }
  return undefined;
}

/**
 * OCPP 1.6 AuthorizationKey, security whitepaper edition 3 §7.2 and A00.FR.205: "minimal 16 bytes
 * ... Hexadecimal represented (20 bytes maximum, represented as a string of up to 40 hexadecimal
 * digits)". The station uses the key as configured as its Basic Auth password, so a password meant
 * for a 1.6 station must be that hex string: 32 to 40 hex digits, an even number (whole bytes).
 */
export function checkAuthorizationKeyFormat(password: string): string | undefined {
  if (!/^(?:[0-9A-Fa-f]{2}){16,20}$/.test(password)) {
    return 'an OCPP 1.6 AuthorizationKey must be 16 to 20 bytes written as 32 to 40 hexadecimal digits';
  }
  return undefined;
}
