import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test, type TestingModule } from '@nestjs/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { Type } from 'typebox';
import {
  BehaviorCoreModule,
  InProcessJobRunner,
  SignalIngestionService,
  SignalStreamWorker,
  type SignalRecord,
} from '@lssm/behavior-core';
import { RegisterSignalSink, SinkUnavailableError, signalRecord } from '@lssm/behavior-core';
import type { BehaviorSignalSink, BehaviorSignalSinkFactory, SignalConsumerBatch } from '@lssm/behavior-core';
import { loadConfig } from '../../../apps/api/src/config/load-config';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { testDatabaseModule } from '../../../test/support/test-database-module';
import { waitFor } from '../../../test/support/wait-for';

// ---- the custom sink of docs/add-ons.md, as written there -------------------------------------
const schema = Type.Object({ url: Type.String({ pattern: '^https?://' }) }, { additionalProperties: false });

/** POSTs each batch as a JSON array of signal records; a 2xx answer is the receiver's ack. */
class WebhookSink implements BehaviorSignalSink {
  constructor(private readonly url: string) {}

  async deliver(batch: SignalConsumerBatch): Promise<void> {
    const body = JSON.stringify(batch.signals.map((s) => signalRecord(s.signal)));
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body };
    const res = await fetch(this.url, init).catch((error: unknown) => {
      throw new SinkUnavailableError(`webhook ${this.url}: ${String(error)}`);
    });
    if (!res.ok) throw new SinkUnavailableError(`webhook ${this.url} answered ${res.status}`);
  }
}

@RegisterSignalSink()
@Injectable()
export class WebhookSinkType implements BehaviorSignalSinkFactory<{ url: string }> {
  readonly type = 'webhook';
  readonly settingsSchema = schema;
  create(settings: { url: string }): WebhookSink {
    return new WebhookSink(settings.url);
  }
}

@Module({ providers: [WebhookSinkType] })
export class WebhookSinkModule {}
// -----------------------------------------------------------------------------------------------

function settings(sinks: unknown[]) {
  return loadConfig({
    env: {},
    // The host registers the type with its own module, so it declares the name to the loader.
    hostExtensions: { signalSinkTypes: ['webhook'] },
    overrides: {
      ai: {
        behavior: {
          processing: { role: 'all' },
          stream: { partitions: 8, lanes: 2, leaseTtlMs: 1500, leaseRenewMs: 200, pollIntervalMs: 50 },
          sinks,
        },
      },
    },
  }).ai.behavior;
}

async function boot(database: TestDatabase, sinks: unknown[]): Promise<TestingModule> {
  const app = await Test.createTestingModule({
    imports: [
      EventEmitterModule.forRoot(),
      testDatabaseModule(database.url),
      BehaviorCoreModule.forRoot({
        settings: settings(sinks),
        seams: { jobRunner: { useFactory: () => new InProcessJobRunner({ attempts: 1, retryDelayMs: 0 }) } },
      }),
      WebhookSinkModule,
    ],
  }).compile();
  app.useLogger(false);
  await app.init();
  return app;
}

describe('a custom sink type registered by a host module (integration)', () => {
  let database: TestDatabase;
  let receiver: Server;
  let url: string;
  const received: SignalRecord[] = [];
  let failNext = 0;
  // While set, the receiver keeps requests open without answering (a hung receiver).
  let held: (() => void)[] | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (held) {
          held.push(() => {
            received.push(...(JSON.parse(Buffer.concat(chunks).toString()) as SignalRecord[]));
            res.writeHead(204).end();
          });
          return;
        }
        if (failNext > 0) {
          failNext--;
          res.writeHead(503).end();
          return;
        }
        received.push(...(JSON.parse(Buffer.concat(chunks).toString()) as SignalRecord[]));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/signals`;
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver?.close(resolve));
    await database?.drop();
  });

  it('is picked up by its type from ai.behavior.sinks and receives every committed signal, each user in order', async () => {
    const app = await boot(database, [{ name: 'audit', type: 'webhook', url, batchSize: 30 }]);
    try {
      failNext = 2;
      const ingestion = app.get(SignalIngestionService);
      const results = (
        await Promise.all(
          Array.from({ length: 12 }, (_, u) =>
            ingestion.ingest(
              'custom-co',
              Array.from({ length: 10 }, (_, i) => ({
                schemaId: 'content.view',
                userId: `user-${u}`,
                attributes: { contentId: `c-${i}` },
              })),
            ),
          ),
        )
      ).flat();
      expect(results.every((r) => r.status === 'accepted')).toBe(true);
      await waitFor(
        () => new Set(received.map((r) => r.id)).size,
        (n) => n === results.length,
      );
      expect(failNext).toBe(0);

      const db = new Client({ connectionString: database.url });
      await db.connect();
      const { rows } = await db
        .query<{ user_id: string; id: string }>(
          `select user_id, id::text from behavior_signals where tenant_id = 'custom-co' order by xid, seq`,
        )
        .finally(() => db.end());
      const byUser = (pairs: { user: string; id: string }[]) => {
        const seen = new Set<string>();
        const out = new Map<string, string[]>();
        for (const { user, id } of pairs) {
          if (seen.has(id)) continue;
          seen.add(id);
          out.set(user, [...(out.get(user) ?? []), id]);
        }
        return out;
      };
      expect(byUser(received.map((r) => ({ user: r.userId!, id: r.id })))).toEqual(
        byUser(rows.map((r) => ({ user: r.user_id, id: r.id }))),
      );
      expect(received[0]).toMatchObject({ tenantId: 'custom-co', schemaId: 'content.view', sessionId: null });
      // A drain finds nothing left: the checkpoint is past everything delivered.
      expect(await app.get(SignalStreamWorker).drain(['sink:audit'])).toBe(0);
    } finally {
      await app.close();
    }
  });

  it('a hung receiver holds up its own sink and nothing else: metric projection keeps pace meanwhile', async () => {
    const app = await boot(database, [{ name: 'audit', type: 'webhook', url, batchSize: 30 }]);
    const db = new Client({ connectionString: database.url });
    await db.connect();
    const taken = async (consumer: string) =>
      Number(
        (
          await db.query(
            `select coalesce(sum(signals), 0)::int n from behavior_stream_checkpoints where consumer = $1`,
            [consumer],
          )
        ).rows[0].n,
      );
    try {
      // The previous test's app may have closed before both consumers caught up: let them, first.
      const total = Number((await db.query('select count(*)::int n from behavior_signals')).rows[0].n);
      await waitFor(
        () => taken('metrics'),
        (n) => n === total,
      );
      await waitFor(
        () => taken('sink:audit'),
        (n) => n === total,
      );
      const before = { metrics: total, sink: total };
      held = [];
      const results = await app.get(SignalIngestionService).ingest(
        'hung-co',
        Array.from({ length: 40 }, (_, i) => ({
          schemaId: 'content.view',
          userId: `user-${i % 16}`,
          attributes: { contentId: `c-${i}` },
        })),
      );
      expect(results.every((r) => r.status === 'accepted')).toBe(true);
      await waitFor(
        () => taken('metrics'),
        (n) => n === before.metrics + 40,
      );
      expect(held.length).toBeGreaterThan(0); // the sink's deliveries are waiting on the receiver
      expect(await taken('sink:audit')).toBe(before.sink);
      const waiting = held;
      held = undefined;
      for (const answer of waiting) answer();
      await waitFor(
        () => taken('sink:audit'),
        (n) => n === before.sink + 40,
      );
    } finally {
      for (const answer of held ?? []) answer();
      held = undefined;
      await db.end();
      await app.close();
    }
  });

  it("refuses start-up when an entry's settings do not fit its type's schema, naming path and reason", async () => {
    await expect(boot(database, [{ name: 'audit', type: 'webhook', uri: url }])).rejects.toThrow(
      [
        'Invalid configuration:',
        '  - ai.behavior.sinks.0.url: required by sink type "webhook"',
        '  - ai.behavior.sinks.0.uri: unknown setting of sink type "webhook"',
      ].join('\n'),
    );
  });
});
