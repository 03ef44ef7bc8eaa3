import { DatabaseModule } from '@lssm/nest-common';

/** The one pool (and the ORM on it) for a test module, as the app imports it: global. */
export const testDatabaseModule = (url: string, poolSize = 6) =>
  DatabaseModule.forRoot({ url, poolSize, ingestReserved: 2, readStatementTimeoutMs: 0, isGlobal: true });
