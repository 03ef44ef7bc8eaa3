import { SqlParams, type Queryable } from '@lssm/nest-common';
import type pg from 'pg';
import type { SignalIssue } from '../contracts/behavior-signal.js';
import { TimeKeyset } from '../queries/time-keyset.js';

/** A failed_signals row as the API shows it. */
export interface FailedSignalRecord {
  readonly id: string;
  readonly schemaId: string | null;
  readonly schemaVersion: number | null;
  readonly signalKey: string | null;
  readonly payload: unknown;
  readonly reasons: SignalIssue[];
  readonly failedAt: string;
  readonly replayedAt: string | null;
  readonly replayedSignalId: string | null;
}

export interface FailedSignalFilter {
  readonly tenantId: string;
  readonly schemaId?: string;
  /** Inclusive, on failed_at. */
  readonly start?: Date;
  /** Exclusive, on failed_at. */
  readonly end?: Date;
}

export interface FailedSignalListQuery extends FailedSignalFilter {
  readonly replayed?: boolean;
  readonly limit: number;
  readonly cursor?: string;
}

export interface ReplayClaimQuery extends FailedSignalFilter {
  readonly ids?: readonly string[];
  readonly limit: number;
}

/** The outcome of one replayed row: the signal it became, or the reasons it still fails. */
export interface ReplayMark {
  readonly id: string;
  readonly signalId: string | null;
  readonly reasons: readonly SignalIssue[] | null;
}

interface FailedSignalRow {
  id: string;
  schema_id: string | null;
  schema_version: number | null;
  signal_key: string | null;
  payload: unknown;
  reasons: SignalIssue[];
  failed_at: Date;
  replayed_at: Date | null;
  replayed_signal_id: string | null;
  page_key: string;
}

/** Page size limit of the list: with the payload and reasons caps, a page stays around a few MB at most. */
export const MAX_FAILED_SIGNALS_PAGE = 100;
/** Listed payloads whose JSON text is longer than this are shown truncated. */
export const MAX_LISTED_PAYLOAD_BYTES = 16_384;
/** Listed reasons per row, as at ingestion. */
const MAX_LISTED_REASONS = 20;

const NEWEST_FIRST = new TimeKeyset('failed_at');
const COLUMNS = `id, schema_id, schema_version, signal_key, payload, reasons, failed_at, replayed_at, replayed_signal_id`;

// The list bounds each row, whatever was stored (rows written before payloads were capped
// can be megabytes): a big payload becomes the same truncated shape ingestion stores.
const LISTED_COLUMNS = `id, schema_id, schema_version, signal_key,
       case when octet_length(payload::text) <= ${MAX_LISTED_PAYLOAD_BYTES} then payload
            else jsonb_build_object('truncated', true, 'originalBytes', null,
                                    'preview', left(payload::text, ${MAX_LISTED_PAYLOAD_BYTES / 4})) end as payload,
       case when jsonb_typeof(reasons) = 'array' and jsonb_array_length(reasons) > ${MAX_LISTED_REASONS}
            then (select jsonb_agg(r) from (select r from jsonb_array_elements(reasons) with ordinality as e(r, n)
                                              order by n limit ${MAX_LISTED_REASONS}) as firsts)
            else reasons end as reasons,
       failed_at, replayed_at, replayed_signal_id, ${NEWEST_FIRST.keyColumn}`;

/** failed_signals: listing (keyset paging on failed_at, id) and the replay bookkeeping. */
export class FailedSignalRepository {
  constructor(private readonly pool: Queryable) {}

  async list(
    query: FailedSignalListQuery,
  ): Promise<{ items: FailedSignalRecord[]; nextCursor: string | null }> {
    const { where, params } = filterSql(query);
    if (query.replayed !== undefined) where.push(`replayed_at is ${query.replayed ? 'not ' : ''}null`);
    if (query.cursor !== undefined) where.push(NEWEST_FIRST.after(query.cursor, params));
    const limit = Math.min(query.limit, MAX_FAILED_SIGNALS_PAGE);
    const { rows } = await this.pool.query<FailedSignalRow>(
      `select ${LISTED_COLUMNS} from failed_signals where ${where.join(' and ')}
        order by ${NEWEST_FIRST.orderBy} limit ${params.add(limit + 1)}`,
      params.values,
    );
    const page = NEWEST_FIRST.page(rows, limit);
    return { items: page.rows.map(toRecord), nextCursor: page.nextCursor };
  }

  /**
   * Locks the oldest rows not yet replayed, inside the caller's transaction. SKIP LOCKED
   * keeps two concurrent replays from taking the same rows (each gets its own).
   */
  async claimForReplay(client: pg.ClientBase, query: ReplayClaimQuery): Promise<FailedSignalRecord[]> {
    const { where, params } = filterSql(query);
    where.push('replayed_at is null');
    if (query.ids !== undefined) where.push(`id = any(${params.add(query.ids)}::uuid[])`);
    const { rows } = await client.query<FailedSignalRow>(
      `select ${COLUMNS} from failed_signals where ${where.join(' and ')}
        order by failed_at, id limit ${params.add(query.limit)}
        for update skip locked`,
      params.values,
    );
    return rows.map(toRecord);
  }

  /** Records every outcome in one statement: replayed rows get replayed_at and their signal, the others their new reasons. */
  async markReplayed(
    client: pg.ClientBase,
    tenantId: string,
    marks: readonly ReplayMark[],
    now: Date,
  ): Promise<void> {
    if (marks.length === 0) return;
    await client.query(
      `update failed_signals f
          set replayed_at = case when u.signal_id is null then f.replayed_at else $2::timestamptz end,
              replayed_signal_id = coalesce(u.signal_id, f.replayed_signal_id),
              reasons = coalesce(u.reasons, f.reasons)
         from unnest($3::uuid[], $4::uuid[], $5::jsonb[]) as u(id, signal_id, reasons)
        where f.tenant_id = $1 and f.id = u.id`,
      [
        tenantId,
        now.toISOString(),
        marks.map((m) => m.id),
        marks.map((m) => m.signalId),
        marks.map((m) => (m.reasons ? JSON.stringify(m.reasons) : null)),
      ],
    );
  }
}

function filterSql(filter: FailedSignalFilter) {
  const params = new SqlParams();
  const where = [`tenant_id = ${params.add(filter.tenantId)}`];
  if (filter.schemaId !== undefined) where.push(`schema_id = ${params.add(filter.schemaId)}`);
  if (filter.start !== undefined) where.push(`failed_at >= ${params.add(filter.start.toISOString())}`);
  if (filter.end !== undefined) where.push(`failed_at < ${params.add(filter.end.toISOString())}`);
  return { where, params };
}

function toRecord(row: FailedSignalRow): FailedSignalRecord {
  return {
    id: row.id,
    schemaId: row.schema_id,
    schemaVersion: row.schema_version,
    signalKey: row.signal_key,
    payload: row.payload,
    reasons: row.reasons,
    failedAt: row.failed_at.toISOString(),
    replayedAt: row.replayed_at ? row.replayed_at.toISOString() : null,
    replayedSignalId: row.replayed_signal_id,
  };
}
