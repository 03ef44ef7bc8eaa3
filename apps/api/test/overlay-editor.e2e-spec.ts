import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTenantWithKey, startTestApp, type TestApp } from '../../../test/support/test-app';

const CAP = 'billing.createOrder';
const baseFields = [
  { name: 'customer', label: 'Customer', type: 'string' },
  { name: 'amount', label: 'Amount', type: 'number' },
  { name: 'currency', label: 'Currency' },
  { name: 'notes', label: 'Notes' },
];

// A real headless Chromium (Debian `chromium`) drives the page served by the API.
describe('overlay editor (e2e, Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let adminKey: string;
  let readKey: string;

  beforeAll(async () => {
    t = await startTestApp({
      overrides: { overlays: { keyEncryptionKey: randomBytes(32).toString('base64') } },
    });
    adminKey = await createTenantWithKey(t, 'acme', ['admin']);
    readKey = await createTenantWithKey(t, 'acme', ['read']);
    expect(
      (
        await t.request('POST', '/api/overlays/keys', {
          key: adminKey,
          body: { algorithm: 'ed25519', keyId: 'acme-ui' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await t.request('PUT', `/api/overlays/base-specs/${CAP}`, {
          key: adminKey,
          body: { fields: baseFields },
        })
      ).status,
    ).toBe(200);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const order = () =>
    page.locator('#fields li').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.field));
  const preview = async () => JSON.parse((await page.locator('#preview').textContent()) ?? '{}');

  it('is served publicly as HTML with a strict CSP and stays out of OpenAPI', async () => {
    const res = await fetch(`${t.baseUrl}/overlay-editor`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = await fetch(`${t.baseUrl}/overlay-editor/editor.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    const doc = (await t.request('GET', '/docs-json')).body;
    expect(Object.keys(doc.paths).some((p) => p.includes('overlay-editor'))).toBe(false);
    expect(doc.paths['/api/overlays/{overlayId}/sign']).toBeDefined();
  });

  it('loads a base spec, hides, renames and reorders fields, previews and signs the overlay', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${t.baseUrl}/overlay-editor`);

    await page.fill('#api-key', adminKey);
    await page.click('#save-key');
    expect(await page.evaluate(() => sessionStorage.getItem('lssm.overlayEditor.apiKey'))).toBe(adminKey);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(await page.inputValue('#api-key')).toBe('');

    await page.fill('#capability', CAP);
    await page.click('#load-base');
    await page.waitForSelector('#fields li >> nth=3');
    expect(await order()).toEqual(['customer', 'amount', 'currency', 'notes']);
    await page.fill('#overlay-id', 'ui-overlay');

    // hide a field, rename a label
    await page.locator('li[data-field="notes"] .visible-toggle').uncheck();
    await page.locator('li[data-field="amount"] .label-input').fill('Total');
    // reorder by drag and drop, then with a button
    await page.locator('li[data-field="currency"]').dragTo(page.locator('li[data-field="customer"]'));
    expect(await order()).toEqual(['currency', 'customer', 'amount', 'notes']);
    await page.locator('li[data-field="notes"] .move-up').click();
    expect(await order()).toEqual(['currency', 'customer', 'notes', 'amount']);

    const expectedOperations = [
      { type: 'hideField', field: 'notes' },
      { type: 'renameLabel', field: 'amount', label: 'Total' },
      { type: 'reorderFields', fields: ['currency', 'customer', 'notes', 'amount'] },
    ];
    expect(await preview()).toEqual({
      overlayId: 'ui-overlay',
      capability: CAP,
      scope: {},
      operations: expectedOperations,
    });
    await page.fill('#scope-role', 'clerk');
    expect((await preview()).scope).toEqual({ role: 'clerk' });

    await page.click('#sign');
    await page.waitForFunction(() =>
      /Signed ui-overlay/.test(document.getElementById('status')!.textContent ?? ''),
    );
    expect(await page.textContent('#status')).toContain('with key acme-ui');
    expect(errors).toEqual([]);

    // What the server now holds: a signed overlay with exactly those operations.
    const stored = await t.request('GET', '/api/overlays/ui-overlay', { key: readKey });
    expect(stored.body).toMatchObject({
      status: 'signed',
      version: 1,
      keyId: 'acme-ui',
      scope: { role: 'clerk' },
    });
    expect(stored.body.spec.operations).toEqual(expectedOperations);
    const verdict = await t.request('POST', '/api/overlays/verify', {
      key: readKey,
      body: { spec: stored.body.spec, signature: stored.body.signature },
    });
    expect(verdict.body).toEqual({ valid: true });

    const applied = await t.request('POST', '/api/overlays/apply', {
      key: readKey,
      body: { capability: CAP, context: { role: 'clerk' } },
    });
    expect(applied.status).toBe(200);
    expect(
      applied.body.spec.fields.map((f: { name: string; label: string; hidden: boolean }) => [
        f.name,
        f.label,
        f.hidden,
      ]),
    ).toEqual([
      ['currency', 'Currency', false],
      ['customer', 'Customer', false],
      ['notes', 'Notes', true],
      ['amount', 'Total', false],
    ]);
    expect(applied.body.applied).toEqual([
      { overlayId: 'ui-overlay', version: 1, keyId: 'acme-ui', level: 'role' },
    ]);
    // not applied outside the role
    const other = await t.request('POST', '/api/overlays/apply', { key: readKey, body: { capability: CAP } });
    expect(other.body.applied).toEqual([]);
  });

  it('saving again after signing creates the next version as a draft', async () => {
    await page.locator('li[data-field="customer"] .label-input').fill('Client');
    await page.click('#save-draft');
    await page.waitForFunction(() =>
      /Saved draft version 2/.test(document.getElementById('status')!.textContent ?? ''),
    );
    const latest = await t.request('GET', '/api/overlays/ui-overlay', { key: readKey });
    expect(latest.body).toMatchObject({ version: 2, status: 'draft' });
  });

  it('shows server errors, e.g. a key without the admin scope', async () => {
    await page.evaluate((key) => sessionStorage.setItem('lssm.overlayEditor.apiKey', key), readKey);
    await page.click('#save-draft');
    await page.waitForFunction(() => document.getElementById('status')!.className === 'error');
    expect(await page.textContent('#status')).toMatch(/scope/);
  });
});
