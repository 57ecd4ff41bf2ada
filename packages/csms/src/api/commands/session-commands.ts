/**
 * Commands around charging sessions: remote start and stop, reservations, connector unlock.
 * 1.6 names from OCPP 1.6 §5 (RemoteStartTransaction, RemoteStopTransaction, ReserveNow,
 * CancelReservation, UnlockConnector); 2.0.1 from Part 2 F01/F03 (RequestStart/StopTransaction),
 * H01/H02 (ReserveNow, CancelReservation) and F05 (UnlockConnector).
 */
import type * as v16 from 'ocppkit/v16';
import type * as v201 from 'ocppkit/v201';
import type { ReservationStatus } from '../../db/index.js';
import { CommandError } from '../../ocpp/station-gateway.js';
import { ApiError } from '../errors.js';
import { ID_TOKEN_MAX, ID_TOKEN_TYPES } from '../schemas.js';
import {
  type CommandContext,
  compact,
  connector16,
  defineCommand,
  evse201,
  type Location,
  locationProperties,
  newRequestId,
} from './command.js';

const idToken = { type: 'string', minLength: 1, maxLength: ID_TOKEN_MAX } as const;
const idTokenType = {
  type: 'string',
  enum: ID_TOKEN_TYPES,
  description: '2.0.1 IdTokenEnumType; default: the type the token has in the CSMS, else Central',
} as const;

/** 2.0.1 needs a token type; a token the CSMS knows keeps its own, a remote-only one is Central. */
async function typeOf(context: CommandContext, token: string, given: string | undefined) {
  return (given ??
    (await context.deps.stores.idTokens.get(token))?.type ??
    'Central') as v201.IdTokenEnumType;
}

interface RemoteStartBody extends Location {
  idToken: string;
  idTokenType?: string;
  chargingProfile?: object;
}

const remoteStart = defineCommand<RemoteStartBody>({
  name: 'remote-start',
  summary: 'Start a transaction (1.6 RemoteStartTransaction, 2.0.1 RequestStartTransaction)',
  description: 'For 2.0.1 a remoteStartId is generated; it is in `request.remoteStartId` of the reply.',
  body: {
    type: 'object',
    properties: {
      idToken,
      idTokenType,
      ...locationProperties,
      chargingProfile: { type: 'object', description: "A TxProfile in the station's OCPP version" },
    },
    required: ['idToken'],
    additionalProperties: false,
  },
  build: {
    'ocpp1.6': (body) => ({
      action: 'RemoteStartTransaction',
      payload: compact({
        idTag: body.idToken,
        connectorId: connector16(body),
        chargingProfile: body.chargingProfile as v16.RemoteStartTransactionRequest['chargingProfile'],
      }) satisfies v16.RemoteStartTransactionRequest,
    }),
    'ocpp2.0.1': async (body, context) => ({
      action: 'RequestStartTransaction',
      payload: compact({
        idToken: { idToken: body.idToken, type: await typeOf(context, body.idToken, body.idTokenType) },
        evseId: evse201(body)?.id,
        remoteStartId: newRequestId(),
        chargingProfile: body.chargingProfile as v201.RequestStartTransactionRequest['chargingProfile'],
      }) satisfies v201.RequestStartTransactionRequest,
    }),
  },
});

/** The transaction, which must belong to the station. */
async function transactionOf(context: CommandContext, id: number) {
  const transaction = await context.deps.stores.transactions.get(id);
  if (!transaction || transaction.station_identity !== context.identity) {
    throw new ApiError('TRANSACTION_NOT_FOUND', `Station ${context.identity} has no transaction ${id}`);
  }
  return transaction;
}

const remoteStop = defineCommand<{ transactionId: number }>({
  name: 'remote-stop',
  summary: 'Stop a transaction (1.6 RemoteStopTransaction, 2.0.1 RequestStopTransaction)',
  description:
    "`transactionId` is the CSMS id (the 1.6 transactionId); for 2.0.1 the station's own transactionId is sent.",
  body: {
    type: 'object',
    properties: { transactionId: { type: 'integer', minimum: 1, description: 'CSMS transaction id' } },
    required: ['transactionId'],
    additionalProperties: false,
  },
  build: {
    'ocpp1.6': async (body, context) => ({
      action: 'RemoteStopTransaction',
      payload: {
        transactionId: (await transactionOf(context, body.transactionId)).id,
      } satisfies v16.RemoteStopTransactionRequest,
    }),
    'ocpp2.0.1': async (body, context) => {
      const transaction = await transactionOf(context, body.transactionId);
      if (!transaction.station_transaction_id) {
        throw new ApiError(
          'TRANSACTION_NOT_FOUND',
          `Transaction ${transaction.id} has no 2.0.1 transactionId`,
        );
      }
      return {
        action: 'RequestStopTransaction',
        payload: {
          transactionId: transaction.station_transaction_id,
        } satisfies v201.RequestStopTransactionRequest,
      };
    },
  },
});

interface ReserveBody extends Location {
  idToken: string;
  idTokenType?: string;
  groupIdToken?: string;
  expiresAt: string;
  connectorType?: string;
}

/** The placeholder reservation id used to validate before the reservation row (and its id) exists. */
const DRAFT_RESERVATION_ID = 0;

const reserve = defineCommand<ReserveBody>({
  name: 'reserve',
  summary: 'Reserve an EVSE/connector (ReserveNow), recording the reservation',
  description:
    'Creates the reservation row (its id is the reservationId sent) and stores the answer as its status. ' +
    'Without evseId/connectorId the station is reserved as a whole (1.6 connector 0).',
  body: {
    type: 'object',
    properties: {
      idToken,
      idTokenType,
      groupIdToken: { ...idToken, description: '1.6 parentIdTag / 2.0.1 groupIdToken' },
      expiresAt: { type: 'string', format: 'date-time' },
      ...locationProperties,
      connectorType: { type: 'string', description: '2.0.1 ConnectorEnumType' },
    },
    required: ['idToken', 'expiresAt'],
    additionalProperties: false,
  },
  build: {
    'ocpp1.6': (body) => ({
      action: 'ReserveNow',
      payload: compact({
        connectorId: connector16(body) ?? 0,
        expiryDate: body.expiresAt,
        idTag: body.idToken,
        parentIdTag: body.groupIdToken,
        reservationId: DRAFT_RESERVATION_ID,
      }) satisfies v16.ReserveNowRequest,
    }),
    'ocpp2.0.1': async (body, context) => {
      const type = await typeOf(context, body.idToken, body.idTokenType);
      return {
        action: 'ReserveNow',
        payload: compact({
          id: DRAFT_RESERVATION_ID,
          expiryDateTime: body.expiresAt,
          idToken: { idToken: body.idToken, type },
          evseId: evse201(body)?.id,
          connectorType: body.connectorType as v201.ConnectorEnumType | undefined,
          groupIdToken: body.groupIdToken ? { idToken: body.groupIdToken, type } : undefined,
        }) satisfies v201.ReserveNowRequest,
      };
    },
  },
  async beforeSend(call, body, context) {
    const is16 = context.protocol === 'ocpp1.6';
    const row = await context.deps.stores.reservations.create({
      stationIdentity: context.identity,
      ...(is16 ? { connectorId: connector16(body) ?? 0 } : { evseId: evse201(body)?.id }),
      ...(body.connectorType && { connectorType: body.connectorType }),
      idToken: body.idToken,
      ...(!is16 && { idTokenType: (call.payload as v201.ReserveNowRequest).idToken.type }),
      ...(body.groupIdToken && { groupIdToken: body.groupIdToken }),
      expiresAt: body.expiresAt,
    });
    return { ...call, payload: { ...call.payload, ...(is16 ? { reservationId: row.id } : { id: row.id }) } };
  },
  async afterResponse(call, response, context) {
    const { status } = response as v16.ReserveNowResponse | v201.ReserveNowResponse;
    await context.deps.stores.reservations.setStatus(reservationIdOf(call), status as ReservationStatus);
  },
  async onFailure(call, error, context) {
    // A CALLERROR means the station did not take the reservation; after a timeout it may have.
    if (error instanceof CommandError && error.code === 'CALL_ERROR') {
      await context.deps.stores.reservations.setStatus(reservationIdOf(call), 'Rejected');
    }
  },
});

function reservationIdOf(call: { payload: object }): number {
  const payload = call.payload as { reservationId?: number; id?: number };
  return (payload.reservationId ?? payload.id) as number;
}

const cancelReservation = defineCommand<{ reservationId: number }>({
  name: 'cancel-reservation',
  summary: 'Cancel a reservation (CancelReservation)',
  body: {
    type: 'object',
    properties: { reservationId: { type: 'integer', minimum: 1 } },
    required: ['reservationId'],
    additionalProperties: false,
  },
  build: Object.fromEntries(
    (['ocpp1.6', 'ocpp2.0.1'] as const).map((protocol) => [
      protocol,
      async (body: { reservationId: number }, context: CommandContext) => {
        const reservation = await context.deps.stores.reservations.get(body.reservationId);
        if (!reservation || reservation.station_identity !== context.identity) {
          throw new ApiError(
            'RESERVATION_NOT_FOUND',
            `Station ${context.identity} has no reservation ${body.reservationId}`,
          );
        }
        return {
          action: 'CancelReservation',
          payload: { reservationId: reservation.id } satisfies v16.CancelReservationRequest &
            v201.CancelReservationRequest,
        };
      },
    ]),
  ),
  async afterResponse(call, response, context) {
    if ((response as { status?: string }).status === 'Accepted') {
      await context.deps.stores.reservations.setStatus(reservationIdOf(call), 'Cancelled');
    }
  },
});

const unlock = defineCommand<Location>({
  name: 'unlock',
  summary: 'Unlock a connector (UnlockConnector)',
  description: '1.6 needs evseId or connectorId; 2.0.1 needs evseId (connectorId defaults to 1).',
  body: { type: 'object', properties: locationProperties, additionalProperties: false },
  build: {
    'ocpp1.6': (body) => {
      const connectorId = connector16(body);
      if (connectorId === undefined) throw new ApiError('VALIDATION_FAILED', 'body/connectorId is required');
      return { action: 'UnlockConnector', payload: { connectorId } satisfies v16.UnlockConnectorRequest };
    },
    'ocpp2.0.1': (body) => {
      const evse = evse201(body);
      if (!evse) throw new ApiError('VALIDATION_FAILED', 'body/evseId is required');
      return {
        action: 'UnlockConnector',
        payload: {
          evseId: evse.id,
          connectorId: evse.connectorId ?? 1,
        } satisfies v201.UnlockConnectorRequest,
      };
    },
  },
});

export const SESSION_COMMANDS = [remoteStart, remoteStop, reserve, cancelReservation, unlock];
