import { Migration } from '@mikro-orm/migrations';

export class Migration20261204030000_publishable_keys extends Migration {
  override name = 'Migration20261204030000_publishable_keys';

  override up(): void {
    // A publishable key ships in a web page: it is bound to the origins listed here and,
    // optionally, to the schemas its items may name. Secret keys keep both null.
    this.addSql(`
      alter table api_keys
        add column key_type text not null default 'secret' check (key_type in ('secret', 'publishable')),
        add column allowed_origins text[],
        add column allowed_schemas text[];
    `);
    // The CORS layer reads the origins of every active publishable key; secret keys (most rows)
    // stay out of the index.
    this.addSql(`
      create index api_keys_publishable_idx on api_keys (id)
        include (allowed_origins) where key_type = 'publishable' and revoked_at is null;
    `);
  }

  override down(): void {
    this.addSql('drop index if exists api_keys_publishable_idx;');
    this.addSql(
      'alter table api_keys drop column key_type, drop column allowed_origins, drop column allowed_schemas;',
    );
  }
}
