import {
  ConfigurableModuleBuilder,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { PostgresDialect } from 'kysely';
import { DatabasePool } from './database-pool.js';
import type { DatabaseOptions } from './database.options.js';
import { ormPool } from './orm-pool.adapter.js';

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } = new ConfigurableModuleBuilder<DatabaseOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

class DatabasePoolLifecycle implements OnApplicationShutdown {
  constructor(@Inject(DatabasePool) private readonly db: DatabasePool) {}

  // Runs after the modules that use the pool (they are shut down first), so nothing is cut off.
  async onApplicationShutdown(): Promise<void> {
    await this.db.end();
  }
}

/**
 * The service's one PostgreSQL pool (`DatabasePool`, with its lanes) and MikroORM on top of it:
 * the ORM borrows the pool's background lane, so entities and hand-written SQL share the same
 * connections and limits. Imported once by the host, usually with `isGlobal: true`; the ORM's own
 * module is global, and libs register their entities with `MikroOrmModule.forFeature`.
 */
@Module({})
export class DatabaseModule extends ConfigurableModuleClass {
  static override forRoot(options: DatabaseOptions & { isGlobal?: boolean }): DynamicModule {
    const base = super.forRoot(options);
    // Built here, not in a factory, so the ORM's module and every injector get the same instance.
    const db = new DatabasePool(options);
    return {
      ...base,
      imports: [
        MikroOrmModule.forRoot({
          driver: PostgreSqlDriver,
          // Only named (the ORM requires a database); connections come from the dialect below.
          clientUrl: options.url,
          driverOptions: new PostgresDialect({ pool: ormPool(db.background, db.pool.options) }),
          autoLoadEntities: true,
          discovery: { warnWhenNoEntities: false },
          registerRequestContext: false,
          allowGlobalContext: false,
        }),
      ],
      providers: [...(base.providers ?? []), { provide: DatabasePool, useValue: db }, DatabasePoolLifecycle],
      exports: [DatabasePool, MODULE_OPTIONS_TOKEN],
    };
  }
}
