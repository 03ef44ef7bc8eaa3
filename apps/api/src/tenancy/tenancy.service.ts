import { randomUUID } from 'node:crypto';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { FilterQuery, InferEntity } from '@mikro-orm/core';
import { MikroORM, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { ApiKeyEntity } from './api-key.entity.js';
import { generateApiKey, type ApiKeyType } from './api-key-secret.js';
import type { Scope } from '@lssm/nest-common';
import { TenantEntity } from './tenant.entity.js';

export interface TenantView {
  id: string;
  name: string;
  createdAt: Date;
}

export interface ApiKeyView {
  id: string;
  tenantId: string;
  prefix: string;
  scopes: Scope[];
  type: ApiKeyType;
  allowedOrigins: string[] | null;
  allowedSchemas: string[] | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Tenants and their API keys; the plain key exists only in the create response. */
@Injectable()
export class TenancyService {
  constructor(private readonly orm: MikroORM) {}

  async createTenant(id: string, name: string): Promise<TenantView> {
    const em = this.orm.em.fork();
    const tenant = em.create(TenantEntity, { id, name });
    try {
      await em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new ConflictException({ message: `Tenant "${id}" already exists`, code: 'tenant_exists' });
      }
      throw error;
    }
    return { id: tenant.id, name: tenant.name, createdAt: tenant.createdAt };
  }

  async listTenants(page: ListPage = { limit: DEFAULT_LIST_LIMIT }): Promise<TenantView[]> {
    const rows = await this.orm.em
      .fork()
      .find(TenantEntity, page.after === undefined ? {} : { id: { $gt: page.after } }, {
        orderBy: { id: 'asc' },
        limit: page.limit,
      });
    return rows.map((t) => ({ id: t.id, name: t.name, createdAt: t.createdAt }));
  }

  async createApiKey(
    tenantId: string,
    spec: NewApiKey,
  ): Promise<{ id: string; key: string; view: ApiKeyView }> {
    const em = this.orm.em.fork();
    if (!(await em.findOne(TenantEntity, { id: tenantId }))) {
      throw new NotFoundException({ message: `Tenant "${tenantId}" not found`, code: 'tenant_not_found' });
    }
    const { key, prefix, hash } = generateApiKey(spec.type);
    const row = em.create(ApiKeyEntity, {
      id: randomUUID(),
      tenantId,
      keyHash: hash,
      keyPrefix: prefix,
      scopes: [...new Set(spec.scopes)],
      keyType: spec.type,
      allowedOrigins: spec.allowedOrigins ? [...new Set(spec.allowedOrigins)] : null,
      allowedSchemas: spec.allowedSchemas ? [...new Set(spec.allowedSchemas)] : null,
      lastUsedAt: null,
      revokedAt: null,
    });
    await em.flush();
    return { id: row.id, key, view: toView(row) };
  }

  async listApiKeys(tenantId: string, page: ListPage = { limit: DEFAULT_LIST_LIMIT }): Promise<ApiKeyView[]> {
    const em = this.orm.em.fork();
    let where: FilterQuery<InferEntity<typeof ApiKeyEntity>> = { tenantId };
    if (page.after !== undefined) {
      // Keyset on (createdAt, id): keys created in the same instant still page in a stable order.
      const last = isUuid(page.after) ? await em.findOne(ApiKeyEntity, { id: page.after, tenantId }) : null;
      if (!last) return [];
      where = {
        tenantId,
        $or: [{ createdAt: { $gt: last.createdAt } }, { createdAt: last.createdAt, id: { $gt: last.id } }],
      };
    }
    const rows = await em.find(ApiKeyEntity, where, {
      orderBy: { createdAt: 'asc', id: 'asc' },
      limit: page.limit,
    });
    return rows.map(toView);
  }

  /** Returns false when no such key exists; revoking twice keeps the first time. */
  /** Revokes every key of the tenant (tenant deletion: they stop working before its data goes); false when no such tenant. */
  async revokeTenantKeys(tenantId: string): Promise<boolean> {
    const em = this.orm.em.fork();
    if (!(await em.findOne(TenantEntity, { id: tenantId }))) return false;
    await em.nativeUpdate(ApiKeyEntity, { tenantId, revokedAt: null }, { revokedAt: new Date() });
    return true;
  }

  async revokeApiKey(id: string): Promise<boolean> {
    const em = this.orm.em.fork();
    const row = await em.findOne(ApiKeyEntity, { id });
    if (!row) return false;
    row.revokedAt ??= new Date();
    await em.flush();
    return true;
  }
}

/** What a new key is: secret keys carry scopes; publishable keys are ingest-only and origin-bound. */
export interface NewApiKey {
  readonly type: ApiKeyType;
  readonly scopes: readonly Scope[];
  readonly allowedOrigins?: readonly string[];
  readonly allowedSchemas?: readonly string[];
}

/** One page of an admin list: at most `limit` rows after the row with id `after`. */
export interface ListPage {
  readonly limit: number;
  readonly after?: string;
}

const DEFAULT_LIST_LIMIT = 1000;

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

function toView(row: InferEntity<typeof ApiKeyEntity>): ApiKeyView {
  return {
    id: row.id,
    tenantId: row.tenantId,
    prefix: row.keyPrefix,
    scopes: row.scopes as Scope[],
    type: row.keyType as ApiKeyType,
    allowedOrigins: row.allowedOrigins ?? null,
    allowedSchemas: row.allowedSchemas ?? null,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt ?? null,
    revokedAt: row.revokedAt ?? null,
  };
}
