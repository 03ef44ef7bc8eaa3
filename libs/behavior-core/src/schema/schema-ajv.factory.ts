import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: under nodenext the default import is module.exports,
// whose `.default` is the plugin itself both here and under swc's CJS interop.
const addFormats = addFormatsModule.default;

/**
 * One Ajv instance per registry, draft 2020-12. `ownProperties` makes
 * `required` ignore inherited members, so an attribute named like an
 * Object.prototype method (`toString`) cannot be satisfied by the prototype.
 */
export function createSchemaAjv(options: { allErrors?: boolean } = {}): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: options.allErrors ?? true, strict: true, ownProperties: true });
  addFormats(ajv, ['email', 'uri', 'uuid', 'date-time']);
  return ajv;
}
