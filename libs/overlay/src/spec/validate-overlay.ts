import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { overlaySpecSchema } from './overlay.schema.js';

export interface OverlayValidationError {
  /** JSON pointer of the offending value ("/operations/1/field"); "/" for the document. */
  readonly path: string;
  /** The JSON Schema keyword that failed (required, type, const, ...). */
  readonly code: string;
  readonly message: string;
}

export interface OverlayValidationResult {
  readonly valid: boolean;
  readonly errors: readonly OverlayValidationError[];
}

// Compiled lazily: importing the package (e.g. only for canonicalize) should not pay for Ajv codegen.
let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, discriminator: true });
    compiled = ajv.compile(overlaySpecSchema);
  }
  return compiled;
}

function toError(error: ErrorObject): OverlayValidationError {
  let path = error.instancePath;
  // Point at the missing/extra property itself rather than its parent object.
  if (error.keyword === 'required') path += `/${escapePointer(String(error.params.missingProperty))}`;
  if (error.keyword === 'additionalProperties')
    path += `/${escapePointer(String(error.params.additionalProperty))}`;
  let message = error.keyword === 'additionalProperties' ? 'is not allowed' : (error.message ?? 'is invalid');
  if (error.keyword === 'enum') message += `: ${(error.params.allowedValues as unknown[]).join(', ')}`;
  return { path: path === '' ? '/' : path, code: error.keyword, message };
}

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function validateOverlay(spec: unknown): OverlayValidationResult {
  const validate = validator();
  if (validate(spec)) return { valid: true, errors: [] };
  const seen = new Set<string>();
  const errors: OverlayValidationError[] = [];
  for (const error of validate.errors ?? []) {
    const mapped = toError(error);
    const key = `${mapped.path}\u0000${mapped.code}\u0000${mapped.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      errors.push(mapped);
    }
  }
  return { valid: false, errors };
}
