import { defineEntity, p } from '@mikro-orm/core';

export const ApiKeyEntity = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: {
    id: p.uuid().primary(),
    tenantId: p.string(),
    keyHash: p.string().unique(),
    keyPrefix: p.string(),
    scopes: p.array(),
    keyType: p.string().default('secret'),
    allowedOrigins: p.array().nullable(),
    allowedSchemas: p.array().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});
