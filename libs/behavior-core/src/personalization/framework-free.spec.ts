import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// The tracker, stores and analyzer ship to browsers: a Node built-in or Nest import would break them.
const FORBIDDEN =
  /from '(node:[^']+|fs|path|os|crypto|http|https|events|timers|@nestjs\/[^']+|@mikro-orm\/[^']+)'/;

describe('personalization sources', () => {
  const dirs = [__dirname, join(__dirname, '..', 'contracts')];
  const files = dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
      .filter((f) => dir === __dirname || f === 'behavior-store.ts')
      .map((f) => join(dir, f)),
  );

  it.each(files)('%s imports nothing Node-only or framework-bound', (file) => {
    const source = readFileSync(file, 'utf8');
    expect(source).not.toMatch(FORBIDDEN);
    expect(source).not.toMatch(/import\.meta|require\(/);
  });
});
