import { conflict, DatabasePool, notFound, transaction } from '@lssm/nest-common';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK } from '../behavior-core.tokens.js';
import type { Clock } from '../contracts/behavior-core-options.js';
import { PostgresWebhookRepository } from '../webhooks/postgres-webhook.repository.js';
import { PostgresAlertRepository, type AlertRecord, type AlertStatus } from './postgres-alert.repository.js';

const ORDER: Record<AlertStatus, number> = { open: 0, acknowledged: 1, resolved: 2 };

/**
 * Moves an alert forward: open → acknowledged → resolved (open → resolved too). Asking for the
 * state it is in changes nothing; going back is a 409. The change and its webhook events commit
 * together.
 */
@Injectable()
export class AlertLifecycleService {
  constructor(
    @Inject(DatabasePool) private readonly db: DatabasePool,
    @Inject(PostgresAlertRepository) private readonly alerts: PostgresAlertRepository,
    @Inject(PostgresWebhookRepository) private readonly webhooks: PostgresWebhookRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  move(tenantId: string, id: string, status: 'acknowledged' | 'resolved'): Promise<AlertRecord> {
    return transaction(this.db.read, async (client) => {
      const current = await this.alerts.get(client, tenantId, id, true);
      if (!current) throw notFound('alert_not_found', `No alert ${id}`);
      if (current.status === status) return current;
      if (ORDER[status] < ORDER[current.status])
        throw conflict(
          'invalid_alert_transition',
          `The alert is ${current.status}; it cannot become ${status}`,
        );
      const now = this.clock.now();
      const moved = await this.alerts.setStatus(client, tenantId, id, status, now);
      await this.webhooks.enqueue(client, [{ alertId: id, type: `alert.${status}` }], now);
      return moved;
    });
  }
}
