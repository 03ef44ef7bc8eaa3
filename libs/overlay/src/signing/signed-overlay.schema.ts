/* Shape of the signed envelope (not of the spec inside, which overlay.schema.ts covers).
 * Separate so a service can validate a POST /verify body before doing any crypto. */
export const signedOverlaySchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://lssm.dev/schemas/signed-overlay.json',
  title: 'SignedOverlay',
  type: 'object',
  properties: {
    spec: { type: 'object' },
    signature: {
      type: 'object',
      properties: {
        keyId: { type: 'string', minLength: 1, maxLength: 256 },
        algorithm: { type: 'string', minLength: 1 },
        signedAt: { type: 'string', format: 'date-time' },
        value: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9_-]+$' },
      },
      required: ['keyId', 'algorithm', 'signedAt', 'value'],
      additionalProperties: false,
    },
  },
  required: ['spec', 'signature'],
  additionalProperties: false,
} as const;
