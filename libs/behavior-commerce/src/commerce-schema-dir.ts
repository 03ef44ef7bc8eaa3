import { fileURLToPath } from 'node:url';

/** The package's `schemas/` directory (next to both `src/` and `dist/`). */
export const COMMERCE_SCHEMA_DIR = fileURLToPath(new URL('../schemas', import.meta.url));
