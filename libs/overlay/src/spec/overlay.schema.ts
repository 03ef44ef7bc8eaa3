/* JSON Schema (draft 2020-12) of OverlaySpec. Kept as data so the service can publish it
 * (OpenAPI, editor) and so validation errors carry JSON-pointer paths. */
const nonEmptyString = { type: 'string', minLength: 1, maxLength: 256 } as const;
const fieldName = { type: 'string', minLength: 1, maxLength: 256 } as const;

const operation = (type: string, properties: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  properties: { type: { const: type }, ...properties },
  required: ['type', ...required],
  additionalProperties: false,
});

export const OVERLAY_SPEC_SCHEMA_ID = 'https://lssm.dev/schemas/overlay-spec.json';

export const overlaySpecSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: OVERLAY_SPEC_SCHEMA_ID,
  title: 'OverlaySpec',
  type: 'object',
  properties: {
    overlayId: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' },
    version: { type: 'integer', minimum: 1 },
    tenantId: nonEmptyString,
    capability: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' },
    scope: {
      type: 'object',
      properties: { role: nonEmptyString, userId: nonEmptyString, device: nonEmptyString },
      additionalProperties: false,
    },
    operations: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: {
        type: 'object',
        discriminator: { propertyName: 'type' },
        properties: {
          type: {
            enum: ['hideField', 'showField', 'renameLabel', 'reorderFields', 'setDefault', 'setReadOnly'],
          },
        },
        required: ['type'],
        oneOf: [
          operation('hideField', { field: fieldName }, ['field']),
          operation('showField', { field: fieldName }, ['field']),
          operation('renameLabel', { field: fieldName, label: { type: 'string', maxLength: 1000 } }, [
            'field',
            'label',
          ]),
          operation(
            'reorderFields',
            { fields: { type: 'array', minItems: 1, maxItems: 1000, uniqueItems: true, items: fieldName } },
            ['fields'],
          ),
          operation('setDefault', { field: fieldName, value: {} }, ['field', 'value']),
          operation('setReadOnly', { field: fieldName, readOnly: { type: 'boolean' } }, [
            'field',
            'readOnly',
          ]),
        ],
      },
    },
    metadata: { type: 'object' },
  },
  required: ['overlayId', 'version', 'tenantId', 'capability', 'scope', 'operations'],
  additionalProperties: false,
} as const;
