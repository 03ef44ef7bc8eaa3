import type { AttributeFilter, BehaviorQuery } from '../contracts/behavior-data-provider.js';
import { BehaviorQueryError } from '../queries/behavior-query.error.js';
import { SqlParams } from '@lssm/nest-common';
import { TimeKeyset } from '../queries/time-keyset.js';
import { ATTRIBUTE_NAME_PATTERN } from '../schema/schema-naming.rules.js';
import { SIGNAL_COLUMNS } from './signal-row.js';

export const DEFAULT_QUERY_LIMIT = 50;
export const MAX_QUERY_LIMIT = 500;
export const MAX_ATTRIBUTE_FILTERS = 20;
/**
 * A plain decimal: what `::numeric` accepts, without NaN/Infinity or hex surprises. The
 * exponent has at most three digits: `1e999999` overflows numeric (an error, not a
 * comparison), while every JSON number a signal can hold is within 1e±400.
 */
export const DECIMAL_PATTERN = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?$/;

const COMPARE = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
// A JSON number always casts to numeric; the CASE keeps the cast away from
// strings, booleans and objects, so a numeric filter skips them instead of failing.
const numericValue = (param: string) =>
  `case when jsonb_typeof(attributes -> ${param}) = 'number' then (attributes ->> ${param})::numeric end`;

/**
 * One parameterised SELECT over behavior_signals. The predicates line up with
 * the indexes (tenant_id, user_id, occurred_at desc, id desc) and
 * (tenant_id, schema_id, occurred_at desc); every value is a bind parameter and
 * attribute names are checked against the schema naming rule.
 */
export function buildSignalQuery(
  query: BehaviorQuery,
  limit: number | null,
): { text: string; values: unknown[]; keyset: TimeKeyset } {
  if (typeof query.tenantId !== 'string' || query.tenantId.length === 0) {
    throw new BehaviorQueryError('tenant_required', 'A query is always scoped to a tenant');
  }
  const params = new SqlParams();
  const param = (value: unknown) => params.add(value);
  const where = [`tenant_id = ${param(query.tenantId)}`];
  if (query.userId !== undefined) where.push(`user_id = ${param(query.userId)}`);
  if (query.schemaId !== undefined) where.push(`schema_id = ${param(query.schemaId)}`);
  if (query.start !== undefined) where.push(`occurred_at >= ${param(validDate(query.start, 'start'))}`);
  if (query.end !== undefined) where.push(`occurred_at < ${param(validDate(query.end, 'end'))}`);
  const keyset = new TimeKeyset('occurred_at', query.order ?? 'desc');
  if (query.cursor !== undefined) where.push(keyset.after(query.cursor, params));
  const filters = query.attributes ?? [];
  if (filters.length > MAX_ATTRIBUTE_FILTERS) {
    throw new BehaviorQueryError('invalid_filter', `At most ${MAX_ATTRIBUTE_FILTERS} attribute filters`);
  }
  for (const filter of filters) where.push(attributePredicate(filter, param));
  const text =
    `select ${SIGNAL_COLUMNS}, ${keyset.keyColumn}\n  from behavior_signals\n where ${where.join('\n   and ')}\n` +
    ` order by ${keyset.orderBy}` +
    (limit === null ? '' : `\n limit ${param(limit)}`);
  return { text, values: params.values, keyset };
}

export function resolveLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_QUERY_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_QUERY_LIMIT) {
    throw new BehaviorQueryError('invalid_limit', `limit must be an integer from 1 to ${MAX_QUERY_LIMIT}`, [
      { path: 'limit', code: 'invalid_limit', message: `an integer from 1 to ${MAX_QUERY_LIMIT}` },
    ]);
  }
  return limit;
}

function attributePredicate(filter: AttributeFilter, param: (value: unknown) => string): string {
  const path = `attr.${filter.name}`;
  if (typeof filter.name !== 'string' || !ATTRIBUTE_NAME_PATTERN.test(filter.name)) {
    throw new BehaviorQueryError('invalid_filter', `Invalid attribute name in filter "${path}"`, [
      { path, code: 'invalid_attribute_name', message: `must match ${ATTRIBUTE_NAME_PATTERN.source}` },
    ]);
  }
  if (typeof filter.value !== 'string') {
    throw new BehaviorQueryError('invalid_filter', `Filter "${path}" needs a value`, [
      { path, code: 'invalid_value', message: 'a string value is required' },
    ]);
  }
  const name = param(filter.name);
  if (filter.operator === 'eq') {
    const text = `attributes ->> ${name} = ${param(filter.value)}`;
    // "12" also matches 12.0: numbers compare as numbers, not as their JSON text.
    return DECIMAL_PATTERN.test(filter.value)
      ? `(${text} or ${numericValue(name)} = ${param(filter.value)}::numeric)`
      : text;
  }
  const op = COMPARE[filter.operator as keyof typeof COMPARE];
  if (op === undefined) {
    throw new BehaviorQueryError('invalid_filter', `Unknown operator "${String(filter.operator)}"`, [
      { path, code: 'unknown_operator', message: 'one of eq, gt, gte, lt, lte' },
    ]);
  }
  if (!DECIMAL_PATTERN.test(filter.value)) {
    throw new BehaviorQueryError('invalid_filter', `Filter "${path}[${filter.operator}]" needs a number`, [
      { path: `${path}[${filter.operator}]`, code: 'not_a_number', message: 'a decimal number is required' },
    ]);
  }
  return `${numericValue(name)} ${op} ${param(filter.value)}::numeric`;
}

function validDate(value: Date, path: string): string {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new BehaviorQueryError('invalid_date', `${path} is not a valid date`, [
      { path, code: 'invalid_date', message: 'an ISO 8601 date-time' },
    ]);
  }
  return value.toISOString();
}
