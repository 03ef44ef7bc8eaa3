import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { MikroORM, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { loadConfig } from '../config/load-config.js';
import { openDatabaseUrl } from '../database/database-url.js';
import { runMigrations } from '../database/run-migrations.js';
import { ApiKeyEntity } from '../tenancy/api-key.entity.js';
import { isScope, type Scope } from '../tenancy/scopes.js';
import { TenancyService } from '../tenancy/tenancy.service.js';
import { TenantEntity } from '../tenancy/tenant.entity.js';

const USAGE = `Usage:
  npm run cli -- tenants:create <id> [--name <name>]
  npm run cli -- tenants:list
  npm run cli -- keys:create --tenant <id> --scopes ingest,read[,admin]
  npm run cli -- keys:revoke <key-id>`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { tenant: { type: 'string' }, scopes: { type: 'string' }, name: { type: 'string' } },
  });
  const [command, arg] = positionals;
  if (!command) return fail(USAGE);
  const config = loadConfig();
  const database = await openDatabaseUrl(config, (m) => process.stderr.write(`${m}\n`), 'cli');
  let orm: MikroORM | undefined;
  try {
    if (config.database.autoMigrate) await runMigrations(database.url);
    orm = await MikroORM.init({
      driver: PostgreSqlDriver,
      clientUrl: database.url,
      entities: [TenantEntity, ApiKeyEntity],
    });
    const tenancy = new TenancyService(orm);
    switch (command) {
      case 'tenants:create': {
        if (!arg) return fail(USAGE);
        const tenant = await tenancy.createTenant(arg, values.name ?? arg);
        process.stdout.write(`created tenant ${tenant.id}\n`);
        return 0;
      }
      case 'tenants:list':
        for (const t of await tenancy.listTenants()) process.stdout.write(`${t.id}\t${t.name}\n`);
        return 0;
      case 'keys:create': {
        const scopes = (values.scopes ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        if (!values.tenant || scopes.length === 0 || !scopes.every(isScope)) return fail(USAGE);
        const { id, key } = await tenancy.createApiKey(values.tenant, scopes as Scope[]);
        process.stdout.write(
          `key id ${id} (tenant ${values.tenant}, scopes ${scopes.join(',')}); the key is shown once:\n${key}\n`,
        );
        return 0;
      }
      case 'keys:revoke':
        if (!arg) return fail(USAGE);
        return (await tenancy.revokeApiKey(arg)) ? 0 : fail(`no API key ${arg}`);
      default:
        return fail(USAGE);
    }
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  } finally {
    await orm?.close(true);
    await database.release();
  }
}

function fail(message: string): number {
  process.stderr.write(`${message}\n`);
  return 1;
}

process.exitCode = await main();
