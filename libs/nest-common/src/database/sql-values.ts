/** PostgreSQL unique violation (23505), whether the ORM wrapped it or not. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: string; name?: string; cause?: { code?: string } };
  return e.code === '23505' || e.cause?.code === '23505' || e.name === 'UniqueConstraintViolationException';
}

/** jsonb parameters travel as JSON text with an explicit `::jsonb` cast in the SQL. */
export const json = (value: unknown): string => JSON.stringify(value);

/**
 * A JSON value as a jsonb column will hold it, for the ORM: a fresh unfrozen copy without
 * undefined members (the ORM walks and rewrites plain objects in update data, and would store an
 * undefined member as null).
 */
export const jsonValue = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
