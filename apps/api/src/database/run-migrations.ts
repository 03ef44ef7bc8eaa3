import type { MigrationObject } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { migrationsList } from '../../../../migrations/index.js';

/**
 * Applies pending migrations, the service's own then the enabled add-ons' (addOnMigrations) in
 * order; returns the names it ran.
 */
export async function runMigrations(
  databaseUrl: string,
  addOnMigrations: readonly MigrationObject[] = [],
): Promise<string[]> {
  const orm = await MikroORM.init({
    clientUrl: databaseUrl,
    entities: [],
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    migrations: {
      migrationsList: [...migrationsList, ...addOnMigrations],
      snapshot: false,
      transactional: true,
      allOrNothing: true,
    },
  });
  try {
    const applied = await orm.migrator.up();
    return applied.map((m) => m.name);
  } finally {
    await orm.close(true);
  }
}
