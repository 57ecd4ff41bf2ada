/**
 * /api/v1/transactions: charging sessions of all stations, with their meter values and energy, and
 * a CSV export of the meter values.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { MeterValueRow, TransactionWithMeterValues } from '../../db/index.js';
import { ApiError } from '../errors.js';
import { camelCaseKeys, errorResponses, page, paginationQuery } from '../schemas.js';
import type { ApiDeps } from '../server.js';

const ENERGY_REGISTER = 'Energy.Active.Import.Register';

const idParams = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1, description: 'CSMS transaction id' } },
  required: ['id'],
} as const;

interface ListQuery {
  station?: string;
  token?: string;
  active?: boolean;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

/**
 * Energy in Wh: the stored figure (1.6 meterStop - meterStart, 2.0.1 kept current), else the span
 * of the energy register samples, converted from kWh when the station reported kWh.
 */
export function energyOf(transaction: TransactionWithMeterValues): number | null {
  if (transaction.energy_wh !== null) return transaction.energy_wh;
  const register = transaction.meterValues
    .filter(
      (s) => s.measurand === ENERGY_REGISTER && s.value !== null && (s.phase === null || s.phase === ''),
    )
    .map((s) => (s.unit === 'kWh' ? (s.value as number) * 1000 : (s.value as number)));
  if (register.length < 2) return null;
  return Math.max(...register) - Math.min(...register);
}

const CSV_COLUMNS = [
  'sampled_at',
  'measurand',
  'phase',
  'location',
  'context',
  'unit',
  'value',
  'evse_id',
  'connector_id',
] as const satisfies readonly (keyof MeterValueRow)[];

/** RFC 4180: quote a field when it holds a comma, quote or line break; double the quotes inside. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function meterValuesCsv(rows: readonly MeterValueRow[]): string {
  const lines = [
    CSV_COLUMNS.join(','),
    ...rows.map((row) => CSV_COLUMNS.map((c) => csvField(row[c])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

export const transactionRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  const { stores } = deps;

  async function requireTransaction(id: number): Promise<TransactionWithMeterValues> {
    const transaction = await stores.transactions.getWithMeterValues(id);
    if (!transaction) throw new ApiError('TRANSACTION_NOT_FOUND', `No transaction ${id}`);
    return transaction;
  }

  app.get<{ Querystring: ListQuery }>(
    '/transactions',
    {
      schema: {
        tags: ['transactions'],
        summary: 'List transactions, newest start first',
        querystring: {
          type: 'object',
          properties: {
            station: { type: 'string', description: 'Station identity' },
            token: { type: 'string', description: 'Id token that started it' },
            active: { type: 'boolean', description: 'true = running, false = ended' },
            from: { type: 'string', format: 'date-time', description: 'Started at or after' },
            to: { type: 'string', format: 'date-time', description: 'Started before' },
            ...paginationQuery,
          },
          additionalProperties: false,
        },
        response: { 200: page('Transaction'), ...errorResponses(400) },
      },
    },
    async (request) => {
      const { station, token, active, from, to, limit, offset } = request.query;
      const result = await stores.transactions.list({
        limit,
        offset,
        ...(station !== undefined && { stationIdentity: station }),
        ...(token !== undefined && { idToken: token }),
        ...(active !== undefined && { active }),
        ...(from !== undefined && { from }),
        ...(to !== undefined && { to }),
      });
      return { ...result, items: result.items.map(camelCaseKeys) };
    },
  );

  app.get<{ Params: { id: number } }>(
    '/transactions/:id',
    {
      schema: {
        tags: ['transactions'],
        summary: 'A transaction with its meter values, energy and (2.0.1) events',
        params: idParams,
        response: {
          200: {
            type: 'object',
            description: 'The transaction, its energy, meter values and 2.0.1 events',
            properties: {
              transaction: { $ref: 'Transaction#' },
              energyWh: {
                type: ['number', 'null'],
                description: 'Energy delivered so far or in total, Wh (null when not known)',
              },
              meterValues: { type: 'array', items: { $ref: 'MeterValue#' } },
              events: { type: 'array', items: { $ref: 'TransactionEvent#' } },
            },
            required: ['transaction', 'energyWh', 'meterValues', 'events'],
          },
          ...errorResponses(400, 404),
        },
      },
    },
    async (request) => {
      const { meterValues, ...transaction } = await requireTransaction(request.params.id);
      const events = await stores.transactions.listEvents(transaction.id);
      return {
        transaction: camelCaseKeys(transaction),
        energyWh: energyOf({ ...transaction, meterValues }),
        meterValues: meterValues.map(camelCaseKeys),
        events: events.map(camelCaseKeys),
      };
    },
  );

  app.get<{ Params: { id: number } }>(
    '/transactions/:id/meter-values.csv',
    {
      schema: {
        tags: ['transactions'],
        summary: "A transaction's meter values as CSV",
        params: idParams,
        response: {
          200: {
            description: `CSV (RFC 4180) with the columns ${CSV_COLUMNS.join(', ')}`,
            content: { 'text/csv': { schema: { type: 'string' } } },
          },
          ...errorResponses(400, 404),
        },
      },
    },
    async (request, reply) => {
      const transaction = await requireTransaction(request.params.id);
      reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="transaction-${transaction.id}-meter-values.csv"`,
        );
      return meterValuesCsv(transaction.meterValues);
    },
  );
};
