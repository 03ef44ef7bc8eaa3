import { Migration } from '@mikro-orm/migrations';

export class Migration20261203000000_support_tickets extends Migration {
  override name = 'Migration20261203000000_support_tickets';

  override up(): void {
    this.addSql(`
      create table support_ticket_queues (
        tenant_id text not null,
        name text not null,
        primary key (tenant_id, name)
      );
    `);
  }
}
