import type { AppConfig } from '../config/app-config.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  /** Stops the embedded cluster; a no-op for an external database. */
  release(): Promise<void>;
}

/** DATABASE_URL when configured, else the embedded cluster in the data directory. */
export async function openDatabaseUrl(
  config: AppConfig,
  log: (m: string) => void,
  /** The service owns the cluster; a CLI leaves a cluster it found running alone. */
  owner: 'service' | 'cli' = 'service',
): Promise<DatabaseHandle> {
  if (config.database.url) {
    return { url: config.database.url, embedded: false, release: async () => undefined };
  }
  const pg = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    port: config.database.embedded.port,
    persistent: true,
    log: (m) => {
      if (/error|fatal|panic/i.test(m)) log(m);
    },
  });
  const leaveRunning = owner === 'cli' && pg.adopted;
  return { url: pg.url, embedded: true, release: () => (leaveRunning ? Promise.resolve() : pg.stop()) };
}
