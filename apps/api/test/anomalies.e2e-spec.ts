import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import {
  AnomalyScanService,
  verifyWebhookSignature,
  WebhookDeliveryService,
  SIGNATURE_HEADER,
} from '@lssm/behavior-core';
import { createTenantWithKey, startTestApp, type TestApp } from '../../../test/support/test-app';

const MINUTE = 60_000;
const I = 5 * MINUTE; // the default intervalMinutes
const SPIKE = 'content.view';
const STOPS = 'ui.click';
const BURST = 'search.query';

// Schedules that never fire during the test: it runs the scan and the delivery for a given `now`.
const NEVER = '0 0 1 1 *';

/** A local webhook receiver that can be taken down and brought back on the same port. */
class Receiver {
  readonly received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  private server?: http.Server;
  port = 0;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }
}

describe('anomaly detection and alert delivery (e2e)', () => {
  let t: TestApp;
  let db: Client;
  let adminKey: string;
  let readKey: string;
  let otherAdminKey: string;
  let scanner: AnomalyScanService;
  let delivery: WebhookDeliveryService;
  const receiver = new Receiver();
  let webhook: { id: string; secret: string };
  // Bucket k is [t0 + k·I, t0 + (k+1)·I); the scan of bucket k runs at its end + 61 s.
  const t0 = Math.floor(Date.now() / I) * I - 45 * I;
  const bucket = (k: number) => new Date(t0 + k * I);
  const scanAfter = (k: number) => scanner.scan({ now: new Date(t0 + (k + 1) * I + 61_000) });

  /** n signals of a schema spread over bucket k, user ids from `users`. */
  async function insertSignals(schemaId: string, k: number, n: number, users: (i: number) => string) {
    await db.query(
      `insert into behavior_signals (id, tenant_id, user_id, schema_id, schema_version, occurred_at, ingested_at, attributes)
       select gen_random_uuid(), 'acme', u.user_id, $1, 1, $2::timestamptz + (i * $3::float8 / $4) * interval '1 millisecond',
              now(), $5::jsonb
         from generate_series(0, $4::int - 1) i, lateral (select ($6::text[])[i + 1] as user_id) u`,
      [
        schemaId,
        bucket(k).toISOString(),
        I,
        n,
        JSON.stringify({ contentId: 'c-1', query: 'q', elementId: 'e' }),
        Array.from({ length: n }, (_, i) => users(i)),
      ],
    );
  }

  async function alerts(query = '', key = readKey) {
    const res = await t.request('GET', `/api/ai-behavior/alerts${query}`, { key });
    expect(res.status).toBe(200);
    return res.body.items as any[];
  }

  beforeAll(async () => {
    t = await startTestApp({
      overrides: {
        ai: {
          behavior: {
            anomalies: { schedule: NEVER },
            webhooks: { schedule: NEVER, allowPrivateNetworks: true },
          },
        },
      },
    });
    db = new Client({ connectionString: t.database.url });
    await db.connect();
    adminKey = await createTenantWithKey(t, 'acme', ['admin']);
    readKey = await createTenantWithKey(t, 'acme', ['read']);
    otherAdminKey = await createTenantWithKey(t, 'other', ['admin', 'read']);
    scanner = t.app.get(AnomalyScanService, { strict: false });
    delivery = t.app.get(WebhookDeliveryService, { strict: false });
    await db.query(`select ensure_signal_partition(date_trunc('month', $1::timestamptz)::date)`, [
      bucket(0).toISOString(),
    ]);
    await db.query(`select ensure_signal_partition(date_trunc('month', now())::date)`);
    // Three hours of steady traffic on two schemas, then:
    // content.view triples for 10 minutes (buckets 36-37) and returns; ui.click stops at bucket 38;
    // in bucket 38 one user of search.query sends 300 signals while 20 others send 3 each;
    // in bucket 39, 20 content.view items are refused (none before).
    for (let k = 0; k <= 41; k++) {
      const base = 30 + (k % 3);
      await insertSignals(SPIKE, k, k === 36 || k === 37 ? 3 * base : base, (i) => `u-${i % 10}`);
      if (k < 38) await insertSignals(STOPS, k, base, (i) => `u-${i % 10}`);
    }
    await insertSignals(BURST, 38, 60, (i) => `c-${i % 20}`);
    await insertSignals(BURST, 38, 300, () => 'bot-1');
    await db.query(
      `insert into failed_signals (id, tenant_id, schema_id, schema_version, payload, reasons, failed_at)
       select gen_random_uuid(), 'acme', $1, 1, '{}'::jsonb, '[]'::jsonb, $2::timestamptz + i * interval '1 second'
         from generate_series(1, 20) i`,
      [SPIKE, bucket(39).toISOString()],
    );
    await receiver.start();
    const created = await t.request('POST', '/api/ai-behavior/webhooks', {
      key: adminKey,
      body: { url: `http://127.0.0.1:${receiver.port}/hook`, description: 'on-call' },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    webhook = created.body;
    // The receiver is down from the start: every alert event waits in the outbox.
    await receiver.stop();
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  it('opens exactly one alert for a schema whose volume triples for 10 minutes, and resolves it after', async () => {
    for (let k = 30; k <= 35; k++) {
      const result = await scanAfter(k);
      expect(result.rules.every((r) => r.opened === 0)).toBe(true);
    }
    await scanAfter(36);
    let spikes = await alerts('?rule=core.volume_change');
    expect(spikes).toHaveLength(1);
    expect(spikes[0]).toMatchObject({
      status: 'open',
      subject: `schema:${SPIKE}`,
      userId: null,
      evidence: {
        schemaId: SPIKE,
        direction: 'spike',
        observed: 90,
        expected: 31,
        window: { start: bucket(36).toISOString(), end: bucket(37).toISOString(), minutes: 5 },
      },
    });
    expect(spikes[0].evidence.reference.counts).toHaveLength(36);
    await scanAfter(37);
    spikes = await alerts('?rule=core.volume_change');
    expect(spikes).toHaveLength(1);
    expect(spikes[0].evidence.window.start).toBe(bucket(37).toISOString());
    expect(spikes[0].evidence.firstWindow.start).toBe(bucket(36).toISOString());
    // Back to normal at 38: still open through the 10-minute cool-down, resolved at 39.
    await scanAfter(38);
    expect((await alerts(`?rule=core.volume_change&status=open`)).map((a) => a.subject)).toContain(
      `schema:${SPIKE}`,
    );
    await scanAfter(39);
    const after = (await alerts('?rule=core.volume_change')).filter((a) => a.subject === `schema:${SPIKE}`);
    expect(after).toHaveLength(1);
    expect(after[0].status).toBe('resolved');
    expect(after[0].resolvedAt).not.toBeNull();
    // Running a scan again for the same time changes nothing.
    await scanAfter(39);
    await scanAfter(40);
    expect(
      (await alerts('?rule=core.volume_change')).filter((a) => a.subject === `schema:${SPIKE}`),
    ).toHaveLength(1);
  });

  it('alerts on a schema that stops arriving', async () => {
    const stops = (await alerts('?rule=core.volume_change')).filter((a) => a.subject === `schema:${STOPS}`);
    expect(stops).toHaveLength(1);
    expect(stops[0]).toMatchObject({
      status: 'open',
      severity: 'high',
      evidence: { direction: 'drop', observed: 0, expected: 31 },
    });
  });

  it('alerts on the one user whose rate bursts, and on the refusal rate of a schema', async () => {
    const users = await alerts('?rule=core.user_rate');
    expect(users.map((a) => a.userId)).toEqual(['bot-1']);
    expect(users[0].evidence).toMatchObject({ observed: 300, window: { start: bucket(38).toISOString() } });
    const failures = await alerts('?rule=core.validation_failure_rate');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      subject: `schema:${SPIKE}`,
      evidence: { failed: 20, accepted: 30, expected: 0.01, window: { start: bucket(39).toISOString() } },
    });
  });

  it('acknowledges and resolves alerts, filters by status, severity and rule, refuses going back', async () => {
    const [stop] = (await alerts('?rule=core.volume_change&status=open')).filter(
      (a) => a.subject === `schema:${STOPS}`,
    );
    const ack = await t.request('PATCH', `/api/ai-behavior/alerts/${stop.id}`, {
      key: adminKey,
      body: { status: 'acknowledged' },
    });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ status: 'acknowledged', resolvedAt: null });
    expect(ack.body.acknowledgedAt).not.toBeNull();
    expect((await alerts('?status=acknowledged')).map((a) => a.id)).toEqual([stop.id]);
    expect((await alerts('?severity=high&rule=core.volume_change')).map((a) => a.id)).toContain(stop.id);
    // Still stopped at the next scan: the acknowledged alert is updated, not duplicated.
    await scanAfter(41);
    const still = (await alerts('?rule=core.volume_change')).filter((a) => a.subject === `schema:${STOPS}`);
    expect(still.map((a) => [a.id, a.status])).toEqual([[stop.id, 'acknowledged']]);

    const back = await t.request('PATCH', `/api/ai-behavior/alerts/${stop.id}`, {
      key: adminKey,
      body: { status: 'open' },
    });
    expect(back.status).toBe(400);
    const resolved = await t.request('PATCH', `/api/ai-behavior/alerts/${stop.id}`, {
      key: adminKey,
      body: { status: 'resolved' },
    });
    expect(resolved.body.status).toBe('resolved');
    const again = await t.request('PATCH', `/api/ai-behavior/alerts/${stop.id}`, {
      key: adminKey,
      body: { status: 'resolved' },
    });
    expect(again.status).toBe(200);
    expect(again.body.resolvedAt).toBe(resolved.body.resolvedAt);
    const late = await t.request('PATCH', `/api/ai-behavior/alerts/${stop.id}`, {
      key: adminKey,
      body: { status: 'acknowledged' },
    });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('invalid_alert_transition');
    const readOnly = await t.request('PATCH', `/api/ai-behavior/alerts/${stop.id}`, {
      key: readKey,
      body: { status: 'resolved' },
    });
    expect(readOnly.status).toBe(403);
    const badFilter = await t.request('GET', '/api/ai-behavior/alerts?status=closed', { key: readKey });
    expect(badFilter.status).toBe(400);
  });

  it('delivers each alert event once, signed, after a receiver outage', async () => {
    const expected = await db.query<{ alert_id: string; event: string }>(
      `select alert_id, event from behavior_webhook_deliveries where webhook_id = $1 order by 1, 2`,
      [webhook.id],
    );
    const events = expected.rows.map((r) => r.event);
    expect(events).toEqual(expect.arrayContaining(['alert.opened', 'alert.resolved', 'alert.acknowledged']));
    const start = Date.now();
    // Down: the first attempt fails and waits backoffSeconds (30 s), then 60 s.
    const first = await delivery.deliverDue({ now: new Date(start) });
    expect(first).toMatchObject({ attempted: expected.rowCount, delivered: 0, retrying: expected.rowCount });
    expect((await delivery.deliverDue({ now: new Date(start + 10_000) })).attempted).toBe(0);
    const second = await delivery.deliverDue({ now: new Date(start + 30_000) });
    expect(second.delivered).toBe(0);
    const log = await t.request('GET', `/api/ai-behavior/webhooks/${webhook.id}/deliveries`, {
      key: adminKey,
    });
    expect(log.status).toBe(200);
    expect(log.body.items[0]).toMatchObject({ status: 'pending', attempts: 2, deliveredAt: null });
    expect(log.body.items[0].lastError).toMatch(/ECONNREFUSED/);
    // Back after a minute and a half.
    await receiver.start();
    const third = await delivery.deliverDue({ now: new Date(start + 90_000) });
    expect(third).toMatchObject({ attempted: expected.rowCount, delivered: expected.rowCount });
    expect((await delivery.deliverDue({ now: new Date(start + 3_600_000) })).attempted).toBe(0);

    expect(receiver.received).toHaveLength(expected.rowCount!);
    const seen = receiver.received.map(({ headers, body }) => {
      const signature = String(headers[SIGNATURE_HEADER]);
      expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(
        verifyWebhookSignature(webhook.secret, body, signature, Math.floor((start + 90_000) / 1000)),
      ).toBe(true);
      expect(
        verifyWebhookSignature('whsec_wrong', body, signature, Math.floor((start + 90_000) / 1000)),
      ).toBe(false);
      const payload = JSON.parse(body);
      expect(payload.tenantId).toBe('acme');
      expect(headers['x-behavior-event']).toBe(payload.type);
      return `${payload.alert.id} ${payload.type}`;
    });
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(expected.rows.map((r) => `${r.alert_id} ${r.event}`).sort());
    const done = await t.request('GET', `/api/ai-behavior/webhooks/${webhook.id}/deliveries`, {
      key: adminKey,
    });
    expect(done.body.items.every((d: any) => d.status === 'delivered' && d.attempts === 3)).toBe(true);
    await receiver.stop();
  });

  it('isolates alerts and webhooks by tenant', async () => {
    const [any] = await alerts();
    expect(await alerts('', otherAdminKey)).toEqual([]);
    const foreignPatch = await t.request('PATCH', `/api/ai-behavior/alerts/${any.id}`, {
      key: otherAdminKey,
      body: { status: 'acknowledged' },
    });
    expect(foreignPatch.status).toBe(404);
    const foreignResolve = await t.request('POST', `/api/ai-behavior/alerts/${any.id}/resolve`, {
      key: otherAdminKey,
    });
    expect(foreignResolve.status).toBe(404);
    const theirs = await t.request('GET', '/api/ai-behavior/webhooks', { key: otherAdminKey });
    expect(theirs.body).toEqual({ items: [] });
    const mine = await t.request('GET', '/api/ai-behavior/webhooks', { key: adminKey });
    expect(mine.body.items.map((w: any) => w.id)).toEqual([webhook.id]);
    expect(JSON.stringify(mine.body)).not.toContain(webhook.secret);
    for (const [method, path] of [
      ['GET', `/api/ai-behavior/webhooks/${webhook.id}/deliveries`],
      ['DELETE', `/api/ai-behavior/webhooks/${webhook.id}`],
    ]) {
      const res = await t.request(method!, path!, { key: otherAdminKey });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('webhook_not_found');
    }
    expect((await t.request('GET', '/api/ai-behavior/webhooks', { key: readKey })).status).toBe(403);
    const deleted = await t.request('DELETE', `/api/ai-behavior/webhooks/${webhook.id}`, { key: adminKey });
    expect(deleted.status).toBe(204);
    expect((await t.request('GET', '/api/ai-behavior/webhooks', { key: adminKey })).body.items).toEqual([]);
  });

  it('documents the alert and webhook endpoints in OpenAPI', async () => {
    const doc = (await t.request('GET', '/docs-json')).body;
    const patch = doc.paths['/api/ai-behavior/alerts/{id}'].patch;
    expect(patch.operationId).toBe('updateAlert');
    expect(Object.keys(patch.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '409']));
    expect(doc.paths['/api/ai-behavior/webhooks'].post.operationId).toBe('createWebhook');
    expect(doc.paths['/api/ai-behavior/webhooks'].get.operationId).toBe('listWebhooks');
    expect(doc.paths['/api/ai-behavior/webhooks/{id}'].delete.operationId).toBe('deleteWebhook');
    expect(doc.paths['/api/ai-behavior/webhooks/{id}/deliveries'].get.operationId).toBe(
      'listWebhookDeliveries',
    );
    expect(doc.components.schemas.AlertDto.properties.status.enum).toEqual([
      'open',
      'acknowledged',
      'resolved',
    ]);
  });
});

describe('webhook URLs (e2e, default settings)', () => {
  let t: TestApp;
  let adminKey: string;

  beforeAll(async () => {
    t = await startTestApp();
    adminKey = await createTenantWithKey(t, 'acme', ['admin']);
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['http://127.0.0.1:9/hook', 'private_address'],
    ['http://localhost/hook', 'private_address'],
    ['http://10.1.2.3/hook', 'private_address'],
    ['http://192.168.0.10/hook', 'private_address'],
    ['http://169.254.169.254/latest/meta-data', 'private_address'],
    ['http://[::1]/hook', 'private_address'],
    ['http://[::ffff:127.0.0.1]/hook', 'private_address'],
    ['ftp://example.com/hook', 'unsupported_scheme'],
    ['not a url', 'invalid_url'],
  ])('refuses %s (%s)', async (url, code) => {
    const res = await t.request('POST', '/api/ai-behavior/webhooks', { key: adminKey, body: { url } });
    expect(res.status).toBe(400);
    expect(res.body.details[0]).toMatchObject({ path: 'url', code });
  });

  it('accepts a public address and shows the secret once', async () => {
    const res = await t.request('POST', '/api/ai-behavior/webhooks', {
      key: adminKey,
      body: { url: 'https://93.184.215.14/hook' },
    });
    expect(res.status).toBe(201);
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const list = await t.request('GET', '/api/ai-behavior/webhooks', { key: adminKey });
    expect(list.body.items[0]).toEqual({
      id: res.body.id,
      url: 'https://93.184.215.14/hook',
      description: null,
      createdAt: res.body.createdAt,
    });
  });
});
