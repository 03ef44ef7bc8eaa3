import { loadConfig } from '../config/load-config.js';
import { openDatabaseUrl } from '../database/database-url.js';
import { runMigrations } from '../database/run-migrations.js';

// `npm run migrate`: migrates DATABASE_URL, or the embedded cluster of the data directory.
const config = loadConfig();
const database = await openDatabaseUrl(config, (m) => process.stderr.write(`${m}\n`), 'cli');
try {
  const applied = await runMigrations(database.url);
  process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'up to date\n');
} finally {
  await database.release();
}
