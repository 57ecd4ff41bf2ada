/**
 * The official OCA JSON schemas, taken unchanged from the `typed-ocpp` registry package
 * (one module per version, one export per message: `<Action>Request` / `<Action>Response`).
 */
import * as v16 from 'typed-ocpp/dist/ocpp16/schemas.js';
import * as v201 from 'typed-ocpp/dist/ocpp20/schemas.js';
import * as v21 from 'typed-ocpp/dist/ocpp21/schemas.js';
import type { OcppProtocol } from '../protocols.js';

export type SchemaModule = Readonly<Record<string, object>>;

const SCHEMAS: Record<OcppProtocol, SchemaModule> = {
  'ocpp1.6': v16 as SchemaModule,
  'ocpp2.0.1': v201 as SchemaModule,
  'ocpp2.1': v21 as SchemaModule,
};

export function schemasOf(protocol: OcppProtocol): SchemaModule {
  return SCHEMAS[protocol];
}
