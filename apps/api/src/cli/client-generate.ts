import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CLIENT_TYPES_FILE,
  clientDocumentConfig,
  generateClientTypes,
} from '../http/openapi-client-types.js';
import { previewOpenApiDocument } from '../http/openapi-preview.js';

// npm run client:generate: regenerates @lssm/client's types after an endpoint or DTO changed.
async function main(): Promise<number> {
  const document = await previewOpenApiDocument(clientDocumentConfig());
  const out = resolve(CLIENT_TYPES_FILE);
  writeFileSync(out, await generateClientTypes(document));
  process.stdout.write(`wrote ${out} (${Object.keys(document.paths).length} paths)\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `client:generate failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
