import type { SchemaProblemCode } from '../contracts/signal-schema.js';

export type LintPathSegment = string | number;

/**
 * Where the linter is inside one definition: `raw` is the path in the parsed
 * document (used to find the YAML line), `field` is the label shown to people,
 * with attribute names instead of list indexes where we know them.
 */
export interface LintScope {
  readonly raw: readonly LintPathSegment[];
  readonly field: string;
}

export interface LintFinding {
  readonly scope: LintScope;
  readonly code: SchemaProblemCode;
  readonly message: string;
}

export class LintContext {
  readonly findings: LintFinding[] = [];

  report(scope: LintScope, code: SchemaProblemCode, message: string): void {
    this.findings.push({ scope, code, message });
  }
}

export const ROOT_SCOPE: LintScope = { raw: [], field: '' };

export function childScope(scope: LintScope, segment: LintPathSegment, label?: string): LintScope {
  const name = label ?? segment;
  const field =
    typeof name === 'number' ? `${scope.field}[${name}]` : scope.field ? `${scope.field}.${name}` : name;
  return { raw: [...scope.raw, segment], field };
}

export function isPlainMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number' && Number.isInteger(value)) return `the integer ${value}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}
