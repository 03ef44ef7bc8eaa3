import { transaction, type Queryable } from '@lssm/nest-common';

/** One embedding to store (the primary key is tenant, provider, model, signal, field). */
export interface EmbeddingRow {
  readonly tenantId: string;
  readonly signalId: string;
  readonly field: string;
  readonly occurredAt: string;
  readonly userId: string | null;
  readonly schemaId: string;
  readonly contentHash: string;
  readonly vector: Float32Array;
}

export interface EmbeddingSpace {
  readonly tenantId: string;
  readonly provider: string;
  readonly model: string;
}

/** A candidate of a search: its vector decoded straight from PostgreSQL's binary array format. */
export interface EmbeddingCandidate {
  readonly signalId: string;
  readonly userId: string | null;
  readonly schemaId: string;
  readonly field: string;
  readonly vector: Float32Array;
}

/** A row of a space as the search cache holds it. */
export interface CachedEmbedding extends EmbeddingCandidate {
  /** signal id + field: the row's identity within its space. */
  readonly key: string;
  readonly occurredAtMs: number;
  /** hashtext(key) as PostgreSQL computes it: the cache sums these to notice deleted rows. */
  readonly keyHash: number;
}

/**
 * One consistent look at a space (a single statement, so one snapshot): how many rows it has and
 * the sum of their key hashes, plus the rows created after `since` (all of them when null).
 */
export interface EmbeddingSpaceSnapshot {
  readonly count: number;
  readonly keySum: string;
  readonly maxCreatedAt: string | null;
  readonly rows: CachedEmbedding[];
}

/**
 * Decodes a one-dimensional real[] in PostgreSQL's binary array format (array_send): 20 header
 * bytes (ndim, has-null flag, element type, length, lower bound), then a 4-byte length and a
 * big-endian float4 per element. The text format would parse a decimal string per element, many
 * times slower at 100k rows; node-pg decodes every column as UTF-8, so the bytes come as base64.
 */
export function decodeFloat4Array(buffer: Buffer): Float32Array {
  const n = buffer.readInt32BE(0) === 0 ? 0 : buffer.readInt32BE(12);
  const out = new Float32Array(n);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  for (let i = 0, offset = 24; i < n; i++, offset += 8) out[i] = view.getFloat32(offset);
  return out;
}

/** The behavior_embeddings table and the daily usage the budget counts; the embedder's and the search's SQL. */
export class EmbeddingRepository {
  constructor(private readonly db: Queryable) {}

  /** The (signal, field) pairs of `keys` already stored: a redelivered batch embeds nothing again. */
  async existing(space: EmbeddingSpace, signalIds: readonly string[]): Promise<Set<string>> {
    if (signalIds.length === 0) return new Set();
    const { rows } = await this.db.query<{ signal_id: string; field: string }>(
      `select signal_id, field from behavior_embeddings
        where tenant_id = $1 and provider = $2 and model = $3 and signal_id = any($4::uuid[])`,
      [space.tenantId, space.provider, space.model, signalIds],
    );
    return new Set(rows.map((r) => `${r.signal_id}\u0000${r.field}`));
  }

  /** Vectors already computed for these normalized-text hashes (a repeat costs no provider call). */
  async vectorsByHash(space: EmbeddingSpace, hashes: readonly string[]): Promise<Map<string, Float32Array>> {
    if (hashes.length === 0) return new Map();
    const { rows } = await this.db.query<{ content_hash: string; vector: number[] }>(
      `select distinct on (content_hash) content_hash, vector from behavior_embeddings
        where tenant_id = $1 and provider = $2 and model = $3 and content_hash = any($4::text[])`,
      [space.tenantId, space.provider, space.model, hashes],
    );
    return new Map(rows.map((r) => [r.content_hash, Float32Array.from(r.vector)]));
  }

  /** Inserts; a row already there (a redelivery racing another worker) is left as it is. */
  async insert(provider: string, model: string, rows: readonly EmbeddingRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const { rowCount } = await this.db.query(
      `insert into behavior_embeddings
         (tenant_id, signal_id, field, provider, model, occurred_at, user_id, schema_id, dims, content_hash, vector)
       select t.tenant_id, t.signal_id, t.field, $1, $2, t.occurred_at, t.user_id, t.schema_id,
              array_length(t.vector, 1), t.content_hash, t.vector
         from jsonb_to_recordset($3::jsonb) as t(tenant_id text, signal_id uuid, field text,
              occurred_at timestamptz, user_id text, schema_id text, content_hash text, vector real[])
       on conflict do nothing`,
      [
        provider,
        model,
        JSON.stringify(
          rows.map((r) => ({
            tenant_id: r.tenantId,
            signal_id: r.signalId,
            field: r.field,
            occurred_at: r.occurredAt,
            user_id: r.userId,
            schema_id: r.schemaId,
            content_hash: r.contentHash,
            vector: `{${Array.from(r.vector).join(',')}}`,
          })),
        ),
      ],
    );
    return rowCount ?? 0;
  }

  /**
   * Reserves up to `wanted` items of the tenant's UTC day against the budget, under the day's row
   * lock: batches of other partitions and workers embed at the same time, and a read-then-write
   * check would let each of them spend the whole budget. Returns how many were granted (0 once the
   * day's tokens reached `tokenBudget`).
   */
  async reserve(
    tenantId: string,
    day: string,
    wanted: number,
    itemBudget: number | null,
    tokenBudget: number | null,
  ): Promise<number> {
    return transaction(this.db, async (client) => {
      await client.query(
        `insert into behavior_embedding_usage (tenant_id, day) values ($1, $2) on conflict do nothing`,
        [tenantId, day],
      );
      const { rows } = await client.query<{ tokens: string; items: number }>(
        'select tokens, items from behavior_embedding_usage where tenant_id = $1 and day = $2 for update',
        [tenantId, day],
      );
      const used = rows[0];
      if (tokenBudget !== null && Number(used.tokens) >= tokenBudget) return 0;
      const granted = itemBudget === null ? wanted : Math.max(0, Math.min(wanted, itemBudget - used.items));
      if (granted > 0) {
        await client.query(
          'update behavior_embedding_usage set items = items + $3 where tenant_id = $1 and day = $2',
          [tenantId, day, granted],
        );
      }
      return granted;
    });
  }

  /** Adds the tokens a call used, or gives back items reserved for a call that failed (negative). */
  async addUsage(tenantId: string, day: string, tokens: number, items: number): Promise<void> {
    await this.db.query(
      `update behavior_embedding_usage set tokens = tokens + $3, items = items + $4
        where tenant_id = $1 and day = $2`,
      [tenantId, day, tokens, items],
    );
  }

  /**
   * The search cache's read: count, key-hash sum and newest created_at of the space, and the rows
   * created after `since` (every row when null), in one statement and so one snapshot.
   */
  async snapshot(space: EmbeddingSpace, since: string | null): Promise<EmbeddingSpaceSnapshot> {
    const { rows } = await this.db.query<{
      n: number;
      key_sum: string;
      max_created: string | null;
      signal_id: string | null;
      user_id: string | null;
      schema_id: string | null;
      field: string | null;
      occurred_ms: string | null;
      key_hash: number | null;
      vector: string | null;
    }>(
      // The stats read key columns only (count and key sum from the primary key, the newest
      // created_at from behavior_embeddings_created_idx), never the vectors; one statement, so one
      // snapshot with the rows it returns.
      `with stats as (
         select count(*)::int as n,
                coalesce(sum(hashtext(signal_id::text || ':' || field)), 0)::text as key_sum
           from behavior_embeddings where tenant_id = $1 and provider = $2 and model = $3
       ), newest as (
         select to_char(max(created_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as max_created
           from behavior_embeddings where tenant_id = $1 and provider = $2 and model = $3
       )
       select stats.n, stats.key_sum, newest.max_created, r.signal_id, r.user_id, r.schema_id, r.field,
              (extract(epoch from r.occurred_at) * 1000)::bigint::text as occurred_ms,
              hashtext(r.signal_id::text || ':' || r.field) as key_hash,
              encode(array_send(r.vector), 'base64') as vector
         from stats cross join newest
         left join behavior_embeddings r
           on r.tenant_id = $1 and r.provider = $2 and r.model = $3
          and ($4::timestamptz is null or r.created_at > $4::timestamptz)`,
      [space.tenantId, space.provider, space.model, since],
    );
    const first = rows[0];
    return {
      count: first?.n ?? 0,
      keySum: first?.key_sum ?? '0',
      maxCreatedAt: first?.max_created ?? null,
      rows: rows
        .filter((r) => r.signal_id !== null)
        .map((r) => ({
          key: `${r.signal_id}:${r.field}`,
          signalId: r.signal_id!,
          userId: r.user_id,
          schemaId: r.schema_id!,
          field: r.field!,
          occurredAtMs: Number(r.occurred_ms),
          keyHash: r.key_hash!,
          vector: decodeFloat4Array(Buffer.from(r.vector!, 'base64')),
        })),
    };
  }
}
