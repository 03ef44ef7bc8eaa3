import type { SchemaProblem } from '../contracts/signal-schema.js';

/** Thrown at start-up when any schema is broken; carries every problem, not just the first. */
export class SchemaLoadError extends Error {
  constructor(readonly problems: readonly SchemaProblem[]) {
    super(
      `${problems.length} schema problem${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((problem) => `  ${formatSchemaProblem(problem)}`).join('\n'),
    );
    this.name = 'SchemaLoadError';
  }
}

/** `config/schemas/a.yaml:12 content.view@1 attributes.contentId.maxLength: ... [invalid_type]` */
export function formatSchemaProblem(problem: SchemaProblem): string {
  const location = problem.line !== undefined ? `${problem.file}:${problem.line}` : problem.file;
  const definition =
    problem.definitionId !== undefined
      ? ` ${problem.definitionId}${problem.version !== undefined ? `@${problem.version}` : ''}`
      : '';
  const field = problem.field ? ` ${problem.field}` : '';
  return `${location}${definition}${field}: ${problem.message} [${problem.code}]`;
}
