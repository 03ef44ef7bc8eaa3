import type {
  AttributeFilter,
  AttributeFilterOperator,
  BehaviorQuery,
} from '../contracts/behavior-data-provider.js';
import { ATTRIBUTE_NAME_PATTERN } from '../schema/schema-naming.rules.js';
import { DECIMAL_PATTERN, MAX_ATTRIBUTE_FILTERS, MAX_QUERY_LIMIT } from '../storage/signal-query.builder.js';
import { QueryParamReader, type RawQuery } from './query-param.reader.js';

export type SignalQueryParams = Omit<BehaviorQuery, 'tenantId' | 'userId'>;

// `attr.<name>` or `attr.<name>[op]`; the name is checked separately to report it precisely.
const ATTR_KEY = /^attr\.([^[\]]*)(?:\[([^\]]*)\])?$/;
// A decimal whose exponent is beyond what DECIMAL_PATTERN (and PostgreSQL's numeric) takes.
const HUGE_EXPONENT = /^-?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d{4,}$/;
const OPERATORS: ReadonlySet<string> = new Set(['eq', 'gt', 'gte', 'lt', 'lte']);

/**
 * Turns `?schemaId=&start=&end=&attr.<name>=<v>&attr.<name>[gte]=<n>&limit=&cursor=`
 * into a query. Throws BehaviorQueryError listing every bad parameter.
 */
export function parseSignalQuery(raw: RawQuery): SignalQueryParams {
  const reader = new QueryParamReader(raw);
  const schemaId = reader.string('schemaId', 128);
  const start = reader.date('start');
  const end = reader.date('end');
  reader.range(start, end);
  const limit = reader.integer('limit', 1, MAX_QUERY_LIMIT);
  const cursor = reader.cursor();
  const attributes: AttributeFilter[] = [];
  for (const key of reader.keys()) {
    const match = ATTR_KEY.exec(key);
    if (!match) continue;
    reader.markSeen(key);
    const [, name, op] = match;
    if (!ATTRIBUTE_NAME_PATTERN.test(name)) {
      reader.issue(key, 'invalid_attribute_name', `attribute names match ${ATTRIBUTE_NAME_PATTERN.source}`);
      continue;
    }
    const operator = op ?? 'eq';
    if (!OPERATORS.has(operator)) {
      reader.issue(key, 'unknown_operator', 'one of eq, gt, gte, lt, lte');
      continue;
    }
    const value = reader.string(key, 256);
    if (value === undefined) continue;
    if (operator !== 'eq' && !DECIMAL_PATTERN.test(value)) {
      if (HUGE_EXPONENT.test(value))
        reader.issue(key, 'number_out_of_range', 'an exponent of at most 3 digits');
      else reader.issue(key, 'not_a_number', 'a decimal number is required');
      continue;
    }
    attributes.push({ name, operator: operator as AttributeFilterOperator, value });
  }
  if (attributes.length > MAX_ATTRIBUTE_FILTERS) {
    reader.issue('attr', 'too_many_filters', `at most ${MAX_ATTRIBUTE_FILTERS} attribute filters`);
  }
  reader.rejectUnknown();
  reader.done();
  return {
    ...(schemaId !== undefined && { schemaId }),
    ...(start !== undefined && { start }),
    ...(end !== undefined && { end }),
    ...(limit !== undefined && { limit }),
    ...(cursor !== undefined && { cursor }),
    ...(attributes.length > 0 && { attributes }),
  };
}
