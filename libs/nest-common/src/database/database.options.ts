/** How the service reaches PostgreSQL: one pool, shared by every lib. */
export interface DatabaseOptions {
  readonly url: string;
  /** Connections in the one pool, ingestion's reserved share included. */
  readonly poolSize: number;
  /**
   * Connections only ingestion may take: reads, jobs and the ORM together hold at most
   * `poolSize - ingestReserved`, so a slow report never delays a write.
   */
  readonly ingestReserved: number;
  /** Server-side statement_timeout (ms) of API reads; 0 = none. Other lanes run without one. */
  readonly readStatementTimeoutMs: number;
  /** Shown in pg_stat_activity; one name for the whole service. */
  readonly applicationName?: string;
}
