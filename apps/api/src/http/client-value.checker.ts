import type { ErrorDetail } from '@lssm/nest-common';

/**
 * Deepest JSON a request body (outside signal ingestion, which has its own per-item rules)
 * may nest. class-transformer recurses once per level and overflows the stack a few
 * thousand levels down; no overlay, workflow or admin document needs more than a few.
 */
export const MAX_BODY_DEPTH = 64;

// At most this many findings are reported: a hostile value must not produce a huge error.
const MAX_DETAILS = 20;

/**
 * Finds the client values PostgreSQL cannot store or compare: a NUL character (text and
 * jsonb refuse it; inlined into SQL text it breaks the wire protocol), a lone UTF-16
 * surrogate (no UTF-8 form), a non-finite number (JSON.parse turns 1e999 into Infinity),
 * and nesting deeper than `maxDepth`. Iterative, so a deep value cannot overflow the stack.
 */
export function findUnstorableValues(value: unknown, root: string, maxDepth = MAX_BODY_DEPTH): ErrorDetail[] {
  const found: ErrorDetail[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (stack.length > 0 && found.length < MAX_DETAILS) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'string') {
      const problem = stringProblem(current);
      if (problem) found.push({ path, ...problem });
    } else if (typeof current === 'number') {
      if (!Number.isFinite(current)) {
        found.push({ path, code: 'number_out_of_range', message: 'a finite number is required' });
      }
    } else if (typeof current === 'object' && current !== null) {
      if (depth >= maxDepth) {
        found.push({ path, code: 'too_deep', message: `values nest at most ${maxDepth} levels deep` });
        continue;
      }
      for (const [key, child] of Object.entries(current)) {
        const childPath = path ? `${path}.${key}` : key;
        const keyProblem = stringProblem(key);
        if (keyProblem) found.push({ path: childPath, ...keyProblem });
        stack.push({ value: child, path: childPath, depth: depth + 1 });
      }
    }
  }
  return found;
}

function stringProblem(value: string): { code: string; message: string } | undefined {
  if (value.includes('\u0000')) return { code: 'nul_character', message: 'the NUL character is not allowed' };
  if (!isWellFormed(value)) {
    return { code: 'lone_surrogate', message: 'the text is not valid Unicode (lone UTF-16 surrogate)' };
  }
  return undefined;
}

// String.prototype.isWellFormed exists on Node 24; the project's TypeScript lib (ES2023) does not declare it.
function isWellFormed(value: string): boolean {
  return (value as string & { isWellFormed(): boolean }).isWellFormed();
}
