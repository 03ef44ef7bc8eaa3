import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { SchemaProblem } from '../contracts/signal-schema.js';
import type { LintPathSegment } from './schema-lint.context.js';

export interface ParsedSchemaFile {
  readonly file: string;
  /** The parsed document as plain data; undefined when the file could not be read or parsed. */
  readonly value: unknown;
  readonly problems: readonly SchemaProblem[];
  /** 1-based line of the node at `path` (or of its nearest existing parent). */
  lineOf(path: readonly LintPathSegment[]): number | undefined;
}

const SCHEMA_FILE = /\.ya?ml$/i;

/** Every `*.yaml` / `*.yml` file under `dir`, recursively, in a stable order; hidden entries are skipped. */
export function listSchemaFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (current: string): void => {
    const entries = readdirSync(current, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (SCHEMA_FILE.test(entry.name) && (entry.isFile() || statSync(path).isFile())) files.push(path);
    }
  };
  walk(dir);
  return files;
}

export function readSchemaFile(file: string): ParsedSchemaFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return unreadable(file, `cannot read file: ${(error as Error).message}`);
  }
  return parseSchemaText(file, text);
}

export function parseSchemaText(file: string, text: string): ParsedSchemaFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    return {
      file,
      value: undefined,
      problems: document.errors.map((error) => ({
        file,
        line: lineCounter.linePos(error.pos[0]).line,
        code: 'yaml_syntax' as const,
        message: `YAML: ${error.message.split('\n')[0]}`,
      })),
      lineOf: () => undefined,
    };
  }
  let value: unknown;
  try {
    // The alias limit guards against "billion laughs" expansion in a hostile file.
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return unreadable(file, `YAML: ${(error as Error).message}`);
  }
  return {
    file,
    value,
    problems: [],
    lineOf: (path) => {
      const offset = locate(document, path);
      return offset === undefined ? undefined : lineCounter.linePos(offset).line;
    },
  };
}

function unreadable(file: string, message: string): ParsedSchemaFile {
  return {
    file,
    value: undefined,
    problems: [{ file, code: 'file_read', message }],
    lineOf: () => undefined,
  };
}

/** Walks the YAML node tree along `path`; for a mapping key, points at the key itself. */
function locate(document: Document, path: readonly LintPathSegment[]): number | undefined {
  let node: Node | null | undefined = document.contents;
  let offset = node?.range?.[0];
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => {
        const key = item.key as { value?: unknown } | null;
        return key !== null && typeof key === 'object' ? key.value === segment : key === segment;
      });
      if (!pair) break;
      const keyOffset = (pair.key as Node | null)?.range?.[0];
      node = pair.value as Node | null;
      offset = keyOffset ?? node?.range?.[0] ?? offset;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment] as Node | null | undefined;
      if (!node) break;
      offset = node.range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return offset;
}
