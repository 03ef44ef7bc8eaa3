import { Migration } from '@mikro-orm/migrations';

export class Migration20261204130000_embeddings extends Migration {
  override name = 'Migration20261204130000_embeddings';

  override up(): void {
    // One row per embedded (signal, field) under a provider and model: the embedder's idempotency
    // key is the primary key, so a redelivered batch adds nothing. A repeated text copies the
    // vector of its first occurrence (content_hash) instead of calling the provider again; the
    // copy keeps search one scan and erasure one delete per user (docs/embeddings.md).
    // `vector real[]` is the column a pgvector `vector(dims)` with an HNSW index can replace.
    this.addSql(`
      create table behavior_embeddings (
        tenant_id text not null,
        signal_id uuid not null,
        field text not null,
        provider text not null,
        model text not null,
        occurred_at timestamptz not null,
        user_id text,
        schema_id text not null,
        dims integer not null,
        content_hash text not null,
        vector real[] not null,
        created_at timestamptz not null default now(),
        primary key (tenant_id, provider, model, signal_id, field),
        constraint behavior_embeddings_dims check (array_length(vector, 1) = dims)
      );
    `);
    // The repeat lookup, and the search scan's tenant/provider/model prefix.
    this.addSql(
      `create index behavior_embeddings_hash_idx on behavior_embeddings (tenant_id, provider, model, content_hash);`,
    );
    // User erasure.
    this.addSql(
      `create index behavior_embeddings_user_idx on behavior_embeddings (tenant_id, user_id) where user_id is not null;`,
    );
    // Provider work per tenant and UTC day: what the daily budget is checked against.
    this.addSql(`
      create table behavior_embedding_usage (
        tenant_id text not null,
        day date not null,
        tokens bigint not null default 0,
        items integer not null default 0,
        primary key (tenant_id, day)
      );
    `);
  }

  override down(): void {
    this.addSql('drop table if exists behavior_embedding_usage;');
    this.addSql('drop table if exists behavior_embeddings;');
  }
}
