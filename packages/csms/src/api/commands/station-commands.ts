/**
 * Commands that act on the station as a whole: reset, availability, trigger message, data transfer.
 */
import type * as v16 from 'ocppkit/v16';
import type * as v201 from 'ocppkit/v201';
import { ApiError } from '../errors.js';
import {
  compact,
  connector16,
  defineCommand,
  evse201,
  type Location,
  locationProperties,
} from './command.js';

interface ResetBody {
  type: 'soft' | 'hard';
  evseId?: number;
}

const reset = defineCommand<ResetBody>({
  name: 'reset',
  summary: 'Reboot the station (Reset)',
  description:
    'soft → 1.6 Soft / 2.0.1 OnIdle (after transactions end, B12.FR.01/03); hard → 1.6 Hard / 2.0.1 ' +
    'Immediate (transactions are stopped first, B12.FR.04). `evseId` resets one EVSE (2.0.1 only).',
  body: {
    type: 'object',
    properties: {
      type: { type: 'string', enum: ['soft', 'hard'] },
      evseId: { type: 'integer', minimum: 1, description: '2.0.1 only' },
    },
    required: ['type'],
    additionalProperties: false,
  },
  build: {
    'ocpp1.6': (body) => {
      if (body.evseId !== undefined) {
        throw new ApiError(
          'VALIDATION_FAILED',
          'body/evseId: an OCPP 1.6 Reset always concerns the whole station',
        );
      }
      return {
        action: 'Reset',
        payload: { type: body.type === 'soft' ? 'Soft' : 'Hard' } satisfies v16.ResetRequest,
      };
    },
    'ocpp2.0.1': (body) => ({
      action: 'Reset',
      payload: compact({
        type: body.type === 'soft' ? 'OnIdle' : 'Immediate',
        evseId: body.evseId,
      }) satisfies v201.ResetRequest,
    }),
  },
});

interface AvailabilityBody extends Location {
  status: 'Operative' | 'Inoperative';
}

const changeAvailability = defineCommand<AvailabilityBody>({
  name: 'change-availability',
  summary: 'Make the station or an EVSE/connector (in)operative (ChangeAvailability)',
  description: 'Without evseId/connectorId the whole station (1.6 connector 0).',
  body: {
    type: 'object',
    properties: { status: { type: 'string', enum: ['Operative', 'Inoperative'] }, ...locationProperties },
    required: ['status'],
    additionalProperties: false,
  },
  build: {
    'ocpp1.6': (body) => ({
      action: 'ChangeAvailability',
      payload: {
        connectorId: connector16(body) ?? 0,
        type: body.status,
      } satisfies v16.ChangeAvailabilityRequest,
    }),
    'ocpp2.0.1': (body) => ({
      action: 'ChangeAvailability',
      payload: compact({
        operationalStatus: body.status,
        evse: evse201(body),
      }) satisfies v201.ChangeAvailabilityRequest,
    }),
  },
});

interface TriggerBody extends Location {
  message: string;
}

/** 1.6 security whitepaper §5.5: messages only ExtendedTriggerMessage can ask for. */
const EXTENDED_TRIGGERS_16 = new Set(['LogStatusNotification', 'SignChargePointCertificate']);

const triggerMessage = defineCommand<TriggerBody>({
  name: 'trigger-message',
  summary: 'Ask the station to send a message now (TriggerMessage)',
  description:
    "`message` is a MessageTrigger value of the station's version (e.g. StatusNotification, Heartbeat, " +
    'MeterValues, BootNotification); on 1.6, LogStatusNotification and SignChargePointCertificate use ' +
    'ExtendedTriggerMessage.',
  body: {
    type: 'object',
    properties: { message: { type: 'string', minLength: 1 }, ...locationProperties },
    required: ['message'],
    additionalProperties: false,
  },
  build: {
    'ocpp1.6': (body) => ({
      action: EXTENDED_TRIGGERS_16.has(body.message) ? 'ExtendedTriggerMessage' : 'TriggerMessage',
      payload: compact({
        requestedMessage: body.message as v16.TriggerMessageRequest['requestedMessage'],
        connectorId: connector16(body),
      }) satisfies v16.TriggerMessageRequest,
    }),
    'ocpp2.0.1': (body) => ({
      action: 'TriggerMessage',
      payload: compact({
        requestedMessage: body.message as v201.MessageTriggerEnumType,
        evse: evse201(body),
      }) satisfies v201.TriggerMessageRequest,
    }),
  },
});

interface DataTransferBody {
  vendorId: string;
  messageId?: string;
  data?: unknown;
}

const dataTransfer = defineCommand<DataTransferBody>({
  name: 'data-transfer',
  summary: 'Send vendor-specific data (DataTransfer)',
  description: '1.6 data is a string: other JSON values are sent as their JSON text.',
  body: {
    type: 'object',
    properties: { vendorId: { type: 'string', minLength: 1 }, messageId: { type: 'string' }, data: {} },
    required: ['vendorId'],
    additionalProperties: false,
  },
  build: {
    'ocpp1.6': (body) => ({
      action: 'DataTransfer',
      payload: compact({
        vendorId: body.vendorId,
        messageId: body.messageId,
        data:
          body.data === undefined || typeof body.data === 'string' ? body.data : JSON.stringify(body.data),
      }) satisfies v16.DataTransferRequest,
    }),
    'ocpp2.0.1': (body) => ({
      action: 'DataTransfer',
      payload: compact({ vendorId: body.vendorId, messageId: body.messageId, data: body.data }),
    }),
  },
});

export const STATION_COMMANDS = [reset, changeAvailability, triggerMessage, dataTransfer];
