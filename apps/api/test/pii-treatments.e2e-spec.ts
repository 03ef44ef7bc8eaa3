import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PiiValueCipher } from '@lssm/behavior-core';
import { createRootLogger } from '../src/observability/pino-logger';
import { createTenantWithKey, startTestApp, type TestApp } from '../../../test/support/test-app';

const SCHEMA = `
- id: crm.contact
  domain: crm
  version: 1
  summary: A contact form was sent
  retentionDays: 30
  pii: personal
  attributes:
    - { name: email, type: string, format: email, required: true, sensitive: hash }
    - { name: message, type: string, maxLength: 200, sensitive: drop }
    - { name: phone, type: string, pattern: '^[+0-9 ]+$', sensitive: encrypt }
    - { name: topic, type: enum, values: [sales, support] }
`;
const HASH_SECRET = 'e2e-hash-secret-0123456789abcdef-0123';
const KEY = randomBytes(32).toString('base64');

const EMAIL = 'ann.private@example.com';
const MESSAGE = 'please call my wife';
const PHONE = '+33 6 11 22 33 44';

describe('PII treatments (e2e): sensitive attributes are treated before PostgreSQL, masked elsewhere', () => {
  let dir: string;
  let t: TestApp;
  let db: Client;
  const logLines: string[] = [];
  const privacy = { hashSecret: HASH_SECRET, encryption: { activeKeyId: 'k1', keys: { k1: KEY } } };
  const overrides = (p: unknown = privacy) => ({
    ai: { behavior: { schemas: { starter: false, path: [dir] }, privacy: p } },
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pii-e2e-'));
    writeFileSync(join(dir, 'crm.yaml'), SCHEMA);
    // debug: everything the service would log at its most verbose.
    const logger = createRootLogger('debug', { write: (line: string) => void logLines.push(line) });
    t = await startTestApp({ overrides: overrides(), logger });
    db = new Client({ connectionString: t.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the hash, drops and encrypts, as raw SQL and the signals API both show', async () => {
    const ingest = await createTenantWithKey(t, 'pii-a', ['ingest']);
    const read = await createTenantWithKey(t, 'pii-a', ['read']);
    const body = {
      schemaId: 'crm.contact',
      userId: 'u-1',
      attributes: { email: EMAIL, message: MESSAGE, phone: PHONE, topic: 'sales' },
    };
    const res = await t.request('POST', '/api/ai-behavior/signals', { key: ingest, body });
    expect(res.status).toBe(201);
    const id = res.body.id ?? res.body.signalId;

    const row = (await db.query('select user_id, attributes from behavior_signals where id = $1', [id]))
      .rows[0];
    expect(row.user_id).toBe('u-1'); // pseudonymous user ids are stored as given
    const cipher = new PiiValueCipher(privacy);
    expect(row.attributes).toEqual({
      email: cipher.hash('pii-a', EMAIL),
      phone: expect.stringMatching(/^enc:v1:k1:/),
      topic: 'sales',
    });
    expect(cipher.decrypt('pii-a', row.attributes.phone)).toBe(PHONE);
    expect(JSON.stringify(row)).not.toMatch(/ann\.private|call my wife|11 22 33/);

    const api = await t.request('GET', `/api/ai-behavior/signals/${id}`, { key: read });
    expect(api.status).toBe(200);
    expect(api.body.attributes).toEqual(row.attributes);

    // Deterministic within the tenant (grouping works), different in another tenant.
    const again = await t.request('POST', '/api/ai-behavior/signals', { key: ingest, body });
    const otherKey = await createTenantWithKey(t, 'pii-b', ['ingest']);
    const other = await t.request('POST', '/api/ai-behavior/signals', { key: otherKey, body });
    const emails = await db.query(
      'select tenant_id, attributes->>$1 email from behavior_signals where id = any($2)',
      ['email', [again.body.id ?? again.body.signalId, other.body.id ?? other.body.signalId]],
    );
    const byTenant = Object.fromEntries(emails.rows.map((r) => [r.tenant_id, r.email]));
    expect(byTenant['pii-a']).toBe(row.attributes.email);
    expect(byTenant['pii-b']).not.toBe(row.attributes.email);
  });

  it('a failing request: no sensitive value in the answer, the logs or the failed-signal listing', async () => {
    const ingest = await createTenantWithKey(t, 'pii-c', ['ingest']);
    const read = await createTenantWithKey(t, 'pii-c', ['read']);
    const badPhone = '+33 6 55 44 33 2x'; // fails its pattern
    const badEmail = 'not-an-email-private-value';
    const res = await t.request('POST', '/api/ai-behavior/signals', {
      key: ingest,
      headers: { 'x-request-id': 'req-pii-fail' },
      body: {
        schemaId: 'crm.contact',
        userId: 'u-2',
        attributes: { email: badEmail, message: MESSAGE, phone: badPhone, topic: 'nope' },
      },
    });
    expect(res.status).toBe(422);
    const answer = JSON.stringify(res.body);
    const logs = logLines.join('\n');
    expect(logs).toContain('req-pii-fail');
    for (const text of [answer, logs]) {
      for (const secret of [badPhone, badEmail, MESSAGE]) expect(text).not.toContain(secret);
    }

    const listed = await t.request('GET', '/api/ai-behavior/failed-signals', { key: read });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0].payload.attributes).toEqual({
      email: '***',
      message: '***',
      phone: '***',
      topic: 'nope',
    });
    // An unstorable item (a NUL character) is kept as a truncated preview: cut from the masked payload.
    const unstorable = await t.request('POST', '/api/ai-behavior/signals', {
      key: ingest,
      body: { schemaId: 'crm.contact', attributes: { email: EMAIL, topic: 'sales\u0000' } },
    });
    expect(unstorable.status).toBe(422);
    const relisted = await t.request('GET', '/api/ai-behavior/failed-signals', { key: read });
    expect(relisted.body.items).toHaveLength(2);
    expect(relisted.body.items[0].payload).toMatchObject({ truncated: true });
    expect(relisted.body.items[0].payload.preview).toContain('"email":"***"');

    // A masked payload is not replayed (it would store "***"): it stays failing with its reasons.
    const replayed = await t.request('POST', '/api/ai-behavior/failed-signals/replay', {
      key: ingest,
      body: {},
    });
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ replayed: 0, stillFailing: 2 });
    expect(
      Number((await db.query("select count(*) n from behavior_signals where tenant_id = 'pii-c'")).rows[0].n),
    ).toBe(0);

    // An unknown version of a known schema: masked with every version's markings.
    const unknownVersion = await t.request('POST', '/api/ai-behavior/signals', {
      key: ingest,
      body: { schemaId: 'crm.contact', schemaVersion: 99, attributes: { email: EMAIL, topic: 'sales' } },
    });
    expect(unknownVersion.status).toBe(422);
    const last = await t.request('GET', '/api/ai-behavior/failed-signals?limit=1', { key: read });
    expect(last.body.items[0].payload.attributes).toEqual({ email: '***', topic: 'sales' });

    const stored = await db.query('select payload, reasons from failed_signals where tenant_id = $1', [
      'pii-c',
    ]);
    for (const secret of [badPhone, badEmail, MESSAGE, EMAIL])
      expect(JSON.stringify(stored.rows)).not.toContain(secret);
  });

  it('refuses to start when a schema encrypts without a key, or hashes without a secret', async () => {
    await expect(
      startTestApp({
        overrides: overrides({ hashSecret: HASH_SECRET, encryption: { activeKeyId: null, keys: {} } }),
      }),
    ).rejects.toThrow(
      /crm\.contact@1 marks attributes "sensitive: encrypt" but ai\.behavior\.privacy\.encryption\.activeKeyId is not set/,
    );
    await expect(startTestApp({ overrides: overrides({ ...privacy, hashSecret: null }) })).rejects.toThrow(
      /"sensitive: hash" but ai\.behavior\.privacy\.hashSecret is not set/,
    );
  });
});
