/**
 * The station's own authorization data: its cache (ClearCache, 1.6 §5.4, 2.0.1 C11) and its local
 * list (SendLocalList, 1.6 §5.15, 2.0.1 D01).
 */
import type * as v16 from 'ocppkit/v16';
import type * as v201 from 'ocppkit/v201';
import { ID_TOKEN_MAX } from '../schemas.js';
import { compact, defineCommand } from './command.js';

const clearCache = defineCommand<Record<string, never>>({
  name: 'clear-cache',
  summary: "Clear the station's authorization cache (ClearCache)",
  body: { type: 'object', properties: {}, additionalProperties: false },
  build: {
    'ocpp1.6': () => ({ action: 'ClearCache', payload: {} }),
    'ocpp2.0.1': () => ({ action: 'ClearCache', payload: {} }),
  },
});

interface LocalListEntry {
  idToken: string;
  type?: string;
  status?: string;
  expiresAt?: string;
  parentIdToken?: string;
}

interface LocalListBody {
  listVersion: number;
  updateType: 'Full' | 'Differential';
  entries?: LocalListEntry[];
}

const sendLocalList = defineCommand<LocalListBody>({
  name: 'send-local-list',
  summary: "Replace or update the station's local authorization list (SendLocalList)",
  description:
    'An entry without status removes the token from the list (Differential). `type` is for 2.0.1 (default ISO14443).',
  body: {
    type: 'object',
    properties: {
      listVersion: { type: 'integer', minimum: 0 },
      updateType: { type: 'string', enum: ['Full', 'Differential'] },
      entries: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            idToken: { type: 'string', minLength: 1, maxLength: ID_TOKEN_MAX },
            type: { type: 'string' },
            status: { type: 'string', description: "An authorization status of the station's version" },
            expiresAt: { type: 'string', format: 'date-time' },
            parentIdToken: { type: 'string', minLength: 1, maxLength: ID_TOKEN_MAX },
          },
          required: ['idToken'],
          additionalProperties: false,
        },
      },
    },
    required: ['listVersion', 'updateType'],
    additionalProperties: false,
  },
  build: {
    'ocpp1.6': (body) => ({
      action: 'SendLocalList',
      payload: compact({
        listVersion: body.listVersion,
        updateType: body.updateType,
        localAuthorizationList: body.entries?.map((entry) =>
          compact({
            idTag: entry.idToken,
            idTagInfo: entry.status
              ? compact({
                  status: entry.status,
                  expiryDate: entry.expiresAt,
                  parentIdTag: entry.parentIdToken,
                })
              : undefined,
          }),
        ),
      }) as v16.SendLocalListRequest,
    }),
    'ocpp2.0.1': (body) => ({
      action: 'SendLocalList',
      payload: compact({
        versionNumber: body.listVersion,
        updateType: body.updateType,
        localAuthorizationList: body.entries?.map((entry) => {
          const type = entry.type ?? 'ISO14443';
          return compact({
            idToken: { idToken: entry.idToken, type },
            idTokenInfo: entry.status
              ? compact({
                  status: entry.status,
                  cacheExpiryDateTime: entry.expiresAt,
                  groupIdToken: entry.parentIdToken ? { idToken: entry.parentIdToken, type } : undefined,
                })
              : undefined,
          });
        }),
      }) as v201.SendLocalListRequest,
    }),
  },
});

export const AUTHORIZATION_COMMANDS = [clearCache, sendLocalList];
