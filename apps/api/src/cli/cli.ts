import 'reflect-metadata';
import { MikroORM, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { EX_CONFIG, loadConfigOrExitCode } from '../config/config-or-exit-code.js';
import { openDatabaseUrl } from '../database/database-url.js';
import { addOnMigrations } from '../config/enabled-add-ons.js';
import { runMigrations } from '../database/run-migrations.js';
import { ApiKeyEntity } from '../tenancy/api-key.entity.js';
import { TenancyService } from '../tenancy/tenancy.service.js';
import { TenantEntity } from '../tenancy/tenant.entity.js';
import { parseTenancyCliArguments, type TenancyCliRequest } from './tenancy-cli.arguments.js';

// Exit codes: 0 done, 1 refused by the data (unknown tenant or key, tenant exists), 2 wrong
// arguments, 78 invalid configuration (as for the service).
async function main(): Promise<number> {
  const request = parseTenancyCliArguments(process.argv.slice(2));
  if (request.kind === 'help') {
    process.stdout.write(`${request.text}\n`);
    return 0;
  }
  if (request.kind === 'refuse') {
    process.stderr.write(`error: ${request.reason}\n\n${request.usage}\n`);
    return 2;
  }
  const config = loadConfigOrExitCode();
  if (config === EX_CONFIG) return EX_CONFIG;
  const database = await openDatabaseUrl(config, (m) => process.stderr.write(`${m}\n`), 'cli');
  let orm: MikroORM | undefined;
  try {
    if (config.database.autoMigrate) await runMigrations(database.url, addOnMigrations(config));
    orm = await MikroORM.init({
      driver: PostgreSqlDriver,
      clientUrl: database.url,
      entities: [TenantEntity, ApiKeyEntity],
    });
    return await execute(new TenancyService(orm), request);
  } catch (error) {
    // Unknown tenant, existing tenant, unreachable database: the reason, not a stack trace.
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await orm?.close(true);
    await database.release();
  }
}

async function execute(
  tenancy: TenancyService,
  request: Exclude<TenancyCliRequest, { kind: 'help' | 'refuse' }>,
): Promise<number> {
  switch (request.kind) {
    case 'tenants:create': {
      const tenant = await tenancy.createTenant(request.id, request.name);
      process.stdout.write(`created tenant ${tenant.id}\n`);
      return 0;
    }
    case 'tenants:list':
      // Page by page, so the list is complete however many tenants there are.
      for (let after: string | undefined; ;) {
        const page = await tenancy.listTenants({ limit: 1000, after });
        for (const t of page) process.stdout.write(`${t.id}\t${t.name}\n`);
        if (page.length < 1000) return 0;
        after = page[page.length - 1].id;
      }
    case 'keys:create': {
      const { id, key } = await tenancy.createApiKey(request.tenant, {
        type: 'secret',
        scopes: request.scopes,
      });
      process.stdout.write(
        `key id ${id} (tenant ${request.tenant}, scopes ${request.scopes.join(',')}); the key is shown once:\n${key}\n`,
      );
      return 0;
    }
    case 'keys:revoke':
      if (await tenancy.revokeApiKey(request.keyId)) {
        process.stdout.write(`revoked key ${request.keyId}\n`);
        return 0;
      }
      process.stderr.write(`error: no API key ${request.keyId}\n`);
      return 1;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`cli failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
