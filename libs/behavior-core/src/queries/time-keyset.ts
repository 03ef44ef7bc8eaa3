import type { SqlParams } from '@lssm/nest-common';
import { decodeKeysetCursor, encodeKeysetCursor, keysetTimeSql } from './keyset-cursor.codec.js';

/** A row read for a keyset page: its id and its time as cursor text (see `keyColumn`). */
export interface KeysetRow {
  readonly id: string;
  readonly page_key: string;
}

/**
 * The one way time-ordered lists page (signals, alerts, failed signals): by (time column, id),
 * the id breaking ties, with an opaque cursor naming the last row shown. A page is read with one
 * row more than asked, which tells whether another page exists without a count(*).
 */
export class TimeKeyset {
  constructor(
    private readonly column: string,
    private readonly order: 'asc' | 'desc' = 'desc',
    private readonly idColumn = 'id',
  ) {}

  /** Select-list item giving each row's cursor time (microseconds: a Date would round them off). */
  get keyColumn(): string {
    return `${keysetTimeSql(this.column)} as page_key`;
  }

  get orderBy(): string {
    return `${this.column} ${this.order}, ${this.idColumn} ${this.order}`;
  }

  /**
   * The condition for rows after the cursor (invalid_cursor for anything this service did not
   * issue). The plain bound lets an index scan start at the cursor; the row comparison breaks ties.
   */
  after(cursor: string, params: SqlParams): string {
    const position = decodeKeysetCursor(cursor);
    const at = `${params.add(position.at)}::timestamptz`;
    const id = `${params.add(position.id)}::uuid`;
    const c = this.column;
    const i = this.idColumn;
    return this.order === 'desc'
      ? `${c} <= ${at} and (${c}, ${i}) < (${at}, ${id})`
      : `${c} >= ${at} and (${c}, ${i}) > (${at}, ${id})`;
  }

  /** Cuts a `limit + 1` read down to the page and its next cursor. */
  page<R extends KeysetRow>(rows: readonly R[], limit: number): { rows: R[]; nextCursor: string | null } {
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      rows: page,
      nextCursor: rows.length > limit && last ? encodeKeysetCursor({ at: last.page_key, id: last.id }) : null,
    };
  }
}
