import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { signedOverlaySchema } from './signed-overlay.schema.js';

let compiled: ValidateFunction | undefined;

/** True when the value has the envelope shape { spec: {...}, signature: { keyId, algorithm, signedAt, value } }. */
export function isSignedOverlayEnvelope(value: unknown): boolean {
  if (!compiled) {
    const ajv = new Ajv2020({ strict: true });
    // ajv-formats is CommonJS with a self-referencing `default`; `.default` works both from
    // Node's ESM loader and from the CommonJS build the tests use.
    addFormats.default(ajv, ['date-time']);
    compiled = ajv.compile(signedOverlaySchema);
  }
  return compiled(value);
}
