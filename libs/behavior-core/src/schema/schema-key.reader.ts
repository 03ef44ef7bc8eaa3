import {
  childScope,
  describeType,
  isPlainMapping,
  type LintContext,
  type LintScope,
} from './schema-lint.context.js';

/**
 * Typed reads of one mapping key with problem reporting; every reader returns
 * undefined when the value is absent or wrong so callers can keep linting.
 */
export class SchemaKeyReader {
  constructor(
    private readonly ctx: LintContext,
    private readonly mapping: Record<string, unknown>,
    private readonly scope: LintScope,
  ) {}

  /** Reports every key not in `allowed`; a typo must never be silently ignored. */
  rejectUnknownKeys(allowed: readonly string[], what: string): void {
    for (const key of Object.keys(this.mapping)) {
      if (!allowed.includes(key)) {
        this.ctx.report(
          childScope(this.scope, key),
          'unknown_key',
          `unknown key "${key}" in ${what} (allowed: ${allowed.join(', ')})`,
        );
      }
    }
  }

  has(key: string): boolean {
    return Object.hasOwn(this.mapping, key) && this.mapping[key] !== undefined && this.mapping[key] !== null;
  }

  raw(key: string): unknown {
    return Object.hasOwn(this.mapping, key) ? this.mapping[key] : undefined;
  }

  scopeOf(key: string): LintScope {
    return childScope(this.scope, key);
  }

  private present(key: string, required: boolean): boolean {
    if (this.has(key)) return true;
    if (required) this.ctx.report(this.scopeOf(key), 'missing_key', `"${key}" is required`);
    return false;
  }

  private wrongType(key: string, expected: string): undefined {
    this.ctx.report(
      this.scopeOf(key),
      'invalid_type',
      `"${key}" must be ${expected}, got ${describeType(this.mapping[key])}`,
    );
    return undefined;
  }

  string(key: string, required: boolean, nonEmpty = true): string | undefined {
    if (!this.present(key, required)) return undefined;
    const value = this.mapping[key];
    if (typeof value !== 'string' || (nonEmpty && value.trim() === '')) {
      return this.wrongType(key, nonEmpty ? 'a non-empty string' : 'a string');
    }
    return value;
  }

  boolean(key: string, required: boolean): boolean | undefined {
    if (!this.present(key, required)) return undefined;
    const value = this.mapping[key];
    return typeof value === 'boolean' ? value : this.wrongType(key, 'true or false');
  }

  number(key: string, required: boolean): number | undefined {
    if (!this.present(key, required)) return undefined;
    const value = this.mapping[key];
    return typeof value === 'number' && Number.isFinite(value)
      ? value
      : this.wrongType(key, 'a finite number');
  }

  integer(key: string, required: boolean, min: number, max?: number): number | undefined {
    if (!this.present(key, required)) return undefined;
    const value = this.mapping[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
      return this.wrongType(key, min === 0 ? 'a non-negative integer' : `an integer >= ${min}`);
    }
    if (max !== undefined && value > max) {
      this.ctx.report(this.scopeOf(key), 'limit_exceeded', `"${key}" must be at most ${max}, got ${value}`);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(key: string, required: boolean, allowed: readonly T[]): T | undefined {
    if (!this.present(key, required)) return undefined;
    const value = this.mapping[key];
    if (typeof value !== 'string') return this.wrongType(key, `one of ${allowed.join(', ')}`);
    if (!(allowed as readonly string[]).includes(value)) {
      this.ctx.report(
        this.scopeOf(key),
        'invalid_value',
        `"${key}" must be one of ${allowed.join(', ')}, got "${value}"`,
      );
      return undefined;
    }
    return value as T;
  }

  list(key: string, required: boolean): unknown[] | undefined {
    if (!this.present(key, required)) return undefined;
    const value = this.mapping[key];
    return Array.isArray(value) ? value : this.wrongType(key, 'a list');
  }

  submapping(key: string, required: boolean): Record<string, unknown> | undefined {
    if (!this.present(key, required)) return undefined;
    const value = this.mapping[key];
    return isPlainMapping(value) ? value : this.wrongType(key, 'a mapping');
  }
}
