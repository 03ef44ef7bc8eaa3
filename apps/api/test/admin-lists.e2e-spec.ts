import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../../../test/support/test-app';

// Admin lists answer at most `limit` rows (1000 by default) and page with `after`.
describe('admin lists are bounded and page (e2e)', () => {
  let t: TestApp;
  const admin = { key: TEST_ADMIN_KEY };

  beforeAll(async () => {
    t = await startTestApp();
    for (const id of ['t-a', 't-b', 't-c', 't-d', 't-e']) {
      expect((await t.request('POST', '/api/admin/tenants', { ...admin, body: { id } })).status).toBe(201);
    }
    for (let i = 0; i < 5; i++) {
      const res = await t.request('POST', '/api/admin/tenants/t-a/api-keys', {
        ...admin,
        body: { scopes: ['read'] },
      });
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => t.close());

  it('tenants: pages of `limit` after the last id, ending with a short page', async () => {
    const first = await t.request('GET', '/api/admin/tenants?limit=2', admin);
    expect(first.status).toBe(200);
    expect(first.body.map((x: { id: string }) => x.id)).toEqual(['t-a', 't-b']);
    const second = await t.request('GET', '/api/admin/tenants?limit=2&after=t-b', admin);
    expect(second.body.map((x: { id: string }) => x.id)).toEqual(['t-c', 't-d']);
    const last = await t.request('GET', '/api/admin/tenants?limit=2&after=t-d', admin);
    expect(last.body.map((x: { id: string }) => x.id)).toEqual(['t-e']);
  });

  it('API keys: every key exactly once across pages, in creation order', async () => {
    const all = (await t.request('GET', '/api/admin/tenants/t-a/api-keys', admin)).body as { id: string }[];
    expect(all).toHaveLength(5);
    const seen: string[] = [];
    for (let after: string | undefined; ;) {
      const page = await t.request(
        'GET',
        `/api/admin/tenants/t-a/api-keys?limit=2${after ? `&after=${after}` : ''}`,
        admin,
      );
      expect(page.status).toBe(200);
      expect(page.body.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.map((k: { id: string }) => k.id));
      if (page.body.length < 2) break;
      after = page.body[page.body.length - 1].id;
    }
    expect(seen).toEqual(all.map((k) => k.id));
  });

  it('refuses a limit above the cap or below 1, and a non-UUID key cursor finds nothing', async () => {
    for (const limit of ['0', '1001', 'abc']) {
      const res = await t.request('GET', `/api/admin/tenants?limit=${limit}`, admin);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_request');
    }
    const odd = await t.request('GET', '/api/admin/tenants/t-a/api-keys?after=not-a-uuid', admin);
    expect(odd.status).toBe(200);
    expect(odd.body).toEqual([]);
  });
});
