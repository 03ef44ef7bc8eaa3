import { Client } from 'pg';
import {
  createTenantWithKey,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
} from '../../../test/support/test-app';
import { waitFor } from '../../../test/support/wait-for';

const ERASED = 'u-erase-7f3a';
const KEPT = 'u-keep-91bc';

type Keys = { ingest: string; admin: string; read: string };

async function keysFor(t: TestApp, tenant: string): Promise<Keys> {
  return {
    ingest: await createTenantWithKey(t, tenant, ['ingest']),
    admin: await createTenantWithKey(t, tenant, ['admin']),
    read: await createTenantWithKey(t, tenant, ['read']),
  };
}

const view = (userId: string, i: number, extra: Record<string, unknown> = {}) => ({
  schemaId: 'content.view',
  userId,
  signalKey: `${userId}-k${i}`,
  attributes: { contentId: `c-${i % 3}`, durationSeconds: 5 + (i % 50) },
  ...extra,
});

/** Every base table of the database, with whether it has a tenant_id column. */
async function tables(db: Client): Promise<{ name: string; tenant: boolean }[]> {
  const { rows } = await db.query<{ name: string; tenant: boolean }>(
    `select t.table_name as name,
            exists (select 1 from information_schema.columns c
                     where c.table_schema = 'public' and c.table_name = t.table_name and c.column_name = 'tenant_id') as tenant
       from information_schema.tables t
      where t.table_schema = 'public' and t.table_type = 'BASE TABLE' and t.table_name not like 'mikro_orm%'
      order by 1`,
  );
  return rows;
}

/**
 * Rows anywhere naming `userId`: each row's whole text (every column, jsonb included), per table,
 * restricted to `tenant` where the table has a tenant column. Plus every column that looks like a
 * user id (information_schema), compared exactly.
 */
async function rowsNaming(db: Client, userId: string, tenant: string): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const { name, tenant: hasTenant } of await tables(db)) {
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int as n from "${name}" x where strpos(x::text, $1) > 0 ${hasTenant ? 'and x.tenant_id = $2' : 'and $2::text is not null'}`,
      [userId, tenant],
    );
    if (rows[0].n > 0) found[name] = rows[0].n;
  }
  const { rows: columns } = await db.query<{ table_name: string; column_name: string }>(
    `select c.table_name, c.column_name from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.column_name like '%user%'
        and c.data_type = 'text'`,
  );
  for (const { table_name, column_name } of columns) {
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int as n from "${table_name}" where "${column_name}" = $1`,
      [userId],
    );
    // Another tenant's rows for the same id are allowed only in tables with a tenant column (checked above).
    if (rows[0].n > 0) {
      const scoped = await db.query<{ n: number }>(
        `select count(*)::int as n from information_schema.columns where table_schema = 'public'
            and table_name = $1 and column_name = 'tenant_id'`,
        [table_name],
      );
      const inTenant =
        scoped.rows[0].n > 0
          ? (
              await db.query<{ n: number }>(
                `select count(*)::int as n from "${table_name}" where "${column_name}" = $1 and tenant_id = $2`,
                [userId, tenant],
              )
            ).rows[0].n
          : rows[0].n;
      if (inTenant > 0) found[`${table_name}.${column_name}`] = inTenant;
    }
  }
  return found;
}

async function rowCounts(db: Client, tenant: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { name, tenant: hasTenant } of await tables(db)) {
    if (!hasTenant) continue;
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int as n from "${name}" where tenant_id = $1`,
      [tenant],
    );
    if (rows[0].n > 0) counts[name] = rows[0].n;
  }
  return counts;
}

async function settle(t: TestApp, id: string, key = TEST_ADMIN_KEY) {
  return waitFor(
    () => t.request('GET', `/api/ai-behavior/erasures/${id}`, { key }),
    (r) => r.body?.status === 'completed' || r.body?.status === 'failed',
    30_000,
  );
}

describe('privacy (e2e): user erasure, erasure hooks, suppression, tenant deletion', () => {
  let t: TestApp;
  let db: Client;
  let acme: Keys;
  let other: Keys;

  beforeAll(async () => {
    t = await startTestApp({
      overrides: {
        ai: {
          behavior: {
            stream: { pollIntervalMs: 50 },
            // The test runs analysis itself; a scheduled run at a 5-minute boundary would add insights
            // to the tenant whose row counts it compares before and after a deletion.
            processing: { patternDetection: { schedule: '0 0 1 1 *' } },
            addOns: { commerce: { enabled: true } },
            privacy: { erasure: { chunkSize: 7 } },
          },
        },
      },
    });
    db = new Client({ connectionString: t.database.url });
    await db.connect();
    acme = await keysFor(t, 'acme');
    other = await keysFor(t, 'other');
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  const batch = (key: string, signals: unknown[]) =>
    t.request('POST', '/api/ai-behavior/signals/batch', { key, body: { signals } });

  it('erases a user from every table, through the hooks too, and leaves other users and tenants alone', async () => {
    // Data through the API: signals (with idempotency keys), a failed signal, metrics (projection), insights.
    for (const [key, user] of [
      [acme.ingest, ERASED],
      [acme.ingest, KEPT],
      [other.ingest, ERASED],
    ] as const) {
      const res = await batch(key, [
        ...Array.from({ length: 20 }, (_, i) => view(user, i)),
        { schemaId: 'content.view', userId: user, attributes: { durationSeconds: 'not a number' } },
      ]);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ accepted: 20, rejected: 1 });
    }
    await waitFor(
      () => db.query(`select count(distinct (tenant_id, user_id))::int as n from behavior_metric_days`),
      (r) => r.rows[0].n === 3,
    );
    await waitFor(
      () =>
        db.query(`select count(*)::int as n from behavior_signal_metric_values where user_id = $1`, [ERASED]),
      (r) => r.rows[0].n > 0,
    );
    const analysis = await t.request('POST', '/api/ai-behavior/jobs/pattern-detection/run', {
      key: TEST_ADMIN_KEY,
    });
    expect(analysis.body.status).toBe('completed');
    // What the API cannot make on demand, by SQL: alerts (one about the user, one naming them in
    // its evidence, one of commerce's rule), a commerce insight, a parked signal, overlay rows.
    const [signal] = (
      await db.query(
        `select id, occurred_at from behavior_signals where tenant_id = 'acme' and user_id = $1 limit 1`,
        [ERASED],
      )
    ).rows;
    for (const tenant of ['acme', 'other']) {
      await db.query(
        `insert into behavior_alerts (tenant_id, user_id, rule, severity, incident_key, evidence) values
           ($1, $2, 'commerce.suspicious_purchase', 'high', $1 || '-a', '{}'),
           ($1, null, 'volume.change', 'low', $1 || '-b', jsonb_build_object('users', jsonb_build_array($2::text))),
           ($1, $3, 'volume.change', 'low', $1 || '-c', '{}')`,
        [tenant, ERASED, KEPT],
      );
      await db.query(
        `insert into behavior_insights (tenant_id, user_id, insight_type, scores, labels, evidence, analyzed_at, valid_until, analysis_version)
         values ($1, $2, 'commerce', '{}', '[]', '{}', now(), now() + interval '1 day', 'v1')
         on conflict do nothing`,
        [tenant, ERASED],
      );
      await db.query(
        `insert into overlay_audit (tenant_id, overlay_id, version, capability, context, applied_at)
         values ($1, 'o1', 1, 'form', jsonb_build_object('userId', $2::text), now()),
                ($1, 'o1', 1, 'form', jsonb_build_object('userId', $3::text), now())`,
        [tenant, ERASED, KEPT],
      );
      await db.query(
        `insert into overlays (tenant_id, overlay_id, version, capability, scope, user_id, spec, status)
         values ($1, 'mine', 1, 'form', jsonb_build_object('userId', $2::text), $2, '{}', 'draft')`,
        [tenant, ERASED],
      );
      // An embedding of the user's text (the embedder's row shape; the vector goes with the text).
      await db.query(
        `insert into behavior_embeddings (tenant_id, signal_id, field, provider, model, occurred_at, user_id,
                                          schema_id, dims, content_hash, vector)
         values ($1, gen_random_uuid(), 'text', 'local', 'feature-hash-v1', now(), $2, 'feedback.text', 2, 'h', '{0.6,0.8}'),
                ($1, gen_random_uuid(), 'text', 'local', 'feature-hash-v1', now(), $3, 'feedback.text', 2, 'h', '{0.6,0.8}')`,
        [tenant, ERASED, KEPT],
      );
    }
    await db.query(
      `insert into behavior_parked_signals (consumer, signal_id, occurred_at, stream_partition, error)
       values ('sink:test', $1, $2, 0, 'boom')`,
      [signal.id, signal.occurred_at],
    );
    const before = await rowsNaming(db, ERASED, 'acme');
    for (const table of [
      'behavior_signals',
      'failed_signals',
      'behavior_metric_days',
      'behavior_signal_metric_values',
      'behavior_insights',
      'behavior_alerts',
      'overlay_audit',
      'overlays',
      'behavior_embeddings',
    ])
      expect([table, before[table] ?? 0]).toEqual([table, expect.any(Number)]);
    expect(Object.keys(before).length).toBeGreaterThanOrEqual(8);
    const keysBefore = await db.query(
      `select count(*)::int as n from behavior_signal_keys where tenant_id = 'acme' and signal_key like $1`,
      [`${ERASED}-%`],
    );
    expect(keysBefore.rows[0].n).toBe(20);
    const keptBefore = await rowCounts(db, 'other');
    const keptUser = await db.query(`select count(*)::int as n from behavior_signals where user_id = $1`, [
      KEPT,
    ]);

    // Needs the admin scope.
    expect((await t.request('DELETE', `/api/ai-behavior/users/${ERASED}`, { key: acme.read })).status).toBe(
      403,
    );
    const res = await t.request('DELETE', `/api/ai-behavior/users/${ERASED}`, { key: acme.admin });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ erasureId: expect.any(String), status: 'queued' });
    const done = await settle(t, res.body.erasureId, acme.admin);
    expect(done.body).toMatchObject({
      id: res.body.erasureId,
      tenantId: 'acme',
      kind: 'user',
      status: 'completed',
      userHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      requestedBy: expect.any(String),
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
    });
    expect(done.body.counts).toMatchObject({
      behavior_signals: 20,
      behavior_signal_keys: 20,
      behavior_parked_signals: 1,
      failed_signals: 1,
      behavior_metric_days: expect.any(Number),
      behavior_signal_metric_values: expect.any(Number),
      behavior_alerts: 1, // the one naming the user in its evidence; commerce's went through its hook
      behavior_embeddings: 1,
      'hook:commerce': 2, // its insight and its alert
      'hook:overlays': 2,
      'hook:tenancy': 0,
    });
    expect(done.body.counts.behavior_insights).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(done.body)).not.toContain(ERASED);

    expect(await rowsNaming(db, ERASED, 'acme')).toEqual({});
    expect(await rowCounts(db, 'other')).toEqual(keptBefore);
    expect(
      (await db.query(`select count(*)::int as n from behavior_signals where user_id = $1`, [KEPT])).rows[0]
        .n,
    ).toBe(keptUser.rows[0].n);
    // The audit row holds no user id; another tenant's key does not see it.
    const audit = await db.query(`select * from behavior_erasures where id = $1`, [res.body.erasureId]);
    expect(JSON.stringify(audit.rows[0])).not.toContain(ERASED);
    expect(audit.rows[0].requested_by).not.toMatch(/^bk_/);
    expect(
      (await t.request('GET', `/api/ai-behavior/erasures/${res.body.erasureId}`, { key: other.admin }))
        .status,
    ).toBe(404);
    expect((await t.request('GET', `/api/ai-behavior/erasures/not-a-uuid`, { key: acme.admin })).status).toBe(
      404,
    );
  });

  it('refuses the erased user per item (422 user_suppressed), keeps nothing of it, lists hashes, and lifts', async () => {
    const res = await batch(acme.ingest, [view(ERASED, 100), view(KEPT, 100)]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 1, rejected: 1 });
    expect(res.body.results[0]).toMatchObject({
      status: 'rejected',
      errors: [{ path: 'userId', code: 'user_suppressed' }],
    });
    expect(res.body.results[1]).toMatchObject({ status: 'accepted' });
    // An invalid item of the suppressed user is answered with its errors but not kept (it names them).
    const invalid = await batch(acme.ingest, [
      { schemaId: 'content.view', userId: ERASED, attributes: { durationSeconds: 'x' } },
    ]);
    expect(invalid.body.results[0].status).toBe('rejected');
    const single = await t.request('POST', '/api/ai-behavior/signals', {
      key: acme.ingest,
      body: view(ERASED, 101),
    });
    expect(single.status).toBe(422);
    expect(single.body.code).toBe('user_suppressed');
    // The same user in another tenant is not suppressed.
    expect((await batch(other.ingest, [view(ERASED, 102)])).body.accepted).toBe(1);
    expect(await rowsNaming(db, ERASED, 'acme')).toEqual({});

    const list = await t.request('GET', '/api/ai-behavior/suppressions', { key: acme.admin });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      {
        userHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        erasureId: expect.any(String),
        createdAt: expect.any(String),
      },
    ]);
    expect(JSON.stringify(list.body)).not.toContain(ERASED);
    expect(
      (await t.request('GET', '/api/ai-behavior/suppressions', { key: other.admin })).body.items,
    ).toEqual([]);

    expect(
      (await t.request('DELETE', `/api/ai-behavior/suppressions/${ERASED}`, { key: other.admin })).status,
    ).toBe(404);
    const lift = await t.request('DELETE', `/api/ai-behavior/suppressions/${ERASED}`, { key: acme.admin });
    expect(lift.status).toBe(204);
    const again = await t.request('POST', '/api/ai-behavior/signals', {
      key: acme.ingest,
      body: view(ERASED, 103),
    });
    expect(again.status).toBe(201);
  });

  it('does not let an ingestion racing the erasure resurrect the user (suppression wins)', async () => {
    const RACER = 'u-race-55aa';
    let stop = false;
    let seq = 0;
    let suppressedSeen = 0;
    const writer = async () => {
      while (!stop) {
        const res = await batch(
          acme.ingest,
          Array.from({ length: 25 }, () => view(RACER, seq++, { signalKey: `race-${seq}` })),
        );
        suppressedSeen += res.body.results.filter(
          (r: any) => r.errors?.[0]?.code === 'user_suppressed',
        ).length;
      }
    };
    const writers = [writer(), writer(), writer(), writer()];
    await waitFor(
      () => db.query(`select count(*)::int as n from behavior_signals where user_id = $1`, [RACER]),
      (r) => r.rows[0].n >= 200,
    );
    let done;
    try {
      const res = await t.request('DELETE', `/api/ai-behavior/users/${RACER}`, { key: acme.admin });
      expect(res.status).toBe(202);
      done = await settle(t, res.body.erasureId, acme.admin);
      expect(done.body.status).toBe('completed');
      await waitFor(
        () => suppressedSeen,
        (n) => n > 0,
      );
    } finally {
      stop = true;
      await Promise.all(writers);
    }
    expect(done.body.counts.behavior_signals).toBeGreaterThanOrEqual(200);
    expect(await rowsNaming(db, RACER, 'acme')).toEqual({});
  });

  it('resumes an erasure whose worker died (expired lease) on the scheduled run', async () => {
    await batch(acme.ingest, [view('u-resume', 1), view('u-resume', 2)]);
    // A request whose job never ran: queued row and suppression, as the DELETE leaves them, then "crashed".
    const res = await t.request('DELETE', '/api/ai-behavior/users/u-resume', { key: acme.admin });
    await settle(t, res.body.erasureId, acme.admin);
    await db.query(
      `insert into behavior_erasures (id, tenant_id, kind, user_id, user_hash, requested_by, status, started_at, lease_until, attempts)
       values (gen_random_uuid(), 'acme', 'user', 'u-resume-2', 'h', 'k', 'running', now(), now() - interval '1 second', 1)`,
    );
    await db.query(
      `insert into behavior_signals (id, tenant_id, user_id, schema_id, schema_version, occurred_at, ingested_at, attributes)
       values (gen_random_uuid(), 'acme', 'u-resume-2', 'content.view', 1, now(), now(), '{}')`,
    );
    const run = await t.request('POST', '/api/ai-behavior/jobs/privacy-erasure/run', { key: TEST_ADMIN_KEY });
    expect(run.body.status).toBe('completed');
    expect(run.body.result.erasures).toEqual([
      expect.objectContaining({
        status: 'completed',
        counts: expect.objectContaining({ behavior_signals: 1 }),
      }),
    ]);
    const row = await db.query(
      `select status, user_id, attempts from behavior_erasures where user_hash = 'h'`,
    );
    expect(row.rows[0]).toEqual({ status: 'completed', user_id: null, attempts: 2 });
  });

  it('deletes a tenant, its keys and all its data by job, and nothing of another tenant', async () => {
    const doomed = await keysFor(t, 'doomed');
    await batch(doomed.ingest, [view(KEPT, 1), view('u-d', 2), { schemaId: 'content.view', attributes: {} }]);
    await t.request('POST', '/api/workflows', { key: doomed.admin, body: {} }); // whatever it answers
    await db.query(
      `insert into overlay_audit (tenant_id, overlay_id, version, capability, context, applied_at)
       values ('doomed', 'o', 1, 'form', '{}', now())`,
    );
    await db.query(
      `insert into behavior_embeddings (tenant_id, signal_id, field, provider, model, occurred_at, user_id,
                                        schema_id, dims, content_hash, vector)
       values ('doomed', gen_random_uuid(), 'text', 'local', 'feature-hash-v1', now(), 'u-d', 'feedback.text', 2, 'h', '{0.6,0.8}')`,
    );
    await db.query(
      `insert into behavior_embedding_usage (tenant_id, day, tokens, items) values ('doomed', current_date, 5, 1)`,
    );
    await waitFor(
      () => db.query(`select count(*)::int as n from behavior_metric_days where tenant_id = 'doomed'`),
      (r) => r.rows[0].n >= 2,
    );
    const otherBefore = await rowCounts(db, 'other');
    const acmeBefore = await rowCounts(db, 'acme');
    expect(Object.keys(await rowCounts(db, 'doomed')).length).toBeGreaterThanOrEqual(5);

    expect((await t.request('DELETE', '/api/admin/tenants/doomed', { key: doomed.admin })).status).toBe(401);
    expect((await t.request('DELETE', '/api/admin/tenants/nobody', { key: TEST_ADMIN_KEY })).status).toBe(
      404,
    );
    const res = await t.request('DELETE', '/api/admin/tenants/doomed', { key: TEST_ADMIN_KEY });
    expect(res.status).toBe(202);
    // Its keys stop at once.
    expect((await batch(doomed.ingest, [view('u-d', 3)])).status).toBe(401);
    const done = await settle(t, res.body.erasureId);
    expect(done.body).toMatchObject({
      kind: 'tenant',
      tenantId: 'doomed',
      status: 'completed',
      userHash: null,
    });
    expect(done.body.counts['hook:tenancy']).toBeGreaterThanOrEqual(4); // 3 keys + the tenant
    expect(done.body.counts.behavior_signals).toBe(2);
    expect(done.body.counts).toMatchObject({ behavior_embeddings: 1, behavior_embedding_usage: 1 });

    const left = await rowCounts(db, 'doomed');
    // Only the audit row of its own deletion stays (no personal data).
    expect(left).toEqual({ behavior_erasures: 1 });
    expect((await db.query(`select count(*)::int as n from tenants where id = 'doomed'`)).rows[0].n).toBe(0);
    expect(await rowCounts(db, 'other')).toEqual(otherBefore);
    const acmeAfter = await rowCounts(db, 'acme');
    expect(acmeAfter).toEqual(acmeBefore);
    expect((await t.request('DELETE', '/api/admin/tenants/doomed', { key: TEST_ADMIN_KEY })).status).toBe(
      404,
    );
  });
});

describe('privacy (e2e): pseudonymize mode', () => {
  let t: TestApp;
  let db: Client;

  beforeAll(async () => {
    t = await startTestApp({
      overrides: {
        ai: {
          behavior: {
            privacy: {
              hashSecret: 'pseudonym-e2e-secret-0123456789abcdef',
              suppression: { mode: 'pseudonymize' },
            },
          },
        },
      },
    });
    db = new Client({ connectionString: t.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  it("stores the erased user's new signals under a keyed pseudonym, the same one each time", async () => {
    const ingest = await createTenantWithKey(t, 'ps', ['ingest']);
    const admin = await createTenantWithKey(t, 'ps', ['admin']);
    await t.request('POST', '/api/ai-behavior/signals', { key: ingest, body: view('u-p', 1) });
    const res = await t.request('DELETE', '/api/ai-behavior/users/u-p', { key: admin });
    const done = await settle(t, res.body.erasureId, admin);
    expect(done.body.counts.behavior_signals).toBe(1);
    // The commerce add-on is off here: its hook is not registered.
    expect(done.body.counts).not.toHaveProperty('hook:commerce');
    expect(done.body.counts).toHaveProperty('hook:overlays', 0);
    const a = await t.request('POST', '/api/ai-behavior/signals', {
      key: ingest,
      body: view('u-p', 2, { signalKey: 'p-2' }),
    });
    const b = await t.request('POST', '/api/ai-behavior/signals', {
      key: ingest,
      body: view('u-p', 3, { signalKey: 'p-3' }),
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    const { rows } = await db.query(`select user_id from behavior_signals where id = any($1::uuid[])`, [
      [a.body.id, b.body.id],
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[0].user_id).toMatch(/^psd_[0-9a-f]{32}$/);
    expect(rows[1].user_id).toBe(rows[0].user_id);
    // (A signal key or attribute holding the id is the client's to avoid: it is stored as sent.)
    expect(await rowsNaming(db, 'u-p', 'ps')).toEqual({});
    // Erasing the user again also removes what was stored under their pseudonym.
    const again = await t.request('DELETE', '/api/ai-behavior/users/u-p', { key: admin });
    expect((await settle(t, again.body.erasureId, admin)).body.counts.behavior_signals).toBe(2);
    expect(await rowsNaming(db, rows[0].user_id, 'ps')).toEqual({});
  });
});
