import { fileURLToPath } from 'node:url';

/** The domain-neutral starter set shipped with the package (`schemas/`, next to both `src/` and `dist/`). */
export const STARTER_SCHEMA_DIR = fileURLToPath(new URL('../../schemas', import.meta.url));
