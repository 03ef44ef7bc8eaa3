import type { ErrorObject } from 'ajv/dist/2020.js';
import type { SignalValidationError, SignalValidationErrorCode } from '../contracts/signal-schema.js';
import { appendPathKey, pointerToPath } from './attribute-path.format.js';

const CODES: Record<string, SignalValidationErrorCode> = {
  required: 'required',
  type: 'type',
  minLength: 'min_length',
  maxLength: 'max_length',
  pattern: 'pattern',
  format: 'format',
  enum: 'enum',
  minimum: 'minimum',
  maximum: 'maximum',
  minItems: 'min_items',
  maxItems: 'max_items',
  additionalProperties: 'additional_property',
  maxProperties: 'max_properties',
};

/** Runs only on failure, so it may allocate freely. */
export function mapAjvErrors(
  errors: readonly ErrorObject[],
  data: unknown,
  schemaLabel: string,
): SignalValidationError[] {
  return errors.map((error) => mapAjvError(error, data, schemaLabel));
}

function mapAjvError(error: ErrorObject, data: unknown, schemaLabel: string): SignalValidationError {
  const path = pointerToPath(error.instancePath, data);
  const code = CODES[error.keyword] ?? 'invalid';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: appendPathKey(path, String(params.missingProperty)), code, message: 'is required' };
    case 'additionalProperties':
      return {
        path: appendPathKey(path, String(params.additionalProperty)),
        code,
        message: `is not an attribute of ${schemaLabel}, which rejects additional attributes`,
      };
    case 'enum':
      return {
        path,
        code,
        message: `must be one of: ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`,
      };
    default:
      return { path, code, message: error.message ?? `failed ${error.keyword}` };
  }
}
