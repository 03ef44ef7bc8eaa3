import { EX_CONFIG, loadConfigOrExitCode } from '../config/config-or-exit-code.js';
import { openDatabaseUrl } from '../database/database-url.js';
import { addOnMigrations } from '../config/enabled-add-ons.js';
import { runMigrations } from '../database/run-migrations.js';

// `npm run migrate`: migrates DATABASE_URL, or the embedded cluster of the data directory.
async function main(): Promise<number> {
  if (process.argv.slice(2).some((a) => a === '--help' || a === '-h')) {
    process.stdout.write(
      'Usage: npm run migrate\n  Applies pending migrations to DATABASE_URL, else the embedded cluster of the data directory.\n',
    );
    return 0;
  }
  const config = loadConfigOrExitCode();
  if (config === EX_CONFIG) return EX_CONFIG;
  const database = await openDatabaseUrl(config, (m) => process.stderr.write(`${m}\n`), 'cli');
  try {
    const applied = await runMigrations(database.url, addOnMigrations(config));
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'up to date\n');
    return 0;
  } finally {
    await database.release();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
