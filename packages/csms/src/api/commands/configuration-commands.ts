/**
 * Reading and changing station settings: OCPP 1.6 configuration keys (GetConfiguration,
 * ChangeConfiguration, §5.8 / §5.3) and OCPP 2.0.1 device-model variables (GetVariables,
 * SetVariables, B06 / B05). What the station returns is stored, so the station page shows it.
 */
import type * as v16 from 'ocppkit/v16';
import type * as v201 from 'ocppkit/v201';
import type { ComponentRef, VariableRef } from '../../db/index.js';
import { compact, defineCommand } from './command.js';

const component = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1 },
    instance: { type: 'string' },
    evse: {
      type: 'object',
      properties: { id: { type: 'integer', minimum: 1 }, connectorId: { type: 'integer', minimum: 1 } },
      required: ['id'],
      additionalProperties: false,
    },
  },
  required: ['name'],
  additionalProperties: false,
} as const;

const variable = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1 }, instance: { type: 'string' } },
  required: ['name'],
  additionalProperties: false,
} as const;

const attributeType = {
  type: 'string',
  enum: ['Actual', 'Target', 'MinSet', 'MaxSet'],
  description: 'Default (when omitted): Actual',
} as const;

const getConfiguration = defineCommand<{ keys?: string[] }>({
  name: 'get-configuration',
  summary: 'Read configuration keys (1.6 GetConfiguration); stored for the station page',
  description: 'Without keys the station reports all of them.',
  otherwise: 'get-variables',
  body: {
    type: 'object',
    properties: { keys: { type: 'array', items: { type: 'string', minLength: 1 } } },
    additionalProperties: false,
  },
  build: {
    'ocpp1.6': (body) => ({
      action: 'GetConfiguration',
      payload: compact({ key: body.keys }) satisfies v16.GetConfigurationRequest,
    }),
  },
  async afterResponse(_call, response, context) {
    const keys = (response as v16.GetConfigurationResponse).configurationKey ?? [];
    await context.deps.stores.configuration.upsertMany(context.identity, keys);
  },
});

const changeConfiguration = defineCommand<{ key: string; value: string }>({
  name: 'change-configuration',
  summary: 'Change a configuration key (1.6 ChangeConfiguration); stored when Accepted or RebootRequired',
  otherwise: 'set-variables',
  body: {
    type: 'object',
    properties: { key: { type: 'string', minLength: 1 }, value: { type: 'string' } },
    required: ['key', 'value'],
    additionalProperties: false,
  },
  build: {
    'ocpp1.6': (body) => ({
      action: 'ChangeConfiguration',
      payload: { key: body.key, value: body.value } satisfies v16.ChangeConfigurationRequest,
    }),
  },
  async afterResponse(call, response, context) {
    const { status } = response as v16.ChangeConfigurationResponse;
    if (status === 'Accepted' || status === 'RebootRequired') {
      const { key, value } = call.payload as v16.ChangeConfigurationRequest;
      await context.deps.stores.configuration.setValue(context.identity, key, value);
    }
  },
});

interface VariableSelector {
  component: ComponentRef;
  variable: VariableRef;
  attributeType?: string;
}

/** Identifies a variable attribute, to match results to requests (the order of results is not guaranteed). */
function keyOf(entry: VariableSelector): string {
  const { component: c, variable: v } = entry;
  return JSON.stringify([
    c.name,
    c.instance ?? '',
    c.evse?.id ?? 0,
    c.evse?.connectorId ?? 0,
    v.name,
    v.instance ?? '',
    entry.attributeType ?? 'Actual',
  ]);
}

function selectorOf(entry: VariableSelector) {
  return {
    component: compact({
      name: entry.component.name,
      instance: entry.component.instance,
      evse: entry.component.evse,
    }),
    variable: compact({ name: entry.variable.name, instance: entry.variable.instance }),
    ...(entry.attributeType !== undefined && { attributeType: entry.attributeType }),
  };
}

const getVariables = defineCommand<{ variables: VariableSelector[] }>({
  name: 'get-variables',
  summary: 'Read device-model variables (2.0.1 GetVariables); accepted values are stored',
  otherwise: 'get-configuration',
  body: {
    type: 'object',
    properties: {
      variables: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          properties: { component, variable, attributeType },
          required: ['component', 'variable'],
          additionalProperties: false,
        },
      },
    },
    required: ['variables'],
    additionalProperties: false,
  },
  build: {
    'ocpp2.0.1': (body) => ({
      action: 'GetVariables',
      payload: { getVariableData: body.variables.map(selectorOf) } as v201.GetVariablesRequest,
    }),
  },
  async afterResponse(_call, response, context) {
    const results = (response as v201.GetVariablesResponse).getVariableResult;
    const values = results
      .filter((r) => r.attributeStatus === 'Accepted' && r.attributeValue !== undefined)
      .map((r) => ({ ...selectorOf(r), value: r.attributeValue as string }));
    await context.deps.stores.deviceModel.upsertValues(context.identity, values);
  },
});

const setVariables = defineCommand<{ variables: Array<VariableSelector & { value: string }> }>({
  name: 'set-variables',
  summary: 'Change device-model variables (2.0.1 SetVariables); stored when Accepted or RebootRequired',
  otherwise: 'change-configuration',
  body: {
    type: 'object',
    properties: {
      variables: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          properties: { component, variable, attributeType, value: { type: 'string' } },
          required: ['component', 'variable', 'value'],
          additionalProperties: false,
        },
      },
    },
    required: ['variables'],
    additionalProperties: false,
  },
  build: {
    'ocpp2.0.1': (body) => ({
      action: 'SetVariables',
      payload: {
        setVariableData: body.variables.map((entry) => ({
          ...selectorOf(entry),
          attributeValue: entry.value,
        })),
      } as v201.SetVariablesRequest,
    }),
  },
  async afterResponse(call, response, context) {
    const sent = new Map(
      (call.payload as v201.SetVariablesRequest).setVariableData.map((d) => [keyOf(d), d.attributeValue]),
    );
    const values = (response as v201.SetVariablesResponse).setVariableResult
      .filter((r) => r.attributeStatus === 'Accepted' || r.attributeStatus === 'RebootRequired')
      .flatMap((r) => {
        const value = sent.get(keyOf(r));
        return value === undefined ? [] : [{ ...selectorOf(r), value }];
      });
    await context.deps.stores.deviceModel.upsertValues(context.identity, values);
  },
});

export const CONFIGURATION_COMMANDS = [getConfiguration, changeConfiguration, getVariables, setVariables];
