import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { createApp } from '../bootstrap/create-app.js';
import { loadConfig } from '../config/load-config.js';
import { openDatabaseUrl } from '../database/database-url.js';
import { buildOpenApiDocument } from '../http/openapi-document.js';

// `npm run openapi`: writes openapi.json for client generators.
const config = loadConfig({ overrides: { server: { logLevel: 'warn' } } });
const database = await openDatabaseUrl(config, () => undefined, 'cli');
try {
  const app = await createApp({ config, databaseUrl: database.url });
  const document = buildOpenApiDocument(app);
  writeFileSync('openapi.json', `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`wrote openapi.json (${Object.keys(document.paths).length} paths)\n`);
  await app.close();
} finally {
  await database.release();
}
