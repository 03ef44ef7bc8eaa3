import { Inject, Injectable, Logger } from '@nestjs/common';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { BEHAVIOR_CORE_OPTIONS, CLOCK } from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions, Clock } from '../contracts/behavior-core-options.js';
import { isPrivateAddress } from './webhook-address.policy.js';
import { signWebhook, SIGNATURE_HEADER } from './webhook-signature.js';
import { PostgresWebhookRepository, type ClaimedDelivery } from './postgres-webhook.repository.js';

export interface WebhookDeliveryResult {
  readonly attempted: number;
  readonly delivered: number;
  readonly retrying: number;
  readonly failed: number;
}

type Outcome = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

/**
 * Sends due outbox rows (the `webhook-delivery` task, and right after a scan that queued some):
 * POST of the stored payload, signed; a 2xx delivers, anything else retries after
 * backoffSeconds·2^(attempt−1) (at most maxBackoffSeconds) until maxAttempts, then `failed`.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger('WebhookDelivery');

  constructor(
    @Inject(PostgresWebhookRepository) private readonly webhooks: PostgresWebhookRepository,
    @Inject(BEHAVIOR_CORE_OPTIONS) private readonly options: BehaviorCoreOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async deliverDue(scope: { now?: Date } = {}): Promise<WebhookDeliveryResult> {
    const settings = this.options.settings.webhooks;
    const now = scope.now ?? this.clock.now();
    const claimed = await this.webhooks.claimDue(now, settings.batchSize, settings.timeoutMs * 2 + 30_000);
    const outcomes = await Promise.all(claimed.map((d) => this.attempt(d, now)));
    let delivered = 0;
    let retrying = 0;
    let failed = 0;
    for (const [i, outcome] of outcomes.entries()) {
      const delivery = claimed[i]!;
      if (outcome.ok) {
        delivered++;
        await this.webhooks.markDelivered(delivery.id, now, outcome.statusCode);
        continue;
      }
      const retryAt =
        delivery.attempt >= settings.maxAttempts
          ? null
          : new Date(now.getTime() + this.backoffMs(delivery.attempt));
      if (retryAt) retrying++;
      else failed++;
      this.logger.warn(
        `delivery ${delivery.id} (tenant ${delivery.tenantId}, attempt ${delivery.attempt}) failed: ${outcome.error}`,
      );
      await this.webhooks.markFailed(delivery.id, outcome, retryAt);
    }
    return { attempted: claimed.length, delivered, retrying, failed };
  }

  backoffMs(attempt: number): number {
    const { backoffSeconds, maxBackoffSeconds } = this.options.settings.webhooks;
    return Math.min(backoffSeconds * 2 ** (attempt - 1), maxBackoffSeconds) * 1000;
  }

  private attempt(delivery: ClaimedDelivery, now: Date): Promise<Outcome> {
    const { timeoutMs, allowPrivateNetworks } = this.options.settings.webhooks;
    const body = JSON.stringify(delivery.payload);
    const url = new URL(delivery.url);
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<Outcome>((resolve) => {
      const request = client.request(
        url,
        {
          method: 'POST',
          timeout: timeoutMs,
          // Checked at connect time too, so a name re-pointed at a private address after the
          // webhook was registered is refused (DNS rebinding).
          lookup: allowPrivateNetworks ? undefined : guardedLookup,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'lssm-behavior-webhooks/1',
            [SIGNATURE_HEADER]: signWebhook(delivery.secret, body, Math.floor(now.getTime() / 1000)),
            'x-behavior-event': delivery.event,
            // The same on every attempt of one delivery: receivers dedupe on it.
            'x-behavior-delivery': delivery.id,
          },
        },
        (response) => {
          response.resume();
          const statusCode = response.statusCode ?? 0;
          response.on('end', () =>
            resolve(
              statusCode >= 200 && statusCode < 300
                ? { ok: true, statusCode }
                : { ok: false, statusCode, error: `HTTP ${statusCode}` },
            ),
          );
          response.on('error', (error) => resolve({ ok: false, statusCode, error: error.message }));
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      request.on('error', (error) => resolve({ ok: false, statusCode: null, error: error.message }));
      request.end(body);
    });
  }
}

const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const list = addresses as unknown as LookupAddress[];
    const refused = list.find((a) => isPrivateAddress(a.address));
    if (refused) return callback(new Error(`refused: ${hostname} resolves to ${refused.address}`), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
};
