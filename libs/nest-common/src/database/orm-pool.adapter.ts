import pg from 'pg';
import type { Queryable } from './queryable.js';

// MikroORM parses dates, timestamps and intervals itself and expects PostgreSQL's text for them;
// the lanes' sessions keep pg's defaults for hand-written SQL, so only the ORM's queries carry these.
const ORM_TYPES = new pg.TypeOverrides();
const keepText = (value: string) => value;
// text[]'s parser: splits the array literal and leaves the items as text.
const textArray = (pg.types.getTypeParser as (oid: number) => (value: string) => unknown)(1009);
for (const oid of [1082, 1114, 1184, 1186]) ORM_TYPES.setTypeParser(oid, keepText);
for (const oid of [1182, 1115, 1185, 1187]) ORM_TYPES.setTypeParser(oid, textArray);

/** What Kysely's PostgresDialect needs of a pool. */
export interface OrmPool {
  connect(): Promise<pg.PoolClient>;
  end(): Promise<void>;
  readonly options: object;
  // Kysely opens a separate connection of this class (with `options`) to cancel a query.
  readonly Client: typeof pg.Client;
}

/**
 * Lends MikroORM connections of a lane of the one pool. Ending it is a no-op: the pool belongs to
 * the DatabaseModule, which ends it after the ORM closed.
 */
export function ormPool(lane: Queryable, options: object): OrmPool {
  return {
    options,
    Client: pg.Client,
    connect: async () => withOrmTypes(await lane.connect()),
    end: async () => undefined,
  };
}

function withOrmTypes(client: pg.PoolClient): pg.PoolClient {
  return new Proxy(client, {
    get(target, property) {
      if (property === 'query') {
        return (query: unknown, values?: unknown[]) =>
          typeof query === 'string'
            ? target.query({ text: query, values, types: ORM_TYPES })
            : target.query(query as pg.QueryConfig, values);
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
