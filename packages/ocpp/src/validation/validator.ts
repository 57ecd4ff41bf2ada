/**
 * Validates payloads against the official schemas with ajv. Each schema is compiled once, on first
 * use, and kept; a failed check maps to a CALLERROR failure kind through `KEYWORD_FAILURES`.
 */
import { Ajv, type ErrorObject, type FormatDefinition, type ValidateFunction } from 'ajv';
import * as formatsModule from 'ajv-formats';
import type { FailureKind } from '../errors/call-error-codes.js';
import type { OcppProtocol } from '../protocols.js';
import { withFastDateTime } from './date-time.js';
import { type SchemaModule, schemasOf } from './schemas.js';

type FormatsPlugin = (ajv: Ajv) => Ajv;
const addFormats = ((formatsModule as unknown as { default: { default?: FormatsPlugin } & FormatsPlugin })
  .default.default ?? (formatsModule as unknown as { default: FormatsPlugin }).default) as FormatsPlugin;

/**
 * ajv keyword → failure kind (2.0.1 Part 4 §4.3 table; 1.6 OCPP-J §4.2.3 has the same codes with its
 * own spelling). Array cardinality (minItems/maxItems) is an occurrence constraint in the OCPP
 * datatypes ("1..*"), so it maps there rather than to PropertyConstraintViolation.
 */
const KEYWORD_FAILURES: Readonly<Record<string, FailureKind>> = {
  required: 'missing-required',
  dependencies: 'missing-required',
  dependentRequired: 'missing-required',
  type: 'wrong-type',
  enum: 'bad-value',
  const: 'bad-value',
  format: 'bad-value',
  pattern: 'bad-value',
  minLength: 'bad-value',
  maxLength: 'bad-value',
  minimum: 'bad-value',
  maximum: 'bad-value',
  exclusiveMinimum: 'bad-value',
  exclusiveMaximum: 'bad-value',
  multipleOf: 'bad-value',
  uniqueItems: 'bad-value',
  minItems: 'occurrence',
  maxItems: 'occurrence',
  minProperties: 'occurrence',
  maxProperties: 'occurrence',
  additionalProperties: 'extra-property',
};

export interface ValidationFailure {
  readonly failure: FailureKind;
  /** JSON pointer of the offending value, e.g. `/idTagInfo/status`. */
  readonly path: string;
  readonly description: string;
}

export type Direction = 'request' | 'response';

/** Compiled validators for one OCPP version. */
export class Validator {
  readonly protocol: OcppProtocol;
  readonly #schemas: SchemaModule;
  readonly #ajv: Ajv;
  readonly #byAction = new Map<string, ActionSchemas>();

  constructor(protocol: OcppProtocol, schemas: SchemaModule) {
    this.protocol = protocol;
    this.#schemas = schemas;
    // strict: false because the OCA schemas put `additionalProperties` on string enums.
    // multipleOfPrecision: without it 6.3 fails the 1.6 `multipleOf: 0.1` of charging limits (float division).
    this.#ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true, multipleOfPrecision: 9 });
    addFormats(this.#ajv);
    // Same verdicts, faster for the usual timestamps (see date-time.ts).
    const dateTime = this.#ajv.formats['date-time'] as FormatDefinition<string> | undefined;
    if (typeof dateTime?.validate === 'function') {
      const format: FormatDefinition<string> = {
        type: 'string',
        validate: withFastDateTime(dateTime.validate as (value: string) => boolean),
      };
      if (dateTime.compare) format.compare = dateTime.compare;
      this.#ajv.addFormat('date-time', format);
    }
  }

  /** True when the version defines this action (both a request and a response schema exist). */
  hasAction(action: string): boolean {
    const schemas = this.#schemasOf(action);
    return schemas.request !== undefined && schemas.response !== undefined;
  }

  /** True when the version has a request schema for this action (2.1 SEND messages have no response). */
  hasRequest(action: string): boolean {
    return this.#schemasOf(action).request !== undefined;
  }

  hasResponse(action: string): boolean {
    return this.#schemasOf(action).response !== undefined;
  }

  /** Returns null when the payload is valid, otherwise the first failure found. */
  validate(action: string, direction: Direction, payload: unknown): ValidationFailure | null {
    const validate = this.#validatorFor(action, direction);
    if (validate(payload)) return null;
    return describeFailure(validate.errors?.[0]);
  }

  /** Compiles every schema now instead of on first use (servers call this at start). */
  compileAll(): void {
    for (const name of Object.keys(this.#schemas)) {
      const action = name.replace(/(Request|Response)$/, '');
      const schemas = this.#schemasOf(action);
      if (schemas.request) this.#validatorFor(action, 'request');
      if (schemas.response) this.#validatorFor(action, 'response');
    }
  }

  /**
   * The schemas of an action, looked up once per action (this runs for every message). 2.1 SEND-only
   * messages have no Request/Response pair: their schema is named after the action
   * (NotifyPeriodicEventStream; 2.1 Part 4 §4.1.3, message type 6).
   */
  #schemasOf(action: string): ActionSchemas {
    let schemas = this.#byAction.get(action);
    if (!schemas) {
      const own = (name: string) => (Object.hasOwn(this.#schemas, name) ? this.#schemas[name] : undefined);
      const response = own(`${action}Response`);
      const sendOnly =
        !/(Request|Response)$/.test(action) && response === undefined ? own(action) : undefined;
      schemas = { request: own(`${action}Request`) ?? sendOnly, response, compiled: {} };
      // Unknown names are not cached: a peer could otherwise grow the map without bound.
      if (schemas.request || schemas.response) this.#byAction.set(action, schemas);
    }
    return schemas;
  }

  #validatorFor(action: string, direction: Direction): ValidateFunction {
    const schemas = this.#schemasOf(action);
    let validate = schemas.compiled[direction];
    if (!validate) {
      const schema = schemas[direction];
      if (!schema) throw new Error(`No ${direction} schema for ${action} in ${this.protocol}`);
      validate = this.#ajv.compile(schema);
      schemas.compiled[direction] = validate;
    }
    return validate;
  }
}

interface ActionSchemas {
  readonly request: object | undefined;
  readonly response: object | undefined;
  readonly compiled: { request?: ValidateFunction; response?: ValidateFunction };
}

function describeFailure(error: ErrorObject | undefined): ValidationFailure {
  if (!error) return { failure: 'malformed-payload', path: '', description: 'Payload failed validation' };
  const failure = KEYWORD_FAILURES[error.keyword] ?? 'malformed-payload';
  let path = error.instancePath;
  let detail = error.message ?? 'is invalid';
  if (error.keyword === 'required') {
    path = `${path}/${String((error.params as { missingProperty?: string }).missingProperty)}`;
    detail = 'is required';
  } else if (error.keyword === 'additionalProperties') {
    path = `${path}/${String((error.params as { additionalProperty?: string }).additionalProperty)}`;
    detail = 'is not allowed';
  } else if (error.keyword === 'enum') {
    detail = `must be one of ${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)}`;
  }
  return { failure, path, description: `${path || '(payload)'} ${detail}` };
}

const validators = new Map<OcppProtocol, Validator>();

/** The shared validator of a version; schemas compile lazily, each once per process. */
export function getValidator(protocol: OcppProtocol): Validator {
  let validator = validators.get(protocol);
  if (!validator) {
    validator = new Validator(protocol, schemasOf(protocol));
    validators.set(protocol, validator);
  }
  return validator;
}
