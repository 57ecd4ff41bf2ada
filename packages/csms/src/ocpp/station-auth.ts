/**
 * Who may open an OCPP connection: the registration policy for unknown stations, the Basic Auth
 * password and the security profile each station must use (1.6 security whitepaper §3, 2.0.1 A00–A02).
 */
import type { AuthenticateInput, AuthenticateResult } from 'ocppkit';
import type { Logger } from 'pino';
import type { UnknownStationPolicy } from '../config.js';
import type { SecurityProfile, Stores } from '../db/index.js';
import { verifyPassword } from '../security/passwords.js';
import { groupCommits } from './group-commits.js';

export function createStationAuthenticator(deps: {
  readonly stores: Stores;
  readonly unknownStations: UnknownStationPolicy;
  readonly logger: Logger;
}) {
  const { stores, logger } = deps;
  return async function authenticate(input: AuthenticateInput): Promise<AuthenticateResult> {
    const { identity } = input;
    // Batched with the other stations connecting meanwhile (group-commits.ts): a boot storm.
    const credentials = await groupCommits(stores).credentials.call(identity);
    if (!credentials) {
      // OCPP-J 2.0.1 Part 4 §3.1.1 / OCPP-NOTES: an unknown identity is answered with 404 so the station backs off.
      if (deps.unknownStations === 'reject') return { accept: false, status: 404 };
      return true;
    }
    const encrypted = Boolean((input.request.socket as { encrypted?: boolean }).encrypted);
    const profile = credentials.securityProfile;
    // No downgrade: a station registered for a profile may not connect with a lower one (2.0.1 A00.FR.3xx).
    if (profile >= 2 && !encrypted) {
      logger.warn({ identity, profile }, 'refused: profile requires TLS');
      return { accept: false, status: 401 };
    }
    /**
     * 2.0.1 A05.FR.06/07: once a station connected with a higher security profile (it was sent a new
     * NetworkConnectionProfile), the CSMS SHALL NOT let it connect with a lower one anymore; so the
     * profile it proved is stored. Stations registered without authentication (0) are left as they are.
     */
    const provedProfile = async (proved: SecurityProfile): Promise<true> => {
      if (profile >= 1 && proved > profile) {
        await stores.stations.setSecurityProfile(identity, proved);
        logger.info(
          { identity, from: profile, to: proved },
          'security profile raised: lower ones refused from now on',
        );
      }
      return true;
    };
    const cn = input.certificate?.subject?.CN;
    const certified = encrypted && input.certificateAuthorized && cn === identity;
    // A station upgrading to profile 3 (A05) proves itself with its certificate instead of the password.
    if (profile === 3 || (profile >= 1 && certified)) {
      if (!certified) {
        logger.warn(
          { identity, cn },
          'refused: client certificate missing, untrusted or not issued to this station',
        );
        return { accept: false, status: 401 };
      }
      return provedProfile(3);
    }
    if (profile >= 1 || credentials.passwordHash) {
      if (!credentials.passwordHash || !credentials.passwordSalt || input.password === undefined) {
        logger.warn({ identity }, 'refused: Basic Auth required');
        return false;
      }
      const current = { hash: credentials.passwordHash, salt: credentials.passwordSalt };
      if (await verifyPassword(input.password, current)) return provedProfile(encrypted ? 2 : 1);
      // The previous password stays valid until the station confirmed the change (OCPP-NOTES, A01.FR).
      if (credentials.previousPasswordHash && credentials.previousPasswordSalt) {
        const previous = { hash: credentials.previousPasswordHash, salt: credentials.previousPasswordSalt };
        if (await verifyPassword(input.password, previous)) return provedProfile(encrypted ? 2 : 1);
      }
      logger.warn({ identity }, 'refused: wrong password');
      return false;
    }
    return true;
  };
}
