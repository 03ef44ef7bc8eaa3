import { Migration } from '@mikro-orm/migrations';

export class Migration20261204140000_embeddings_created extends Migration {
  override name = 'Migration20261204140000_embeddings_created';

  override up(): void {
    // The search cache's freshness check: the newest created_at of a space and the rows after it,
    // without reading the space's vectors.
    this.addSql(
      `create index behavior_embeddings_created_idx on behavior_embeddings (tenant_id, provider, model, created_at);`,
    );
  }

  override down(): void {
    this.addSql('drop index if exists behavior_embeddings_created_idx;');
  }
}
