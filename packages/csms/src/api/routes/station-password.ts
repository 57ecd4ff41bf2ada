/**
 * PUT /api/v1/stations/{id}/password: the station's Basic Auth password (security profiles 1 and 2).
 * It is stored as a salted hash; a connected station is also told it (1.6 security whitepaper A01:
 * ChangeConfiguration AuthorizationKey; 2.0.1 A01: SetVariables SecurityCtrlr.BasicAuthPassword),
 * and the station's answer decides which password the CSMS accepts from then on (A01.FR.03/04).
 */
import type { FastifyInstance } from 'fastify';
import type { OcppProtocol } from 'ocppkit';
import type * as v16 from 'ocppkit/v16';
import type * as v201 from 'ocppkit/v201';
import { checkAuthorizationKeyFormat, checkPasswordFormat, hashPassword } from '../../security/passwords.js';
import { ApiError } from '../errors.js';
import { errorResponses, identityParams } from '../schemas.js';
import type { ApiDeps } from '../server.js';
import { requireStation } from './stations.js';

/** Which passwords the CSMS accepts from the station after its answer. */
export type ValidPasswords = 'new' | 'previous' | 'both';

export type PasswordChangeOutcome =
  | { readonly sent: false }
  | { readonly sent: true; readonly status: string; readonly valid: ValidPasswords };

const password = {
  type: 'string',
  description:
    'Basic Auth password: 16 to 40 characters of a-z A-Z 0-9 * - _ = : + | @ . (stored hashed); for an ' +
    'OCPP 1.6 station 32 to 40 hexadecimal digits, the AuthorizationKey format',
} as const;

export function registerPasswordRoute(app: FastifyInstance, deps: ApiDeps): void {
  app.put<{ Params: { id: string }; Body: { password: string } }>(
    '/stations/:id/password',
    {
      schema: {
        tags: ['stations'],
        summary: "Set the station's Basic Auth password, and send it to the station when connected",
        description:
          'Stored as a salted hash and never returned. A connected station is sent the password ' +
          '(1.6 ChangeConfiguration AuthorizationKey, 2.0.1 SetVariables SecurityCtrlr.BasicAuthPassword) ' +
          'and its answer is returned: Accepted makes the new password the only one; a refusal keeps the ' +
          'previous one; RebootRequired, or no answer, keeps both. A station that is not connected keeps ' +
          'its previous password valid until a later change reaches it (204).',
        params: identityParams,
        body: {
          type: 'object',
          properties: { password },
          required: ['password'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            description: "Stored and sent; the station's answer",
            properties: {
              status: { type: 'string', description: 'The status the station answered with' },
              valid: {
                type: 'string',
                enum: ['new', 'previous', 'both'],
                description: 'Which passwords the CSMS accepts from the station from now on',
              },
            },
            required: ['status', 'valid'],
          },
          204: { type: 'null', description: 'Stored; the station is not connected' },
          ...errorResponses(400, 404, 409, 502, 504),
        },
      },
    },
    async (request, reply) => {
      const outcome = await changeStationPassword(deps, request.params.id, request.body.password);
      if (!outcome.sent) return reply.status(204).send();
      return { status: outcome.status, valid: outcome.valid };
    },
  );
}

/**
 * Stores the new password, keeping the previous one valid, and sends it to a connected station.
 * A CommandError (timeout, CALLERROR, disconnect) leaves both passwords valid: whether the station
 * took the new one is unknown, and refusing either could lock it out.
 */
export async function changeStationPassword(
  deps: ApiDeps,
  identity: string,
  newPassword: string,
): Promise<PasswordChangeOutcome> {
  const { stores, gateway } = deps;
  const station = await requireStation(deps, identity);
  const protocol = gateway.protocolOf(identity) ?? station.protocol ?? undefined;
  const problem =
    checkPasswordFormat(newPassword) ??
    (protocol === 'ocpp1.6' ? checkAuthorizationKeyFormat(newPassword) : undefined);
  if (problem) throw new ApiError('INVALID_PASSWORD', problem);
  const before = await stores.stations.getCredentials(identity);
  await stores.stations.setPassword(identity, await hashPassword(newPassword));
  if (!gateway.isConnected(identity) || protocol === undefined) return { sent: false };

  const status = await sendPassword(deps, identity, protocol, newPassword);
  const valid = validAfter(status);
  if (valid === 'new') await stores.stations.clearPreviousPassword(identity);
  else if (valid === 'previous') {
    if (before?.passwordHash) await stores.stations.revertPasswordChange(identity);
    else await stores.stations.removePassword(identity);
  }
  return { sent: true, status, valid };
}

/** The status the station answered the password with. */
async function sendPassword(
  deps: ApiDeps,
  identity: string,
  protocol: OcppProtocol,
  newPassword: string,
): Promise<string> {
  if (protocol === 'ocpp1.6') {
    const request: v16.ChangeConfigurationRequest = { key: 'AuthorizationKey', value: newPassword };
    const response = (await deps.gateway.call(
      identity,
      'ChangeConfiguration',
      request,
    )) as v16.ChangeConfigurationResponse;
    return response.status;
  }
  const request: v201.SetVariablesRequest = {
    setVariableData: [
      {
        component: { name: 'SecurityCtrlr' },
        variable: { name: 'BasicAuthPassword' },
        attributeValue: newPassword,
      },
    ],
  };
  const response = (await deps.gateway.call(identity, 'SetVariables', request)) as v201.SetVariablesResponse;
  const result = response.setVariableResult.find((r) => r.variable.name === 'BasicAuthPassword');
  return result?.attributeStatus ?? 'Rejected';
}

/**
 * A01.FR.03: Accepted, the station uses the new password; the old one SHALL no longer be accepted.
 * A01.FR.04: any other answer, the station has NOT changed it; the old one SHALL still be accepted.
 * RebootRequired is the exception kept open: the station takes the new password at its next reboot,
 * so both stay valid until a later change settles it.
 */
function validAfter(status: string): ValidPasswords {
  if (status === 'Accepted') return 'new';
  if (status === 'RebootRequired') return 'both';
  return 'previous';
}
