/**
 * What stations sent that the CSMS keeps beside their configuration: the parts of their reports
 * (customer information, display messages, certificate signing requests) and their 2.0.1 variable
 * monitors. Read-only; the OCPP handlers store them as they arrive.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { StationReportKind } from '../../db/index.js';
import { camelCaseKeys, errorResponses, identityParams, page, paginationQuery } from '../schemas.js';
import type { ApiDeps } from '../server.js';
import { requireStation } from './stations.js';

const REPORT_KINDS: readonly StationReportKind[] = [
  'customer_information',
  'display_messages',
  'certificate_signing_request',
];

interface ReportsQuery {
  kind?: StationReportKind;
  requestId?: number;
  limit: number;
  offset: number;
}

interface MonitorsQuery {
  component?: string;
  variable?: string;
}

export const stationRecordRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  const { stores } = deps;

  app.get<{ Params: { id: string }; Querystring: ReportsQuery }>(
    '/stations/:id/reports',
    {
      schema: {
        tags: ['stations'],
        summary: "A station's reports, part by part",
        description:
          'Newest request first, and the parts of one answer in order. Ask for them with ' +
          'POST /stations/{id}/call/CustomerInformation or /call/GetDisplayMessages (2.0.1), whose ' +
          'requestId you choose; a station sends certificate signing requests on its own.',
        params: identityParams,
        querystring: {
          type: 'object',
          properties: {
            kind: { type: 'string', enum: REPORT_KINDS },
            requestId: { type: 'integer', description: 'Only the parts answering this request' },
            ...paginationQuery,
          },
          additionalProperties: false,
        },
        response: { 200: page('StationReport'), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      await requireStation(deps, request.params.id);
      const result = await stores.stationReports.list(request.params.id, request.query);
      return { ...result, items: result.items.map(camelCaseKeys) };
    },
  );

  app.get<{ Params: { id: string }; Querystring: MonitorsQuery }>(
    '/stations/:id/monitors',
    {
      schema: {
        tags: ['stations'],
        summary: "A 2.0.1 station's variable monitors",
        description:
          'As the station last reported them in NotifyMonitoringReport (ask with ' +
          'POST /stations/{id}/call/GetMonitoringReport); ordered by component, EVSE, connector, ' +
          'variable and monitor id.',
        params: identityParams,
        querystring: {
          type: 'object',
          properties: {
            component: { type: 'string', description: 'Only monitors of this component name' },
            variable: { type: 'string', description: 'Only monitors of this variable name' },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: { $ref: 'VariableMonitor#' } } },
            required: ['items'],
          },
          ...errorResponses(400, 404),
        },
      },
    },
    async (request) => {
      await requireStation(deps, request.params.id);
      const { component, variable } = request.query;
      const items = await stores.variableMonitors.list(request.params.id, {
        ...(component !== undefined && { componentName: component }),
        ...(variable !== undefined && { variableName: variable }),
      });
      return { items: items.map(camelCaseKeys) };
    },
  );
};
