import type { SignalIssue } from '../contracts/behavior-signal.js';
import { MAX_ARRAY_ITEMS_CEILING, MAX_ISSUES_PER_ITEM, MAX_OBJECT_KEYS } from '../schema/attribute-limits.js';
import { appendPathKey } from '../schema/attribute-path.format.js';
import { MAX_ATTRIBUTE_DEPTH } from '../schema/schema-naming.rules.js';

export interface StorableCheck {
  /** The first MAX_ISSUES_PER_ITEM problems, in document order. */
  readonly issues: SignalIssue[];
  /** All problems found (the walk stops descending into a node that is already too big or too deep). */
  readonly issueCount: number;
  /** JSON nodes visited: a cheap measure of the item's size. */
  readonly nodes: number;
  /** Nested deeper than the limit: recursive code (JSON.stringify) must not touch it. */
  readonly tooDeep: boolean;
}

export interface StorableCheckOptions {
  /** Levels of nesting allowed; by default a signal's (attributes get MAX_ATTRIBUTE_DEPTH of their own). */
  readonly maxDepth?: number;
}

// The envelope is one level above `attributes`, so attributes get MAX_ATTRIBUTE_DEPTH of their own.
const SIGNAL_MAX_DEPTH = MAX_ATTRIBUTE_DEPTH + 1;

/**
 * Finds every value in a JSON value that PostgreSQL cannot store or that would make
 * later steps unbounded: NUL characters and lone UTF-16 surrogates (text and jsonb
 * reject both) in strings and keys, non-finite numbers (`1e400` parses to Infinity),
 * nesting deeper than the attribute depth limit, oversized arrays and objects.
 *
 * Iterative (an explicit stack), so a body nested 100,000 levels deep is reported,
 * not a stack overflow. Runs on every signal before anything else touches it, and on every
 * other client value (path and query parameters, request bodies) in the app's validation pipe.
 */
export function checkStorable(item: unknown, options: StorableCheckOptions = {}): StorableCheck {
  const maxDepth = options.maxDepth ?? SIGNAL_MAX_DEPTH;
  const issues: SignalIssue[] = [];
  let issueCount = 0;
  let nodes = 0;
  let tooDeep = false;
  const report = (path: () => string, code: string, message: string) => {
    issueCount++;
    if (issues.length < MAX_ISSUES_PER_ITEM) issues.push({ path: path(), code, message });
  };
  // Paths are built lazily from parent links: the clean case allocates no strings.
  const stack: Frame[] = [{ value: item, depth: 0, parent: null, key: null }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { value, depth } = frame;
    nodes++;
    const at = () => pathOf(frame);
    if (typeof value === 'string') {
      checkText(value, at, report);
      continue;
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) report(at, 'non_finite_number', 'numbers must be finite');
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth) {
      tooDeep = true;
      report(at, 'max_depth', `nesting deeper than ${maxDepth - 1} levels`);
      continue;
    }
    if (Array.isArray(value)) {
      if (value.length > MAX_ARRAY_ITEMS_CEILING) {
        report(at, 'max_items', `arrays hold at most ${MAX_ARRAY_ITEMS_CEILING} elements`);
        continue;
      }
      for (let index = value.length - 1; index >= 0; index--) {
        stack.push({ value: value[index], depth: depth + 1, parent: frame, key: index });
      }
      continue;
    }
    const keys = Object.keys(value);
    if (keys.length > MAX_OBJECT_KEYS) {
      report(at, 'max_properties', `objects hold at most ${MAX_OBJECT_KEYS} members`);
      continue;
    }
    for (let index = keys.length - 1; index >= 0; index--) {
      const key = keys[index];
      const child: Frame = {
        value: (value as Record<string, unknown>)[key],
        depth: depth + 1,
        parent: frame,
        key,
      };
      checkText(key, () => pathOf(child), report, 'key');
      stack.push(child);
    }
  }
  return { issues, issueCount, nodes, tooDeep };
}

interface Frame {
  readonly value: unknown;
  readonly depth: number;
  readonly parent: Frame | null;
  readonly key: string | number | null;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

type Report = (path: () => string, code: string, message: string) => void;

function checkText(text: string, at: () => string, report: Report, what = 'strings'): void {
  if (text.includes('\u0000'))
    report(at, 'nul_character', `${what === 'key' ? 'keys' : what} must not contain U+0000`);
  if (LONE_SURROGATE.test(text)) {
    report(
      at,
      'invalid_unicode',
      `${what === 'key' ? 'keys' : what} must be valid Unicode (no lone surrogates)`,
    );
  }
}

/** `attributes.items[2].sku`; unstorable characters in keys are shown as U+FFFD so the path itself is storable. */
function pathOf(frame: Frame): string {
  const keys: (string | number)[] = [];
  for (let f: Frame | null = frame; f !== null && f.key !== null; f = f.parent) keys.push(f.key);
  if (keys.length === 0) return '(signal)';
  let path = storableText(String(keys.pop()));
  while (keys.length > 0) {
    const key = keys.pop()!;
    path = typeof key === 'number' ? `${path}[${key}]` : appendPathKey(path, storableText(key));
  }
  return path;
}

/** A copy of `text` that text and jsonb columns accept (NUL and lone surrogates become U+FFFD). */
export function storableText(text: string): string {
  return text.replace(LONE_SURROGATES, '\uFFFD').replaceAll('\u0000', '\uFFFD');
}
