import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startServiceProcess, type ServiceProcess } from '../../../test/support/service-process';
import { createTenantWithKey, startTestApp, type TestApp } from '../../../test/support/test-app';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const EXPORT_TYPES = [
  'signal',
  'metric',
  'metricValue',
  'insight',
  'alert',
  'failedSignal',
  'overlay',
  'overlayAudit',
];

const parseLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, any>);

/** One row of every kind the export reads, for (tenant, user); `tag` marks whose row it is. */
async function seedEverything(db: Client, tenant: string, user: string, tag: string): Promise<void> {
  await db.query(
    `insert into behavior_metric_days (tenant_id, user_id, metric_date, metrics) values
       ($1, $2, '2026-11-01', jsonb_build_object($3::text, '{"t":"count","p":"engagement","n":"2","v":"2"}'::jsonb)),
       ($1, $2, '2026-11-02', jsonb_build_object($3::text, '{"t":"count","p":"engagement","n":"1","v":"1"}'::jsonb))`,
    [tenant, user, `views.${tag}`],
  );
  await db.query(
    `insert into behavior_signal_metric_values (tenant_id, user_id, metric_date, metric_key, value)
     values ($1, $2, '2026-11-01', 'distinct_content', $3)`,
    [tenant, user, `content-${tag}`],
  );
  await db.query(
    `insert into behavior_insights (tenant_id, user_id, insight_type, scores, labels, segment, evidence,
                                    analyzed_at, valid_until, analysis_version)
     values ($1, $2, 'engagement', '{"engagement_score":0.5}', $3::jsonb, 'active', '{}', now(), now() + interval '1 day', 'v1')`,
    [tenant, user, JSON.stringify([tag])],
  );
  await db.query(
    `insert into behavior_alerts (tenant_id, user_id, rule, severity, incident_key, evidence)
     values ($1, $2, 'test.rule', 'high', $3, '{}')`,
    [tenant, user, `incident-${tag}`],
  );
  await db.query(
    `insert into failed_signals (id, tenant_id, schema_id, payload, reasons)
     values (gen_random_uuid(), $1, 'content.view', $2::jsonb, '[{"code":"required"}]')`,
    [tenant, JSON.stringify({ schemaId: 'content.view', userId: user, attributes: { tag } })],
  );
  await db.query(
    `insert into overlays (tenant_id, overlay_id, version, capability, scope, user_id, spec, status)
     values ($1, $2, 1, 'forms', $3::jsonb, $4, '{}', 'draft')`,
    [tenant, `overlay-${tag}`, JSON.stringify({ userId: user }), user],
  );
  await db.query(
    `insert into overlay_audit (tenant_id, overlay_id, version, capability, context, applied_at)
     values ($1, $2, 1, 'forms', $3::jsonb, now())`,
    [tenant, `overlay-${tag}`, JSON.stringify({ userId: user, role: 'agent' })],
  );
}

describe('user export (e2e)', () => {
  let t: TestApp;
  let db: Client;
  let acmeAdmin: string;
  let acmeRead: string;
  let acmeIngest: string;
  let globexAdmin: string;
  let globexIngest: string;

  beforeAll(async () => {
    // No projection: the metric rows are the ones seeded below, nothing more.
    t = await startTestApp({ overrides: { ai: { behavior: { processing: { role: 'api' } } } } });
    db = new Client({ connectionString: t.database.url });
    await db.connect();
    acmeAdmin = await createTenantWithKey(t, 'acme', ['admin']);
    acmeRead = await createTenantWithKey(t, 'acme', ['read']);
    acmeIngest = await createTenantWithKey(t, 'acme', ['ingest']);
    globexAdmin = await createTenantWithKey(t, 'globex', ['admin']);
    globexIngest = await createTenantWithKey(t, 'globex', ['ingest']);

    const ingest = async (key: string, user: string, contents: string[]) => {
      const res = await t.request('POST', '/api/ai-behavior/signals/batch', {
        key,
        body: {
          signals: contents.map((contentId, i) => ({
            schemaId: 'content.view',
            userId: user,
            timestamp: new Date(Date.now() - (contents.length - i) * 60_000).toISOString(),
            attributes: { contentId, durationSeconds: 3 },
          })),
        },
      });
      expect(res.status).toBe(200);
      expect(res.body.rejected).toBe(0);
    };
    // The same user id in another tenant, and another user of the same tenant, must not leak in.
    await ingest(acmeIngest, 'u1', ['a-u1-1', 'a-u1-2', 'a-u1-3']);
    await ingest(acmeIngest, 'u2', ['a-u2-1']);
    await ingest(globexIngest, 'u1', ['g-u1-1', 'g-u1-2']);
    await seedEverything(db, 'acme', 'u1', 'acme-u1');
    await seedEverything(db, 'acme', 'u2', 'acme-u2');
    await seedEverything(db, 'globex', 'u1', 'globex-u1');
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  const exportOf = async (user: string, key: string) => {
    const res = await fetch(`${t.baseUrl}/api/ai-behavior/users/${encodeURIComponent(user)}/export`, {
      headers: { authorization: `Bearer ${key}` },
    });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  it("streams every kind of the user's rows, framed by an export line and an end line with counts", async () => {
    const res = await exportOf('u1', acmeAdmin);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/x-ndjson/);
    expect(res.text.endsWith('\n')).toBe(true);
    const lines = parseLines(res.text);
    expect(lines[0]).toMatchObject({ type: 'export', formatVersion: 1, tenantId: 'acme', userId: 'u1' });
    expect(Date.parse(lines[0].generatedAt)).not.toBeNaN();
    const end = lines.at(-1)!;
    const data = lines.slice(1, -1);
    const byType = (type: string) => data.filter((l) => l.type === type);
    expect(end).toEqual({
      type: 'end',
      counts: {
        signal: 3,
        metric: 2,
        metricValue: 1,
        insight: 1,
        alert: 1,
        failedSignal: 1,
        overlay: 1,
        overlayAudit: 1,
      },
      total: 11,
    });
    // Types come in export order, each with the row's stored fields.
    expect([...new Set(data.map((l) => l.type))]).toEqual(EXPORT_TYPES);
    expect(byType('signal').map((s) => s.attributes.contentId)).toEqual(['a-u1-1', 'a-u1-2', 'a-u1-3']);
    expect(byType('signal').every((s) => s.userId === 'u1' && s.schemaId === 'content.view')).toBe(true);
    expect(byType('metric').map((m) => [m.date, m.metricKey, m.value])).toEqual([
      ['2026-11-01', 'views.acme-u1', '2'],
      ['2026-11-02', 'views.acme-u1', '1'],
    ]);
    expect(byType('metricValue')[0]).toMatchObject({
      metricKey: 'distinct_content',
      value: 'content-acme-u1',
    });
    expect(byType('insight')[0]).toMatchObject({ insightType: 'engagement', labels: ['acme-u1'] });
    expect(byType('alert')[0]).toMatchObject({ rule: 'test.rule', incidentKey: 'incident-acme-u1' });
    expect(byType('failedSignal')[0].payload).toMatchObject({ userId: 'u1', attributes: { tag: 'acme-u1' } });
    expect(byType('overlay')[0]).toMatchObject({ overlayId: 'overlay-acme-u1', status: 'draft' });
    expect(byType('overlayAudit')[0]).toMatchObject({
      overlayId: 'overlay-acme-u1',
      context: { userId: 'u1' },
    });
    // Nothing of another user or tenant, anywhere in the text.
    expect(res.text).not.toMatch(/u2|globex|g-u1/);
  });

  it("keeps tenants apart: the same user id in another tenant exports that tenant's rows only", async () => {
    const lines = parseLines((await exportOf('u1', globexAdmin)).text);
    expect(lines[0]).toMatchObject({ tenantId: 'globex', userId: 'u1' });
    expect(lines.at(-1)!.total).toBe(10);
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/acme/);
    expect(lines.filter((l) => l.type === 'signal').map((s) => s.attributes.contentId)).toEqual([
      'g-u1-1',
      'g-u1-2',
    ]);
  });

  it('answers an unknown user with an empty export (zero counts), not 404', async () => {
    const res = await exportOf('nobody', acmeAdmin);
    expect(res.status).toBe(200);
    const lines = parseLines(res.text);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toEqual({
      type: 'end',
      counts: Object.fromEntries(EXPORT_TYPES.map((k) => [k, 0])),
      total: 0,
    });
  });

  it('needs the admin scope: a read key gets 403, no key 401, a bad user id 400', async () => {
    const read = await t.request('GET', '/api/ai-behavior/users/u1/export', { key: acmeRead });
    expect(read.status).toBe(403);
    expect(read.body.statusCode).toBe(403);
    expect((await t.request('GET', '/api/ai-behavior/users/u1/export', { key: acmeIngest })).status).toBe(
      403,
    );
    expect((await t.request('GET', '/api/ai-behavior/users/u1/export')).status).toBe(401);
    const long = await t.request('GET', `/api/ai-behavior/users/${'x'.repeat(257)}/export`, {
      key: acmeAdmin,
    });
    expect(long.status).toBe(400);
    expect(long.body.details[0]).toMatchObject({ path: 'userId', code: 'max_length' });
  });

  it('is documented in OpenAPI with its NDJSON media type and error schemas', async () => {
    const doc = (await t.request('GET', '/docs-json')).body;
    const op = doc.paths['/api/ai-behavior/users/{userId}/export'].get;
    expect(op.operationId).toBe('exportUser');
    expect(Object.keys(op.responses['200'].content)).toEqual(['application/x-ndjson']);
    expect(op.responses['200'].content['application/x-ndjson'].schema.oneOf).toHaveLength(3);
    for (const status of ['400', '401', '403', '503']) {
      expect(op.responses[status].content['application/json'].schema.$ref).toBe(
        '#/components/schemas/ErrorResponseDto',
      );
    }
    expect(doc.components.schemas.UserExportEndLineDto.properties).toHaveProperty('counts');
  });
});

/** Resident set size of a process, in bytes (Linux). */
function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

const LARGE = 200_000;
const MB = 1024 * 1024;

describe('user export of a large user (e2e, service in a child process)', () => {
  let database: TestDatabase;
  let service: ServiceProcess;
  let dir: string;
  let key: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'user-export-'));
    const config = join(dir, 'config.yaml');
    // API only: no consumers projecting the 200k signals while the export is measured.
    writeFileSync(config, 'ai:\n  behavior:\n    processing:\n      role: api\n');
    service = await startServiceProcess({
      DATABASE_URL: database.url,
      BEHAVIOR_ADMIN_KEY: 'export-admin-key-0123456789abcdef',
      BEHAVIOR_CONFIG: config,
      LOG_LEVEL: 'warn',
      // A capped heap, as a production service runs: without a cap V8 grows its heap rather than
      // collect (RSS then rises by ~100-150 MB on the first large export and stays there); with it,
      // what the export holds at any moment is what RSS measures.
      NODE_OPTIONS: '--max-old-space-size=160',
    });
    const admin = {
      authorization: 'Bearer export-admin-key-0123456789abcdef',
      'content-type': 'application/json',
    };
    expect(
      (
        await fetch(`${service.baseUrl}/api/admin/tenants`, {
          method: 'POST',
          headers: admin,
          body: JSON.stringify({ id: 'big', name: 'big' }),
        })
      ).status,
    ).toBe(201);
    const created = await fetch(`${service.baseUrl}/api/admin/tenants/big/api-keys`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ scopes: ['admin'] }),
    });
    key = ((await created.json()) as { key: string }).key;

    // 200k signals over four months (four partitions), ~400 bytes of JSON each: about 80 MB of
    // NDJSON, more than the memory bound, so buffering the export would fail the test.
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      for (const month of ['2026-08-01', '2026-09-01', '2026-10-01', '2026-11-01']) {
        await db.query('select ensure_signal_partition($1::date)', [month]);
      }
      await db.query(
        `insert into behavior_signals (id, tenant_id, user_id, session_id, schema_id, schema_version, signal_key,
                                       source, occurred_at, ingested_at, attributes)
         select gen_random_uuid(), 'big', 'whale', 's-' || (g / 100), 'content.view', 1, 'k-' || g, 'bench',
                timestamptz '2026-08-01T00:00:00Z' + g * interval '50 seconds', now(),
                jsonb_build_object('contentId', 'content-' || g, 'durationSeconds', g % 600,
                                   'note', repeat(md5(g::text), 6))
           from generate_series(1, $1::int) g`,
        [LARGE],
      );
      // A user a tenth the size: the warm-up export before the baseline is taken.
      await db.query(
        `insert into behavior_signals (id, tenant_id, user_id, schema_id, schema_version, occurred_at, ingested_at, attributes)
         select gen_random_uuid(), 'big', 'dolphin', 'content.view', 1, timestamptz '2026-09-01T00:00:00Z' + g * interval '1 minute',
                now(), jsonb_build_object('note', repeat(md5(g::text), 6)) from generate_series(1, $1::int) g`,
        [LARGE / 10],
      );
      // Another user beside the whale: none of theirs may appear.
      await db.query(
        `insert into behavior_signals (id, tenant_id, user_id, schema_id, schema_version, occurred_at, ingested_at, attributes)
         select gen_random_uuid(), 'big', 'minnow', 'content.view', 1, timestamptz '2026-09-01T00:00:00Z' + g * interval '1 hour',
                now(), '{}' from generate_series(1, 1000) g`,
      );
      await db.query('analyze behavior_signals');
    } finally {
      await db.end();
    }
  }, 300_000);
  afterAll(async () => {
    if (service) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('streams 200k signals with bounded memory, a slow reader included, and an exact line count', async () => {
    const pid = service.child.pid!;
    const url = `${service.baseUrl}/api/ai-behavior/users/whale/export`;
    const headers = { authorization: `Bearer ${key}` };
    // Warm up (JIT, pool, route, the heap's working size) with an export a tenth the size, then
    // take the baseline: an export whose memory grew with its size would grow ten times further.
    const warmUp = await fetch(`${service.baseUrl}/api/ai-behavior/users/dolphin/export`, { headers });
    expect((await warmUp.text()).split('\n')).toHaveLength(LARGE / 10 + 3);
    const baseline = rssOf(pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 50);

    const started = Date.now();
    const res = await fetch(url, { headers });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let lines = 0;
    let bytes = 0;
    let tail = '';
    let last = '';
    let first = '';
    let paused = false;
    let signals = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      const text = tail + decoder.decode(value, { stream: true });
      const parts = text.split('\n');
      tail = parts.pop()!;
      for (const part of parts) {
        if (lines === 0) first = part;
        lines += 1;
        if (part.includes('"whale"') && part.startsWith('{"type":"signal"')) signals += 1;
        if (part.includes('minnow')) throw new Error('another user in the export');
        last = part;
      }
      if (!paused && lines > 1000) {
        // A slow reader: the service must stop reading pages while the socket is full,
        // not buffer the rest of the export.
        paused = true;
        await new Promise((r) => setTimeout(r, 3_000));
      }
    }
    const seconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, rssOf(pid));
    expect(tail).toBe('');
    expect(JSON.parse(first)).toMatchObject({ type: 'export', userId: 'whale', tenantId: 'big' });
    expect(lines).toBe(LARGE + 2);
    expect(signals).toBe(LARGE);
    expect(JSON.parse(last)).toMatchObject({ type: 'end', total: LARGE, counts: { signal: LARGE } });
    expect(bytes).toBeGreaterThan(64 * MB);
    const growth = peak - baseline;
    // The measurement, for the docs and reviews (throughput includes the 3 s pause).
    console.log(
      `user export: ${LARGE} signals, ${(bytes / MB).toFixed(1)} MB in ${seconds.toFixed(1)} s ` +
        `(${Math.round(LARGE / (seconds - 3))} rows/s without the pause); RSS baseline ` +
        `${(baseline / MB).toFixed(0)} MB, peak growth ${(growth / MB).toFixed(1)} MB`,
    );
    expect(growth).toBeLessThan(64 * MB);
  }, 300_000);

  it('stops when the client goes away mid-export, and the next export is complete', async () => {
    const headers = { authorization: `Bearer ${key}` };
    const controller = new AbortController();
    const res = await fetch(`${service.baseUrl}/api/ai-behavior/users/whale/export`, {
      headers,
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    controller.abort();
    await reader.read().catch(() => undefined);
    // Keyset pages hold no connection between them: nothing is left behind for the next caller.
    const next = await fetch(`${service.baseUrl}/api/ai-behavior/users/dolphin/export`, { headers });
    const lines = (await next.text()).trimEnd().split('\n');
    expect(lines).toHaveLength(LARGE / 10 + 2);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'end', total: LARGE / 10 });
    expect(service.child.exitCode).toBeNull();
  }, 120_000);
});
