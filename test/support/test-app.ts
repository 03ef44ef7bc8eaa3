import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { createApp } from '../../apps/api/src/bootstrap/create-app';
import type { AppConfig } from '../../apps/api/src/config/app-config';
import { addOnMigrations } from '../../apps/api/src/config/enabled-add-ons';
import { deepMerge, loadConfig } from '../../apps/api/src/config/load-config';
import { runMigrations } from '../../apps/api/src/database/run-migrations';
import type { BehaviorAddOnDefinition } from '@lssm/behavior-core';
import { createTestDatabase, testRedisUrl, type TestDatabase } from './test-database';

export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef';

export interface TestApp {
  app: NestFastifyApplication;
  baseUrl: string;
  config: AppConfig;
  database: TestDatabase;
  request(
    method: string,
    path: string,
    options?: { body?: unknown; key?: string; headers?: Record<string, string>; raw?: string },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/** Boots the whole service on its own cloned database and a random port. */
export async function startTestApp(
  options: {
    overrides?: unknown;
    withRedis?: boolean;
    database?: TestDatabase;
    logger?: Logger;
    /** The host's add-on list (the app's DEFAULT_ADD_ONS unless given). */
    addOns?: readonly BehaviorAddOnDefinition<any>[];
  } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const base = {
    server: { port: 0, host: '127.0.0.1', logLevel: 'silent' },
    database: { url: database.url, autoMigrate: false, poolSize: 10 },
    admin: { key: TEST_ADMIN_KEY },
    redis: { url: options.withRedis ? testRedisUrl() : null },
  };
  const { addOns } = options;
  const config = loadConfig({ env: {}, overrides: deepMerge(base, options.overrides ?? {}), addOns });
  // The template database holds the service's migrations; an enabled add-on's come on top.
  const migrations = addOnMigrations(config, addOns);
  if (migrations.length > 0) await runMigrations(database.url, migrations);
  const app = await createApp({ config, databaseUrl: database.url, logger: options.logger, addOns });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    app,
    baseUrl,
    config,
    database,
    async request(method, path, { body, key, headers = {}, raw } = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (key) (init.headers as Record<string, string>).authorization = `Bearer ${key}`;
      if (raw !== undefined) init.body = raw;
      else if (body !== undefined) {
        init.body = JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${baseUrl}${path}`, init);
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // non-JSON bodies (metrics, docs) stay text
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async close() {
      await app.close();
      if (!options.database) await database.drop();
    },
  };
}

/** Creates a tenant and a key with the given scopes through the admin API. */
export async function createTenantWithKey(t: TestApp, tenantId: string, scopes: string[]): Promise<string> {
  const tenant = await t.request('POST', '/api/admin/tenants', {
    key: TEST_ADMIN_KEY,
    body: { id: tenantId, name: tenantId },
  });
  if (tenant.status !== 201 && tenant.status !== 409)
    throw new Error(`tenant: ${tenant.status} ${JSON.stringify(tenant.body)}`);
  const key = await t.request('POST', `/api/admin/tenants/${tenantId}/api-keys`, {
    key: TEST_ADMIN_KEY,
    body: { scopes },
  });
  if (key.status !== 201) throw new Error(`key: ${key.status} ${JSON.stringify(key.body)}`);
  return key.body.key;
}
