/**
 * Builds a valid payload from an OCA JSON schema, so the round-trip and interop tests can send every
 * message of every version without hand-written fixtures.
 *
 * - minimal (default): required properties only, first enum value, the shortest string allowed,
 *   integers and numbers at their minimum (or 0), arrays at their `minItems`.
 * - full: every property as well, strings at their `maxLength`, numbers at their maximum (or a
 *   decimal that exercises `multipleOf`), at least one item in every array.
 *
 * `customData` (the 2.x vendor extension point) is always left out.
 */

/** The subset of JSON Schema (draft 06) the OCA schemas use. */
interface Schema {
  readonly $ref?: string;
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly multipleOf?: number;
  readonly format?: string;
  readonly definitions?: Readonly<Record<string, Schema>>;
}

export interface SampleOptions {
  /** Every optional property too, strings at their longest, every array non-empty. */
  readonly full?: boolean;
}

/** A fixed timestamp keeps samples deterministic (and comparable with `deepEqual` after a round trip). */
export const SAMPLE_TIMESTAMP = '2025-01-02T03:04:05.678Z';
const SAMPLE_URI = 'https://example.com/ocpp';
/** Optional properties below this depth are left out even in full mode (guards recursive definitions). */
const MAX_FULL_DEPTH = 12;
const REF_PREFIX = '#/definitions/';

/**
 * A minimal (or, with `{ full: true }`, a complete) valid value for `schema`.
 * @example sampleFor(v16.BootNotificationRequest) // { chargePointModel: 'chargePointModel', chargePointVendor: 'chargePointVendor' }
 */
export function sampleFor(schema: object, options: SampleOptions = {}): unknown {
  const root = schema as Schema;
  return new SampleBuilder(root.definitions ?? {}, options.full ?? false).build(root, 'payload', 0);
}

class SampleBuilder {
  readonly #definitions: Readonly<Record<string, Schema>>;
  readonly #full: boolean;

  constructor(definitions: Readonly<Record<string, Schema>>, full: boolean) {
    this.#definitions = definitions;
    this.#full = full;
  }

  build(schema: Schema, name: string, depth: number): unknown {
    if (schema.$ref !== undefined) return this.build(this.#resolve(schema.$ref), name, depth);
    if (schema.enum !== undefined && schema.enum.length > 0) return schema.enum[0];
    switch (schema.type) {
      case 'string':
        return this.#string(schema, name);
      case 'integer':
      case 'number':
        return this.#number(schema);
      case 'boolean':
        return this.#full;
      case 'array':
        return this.#array(schema, name, depth);
      default:
        // `object`, or a node that only lists properties.
        return this.#object(schema, depth);
    }
  }

  #resolve(ref: string): Schema {
    const target = ref.startsWith(REF_PREFIX) ? this.#definitions[ref.slice(REF_PREFIX.length)] : undefined;
    if (!target) throw new Error(`sampleFor: cannot resolve ${ref}`);
    return target;
  }

  #object(schema: Schema, depth: number): Record<string, unknown> {
    const required = new Set(schema.required ?? []);
    const value: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      if (key === 'customData') continue;
      if (!required.has(key) && !(this.#full && depth < MAX_FULL_DEPTH)) continue;
      value[key] = this.build(property, key, depth + 1);
    }
    return value;
  }

  #array(schema: Schema, name: string, depth: number): unknown[] {
    const wanted = Math.max(schema.minItems ?? 0, this.#full ? 1 : 0);
    const count = Math.min(wanted, schema.maxItems ?? wanted);
    const items = schema.items ?? {};
    return Array.from({ length: count }, () => this.build(items, name, depth + 1));
  }

  #string(schema: Schema, name: string): string {
    const min = schema.minLength ?? 1;
    const max = schema.maxLength ?? Number.POSITIVE_INFINITY;
    if (schema.format === 'date-time') return SAMPLE_TIMESTAMP;
    if (schema.format === 'uri' && SAMPLE_URI.length <= max) return SAMPLE_URI;
    // Readable values: the property name, cut or repeated to the length wanted.
    const length = this.#full && Number.isFinite(max) ? max : Math.min(Math.max(name.length, min), max);
    return name.repeat(Math.ceil(length / name.length)).slice(0, length);
  }

  #number(schema: Schema): number {
    const { minimum, maximum, multipleOf } = schema;
    let value: number;
    if (this.#full) {
      // 16.7 A with multipleOf 0.1: a decimal whose binary division is not exact (16.7 / 0.1 = 166.99999999999997).
      value = maximum ?? (multipleOf !== undefined ? roundTo(167 * multipleOf) : 12);
    } else {
      value = minimum ?? (maximum !== undefined && maximum < 0 ? maximum : 0);
    }
    if (minimum !== undefined && value < minimum) value = minimum;
    if (maximum !== undefined && value > maximum) value = maximum;
    if (schema.type === 'integer') value = Math.trunc(value);
    return value;
  }
}

/** Drops binary noise (167 * 0.1 = 16.700000000000003) so the value is the decimal a person would send. */
function roundTo(value: number): number {
  return Number(value.toPrecision(12));
}

/** Every `<Action>Request` / `<Action>Response` schema of a typed-ocpp schema module, by action. */
export function schemasByAction(
  module: Readonly<Record<string, object>>,
  actions: readonly string[],
): Map<string, { request: object; response: object }> {
  const byAction = new Map<string, { request: object; response: object }>();
  for (const action of actions) {
    const request = module[`${action}Request`];
    const response = module[`${action}Response`];
    if (!request || !response) throw new Error(`no schemas for ${action}`);
    byAction.set(action, { request, response });
  }
  return byAction;
}
