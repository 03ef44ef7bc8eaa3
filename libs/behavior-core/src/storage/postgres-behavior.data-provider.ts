import type { Queryable } from '@lssm/nest-common';
import Cursor from 'pg-cursor';
import type {
  BehaviorDataProvider,
  BehaviorQuery,
  BehaviorQueryPage,
} from '../contracts/behavior-data-provider.js';
import type { BehaviorSignal } from '../contracts/behavior-signal.js';
import { BehaviorQueryError } from '../queries/behavior-query.error.js';
import type { KeysetRow } from '../queries/time-keyset.js';
import { buildSignalQuery, resolveLimit } from './signal-query.builder.js';
import { SIGNAL_COLUMNS, toBehaviorSignal, type SignalRow } from './signal-row.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PostgresBehaviorDataProviderOptions {
  /** Rows fetched per round trip while streaming. */
  readonly streamBatchSize?: number;
}

/** Reads behavior_signals with keyset paging; large scans go through a server-side cursor. */
export class PostgresBehaviorDataProvider implements BehaviorDataProvider {
  readonly providerType = 'database';
  private readonly streamBatchSize: number;

  constructor(
    private readonly pool: Queryable,
    options: PostgresBehaviorDataProviderOptions = {},
  ) {
    this.streamBatchSize = options.streamBatchSize ?? 1000;
  }

  async query(query: BehaviorQuery): Promise<BehaviorQueryPage> {
    const limit = resolveLimit(query.limit);
    // One extra row tells whether another page exists without a count(*).
    const { text, values, keyset } = buildSignalQuery(query, limit + 1);
    const { rows } = await this.pool.query<SignalRow & KeysetRow>(text, values);
    const page = keyset.page(rows, limit);
    return { items: page.rows.map(toBehaviorSignal), nextCursor: page.nextCursor };
  }

  async *stream(query: BehaviorQuery): AsyncGenerator<BehaviorSignal> {
    // Built before connecting, so a bad query fails without taking a connection.
    const { text, values } = buildSignalQuery(query, streamLimit(query.limit));
    const client = await this.pool.connect();
    const cursor = client.query(new Cursor<SignalRow>(text, values));
    let failure: unknown;
    try {
      for (;;) {
        const rows = await cursor.read(this.streamBatchSize);
        if (rows.length === 0) break;
        for (const row of rows) yield toBehaviorSignal(row);
      }
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      // Also runs when the consumer stops early (break/return): the portal is closed
      // and the connection goes back to the pool, or is discarded after an error.
      if (failure === undefined) {
        try {
          await cursor.close();
        } catch (error) {
          failure = error;
        }
      }
      client.release(failure instanceof Error ? failure : undefined);
    }
  }

  async findById(tenantId: string, id: string): Promise<BehaviorSignal | null> {
    if (!UUID.test(id)) return null;
    const { rows } = await this.pool.query<SignalRow>(
      `select ${SIGNAL_COLUMNS} from behavior_signals where tenant_id = $1 and id = $2`,
      [tenantId, id],
    );
    return rows[0] ? toBehaviorSignal(rows[0]) : null;
  }
}

function streamLimit(limit: number | undefined): number | null {
  if (limit === undefined) return null;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new BehaviorQueryError('invalid_limit', 'A stream limit must be a positive integer');
  }
  return limit;
}
