import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { Client } from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../../../test/support/test-app';
import { waitFor } from '../../../test/support/wait-for';

// The browser build as an app would ship it: the tracker's ESM entry bundled for browsers.
const bundle = () =>
  buildSync({
    entryPoints: [resolve(__dirname, '../../../libs/tracker/src/index.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020', // as `npm run build:tracker-browser`
    write: false,
  }).outputFiles[0].text;

const page = (api: string, key: string) => `<!doctype html><html><body><script type="module">
import { Tracker, IndexedDbStore } from '/tracker.js';
const tracker = new Tracker({
  host: ${JSON.stringify(api)}, key: ${JSON.stringify(key)}, store: new IndexedDbStore(indexedDB),
  batchSize: 5, flushIntervalMs: Number(new URLSearchParams(location.search).get('interval') ?? 100),
  backoffBaseMs: 100, backoffMaxMs: 400,
});
tracker.attachPageHide();
window.tracker = tracker;
</script></body></html>`;

/**
 * The page reaches the API through this proxy; switched off, it drops every connection, which is what
 * the browser sees when the network is gone (sendBeacon included, which request interception misses).
 */
function networkSwitch(target: string) {
  const state = { online: true, refused: [] as string[] };
  const server = createServer((req, res) => {
    if (!state.online) {
      state.refused.push(`${req.method} ${req.url}`);
      req.socket.destroy();
      return;
    }
    const upstream = request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return { state, server };
}

// A real headless Chromium (Debian `chromium`) loads a page from another origin than the API.
describe('tracker in a browser: offline, reload, back online (e2e, Chromium)', () => {
  let t: TestApp;
  let db: Client;
  let site: Server;
  let origin: string;
  let net: ReturnType<typeof networkSwitch>;
  let api: string;
  let browser: Browser;
  let tab: Page;

  beforeAll(async () => {
    t = await startTestApp();
    db = new Client({ connectionString: t.database.url });
    await db.connect();
    expect(
      (await t.request('POST', '/api/admin/tenants', { key: TEST_ADMIN_KEY, body: { id: 'web' } })).status,
    ).toBe(201);
    net = networkSwitch(t.baseUrl);
    await new Promise<void>((ok) => net.server.listen(0, '127.0.0.1', ok));
    api = `http://127.0.0.1:${(net.server.address() as AddressInfo).port}`;
    const js = bundle();
    let html = '';
    site = createServer((req, res) => {
      if (req.url === '/tracker.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
      } else {
        res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      }
    });
    await new Promise<void>((ok) => site.listen(0, '127.0.0.1', ok));
    origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    const created = await t.request('POST', '/api/admin/tenants/web/api-keys', {
      key: TEST_ADMIN_KEY,
      body: { type: 'publishable', allowedOrigins: [origin] },
    });
    expect(created.status).toBe(201);
    html = page(api, created.body.key);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
    tab = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => site?.close(ok));
    net?.server.closeAllConnections();
    await new Promise((ok) => net?.server.close(ok));
    await db?.end();
    await t?.close();
  });

  const stored = async () =>
    (
      await db.query(
        `select count(*)::int as n, count(distinct attributes->>'contentId')::int as distinct_ids
           from behavior_signals where tenant_id = 'web'`,
      )
    ).rows[0] as { n: number; distinct_ids: number };
  const open = async (query = '') => {
    await tab.goto(`${origin}/${query}`);
    await tab.waitForFunction(() => (window as any).tracker !== undefined);
  };
  const track = (from: number, to: number) =>
    tab.evaluate(
      async ([a, b]) => {
        const tracker = (window as any).tracker;
        for (let i = a; i <= b; i++)
          tracker.track('content.view', { contentId: `web-${i}`, durationSeconds: 2 });
        await tracker.persisted();
      },
      [from, to],
    );
  const pending = () =>
    tab.evaluate(async () => {
      const tracker = (window as any).tracker;
      await tracker.persisted();
      return tracker.pending as number;
    });

  it('keeps events through an offline spell and a reload, and stores each exactly once', async () => {
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(String(e)));
    await open();
    await track(1, 4);
    await waitFor(stored, (s) => s.n === 4, 10_000);

    // Offline: the proxy drops every connection (preflights, fetches and beacons alike).
    net.state.online = false;
    net.server.closeAllConnections();
    await track(5, 10);
    await waitFor(
      () => net.state.refused.length,
      (n) => n >= 2,
      10_000,
    );
    expect(await pending()).toBe(6);

    // The reload fires pagehide (a beacon, lost too); the new page finds the queue in IndexedDB.
    const refusedBefore = net.state.refused.length;
    await tab.reload();
    await tab.waitForFunction(() => (window as any).tracker !== undefined);
    expect(await pending()).toBe(6);
    await waitFor(
      () => net.state.refused.slice(refusedBefore),
      (r) => r.some((line) => line.includes('?key=pk_')),
      10_000,
    );
    expect(await stored()).toEqual({ n: 4, distinct_ids: 4 });

    net.state.online = true;
    await waitFor(stored, (s) => s.n >= 10, 15_000);
    await waitFor(pending, (n) => n === 0, 10_000);
    // A straggling retry or beacon would show up as an eleventh row.
    await new Promise((ok) => setTimeout(ok, 500));
    expect(await stored()).toEqual({ n: 10, distinct_ids: 10 });
    expect(errors).toEqual([]);
  });

  it('delivers the queue by beacon when the page goes away, and the next page load does not duplicate it', async () => {
    await db.query(`delete from behavior_signals where tenant_id = 'web'`);
    await open('?interval=600000');
    await track(101, 103);
    await tab.goto('about:blank');
    await waitFor(stored, (s) => s.n === 3, 10_000);
    // The beacon's answer never reaches the page, so the events stayed queued; the next load resends them.
    await open('?interval=100');
    await waitFor(pending, (n) => n === 0, 10_000);
    expect(await stored()).toEqual({ n: 3, distinct_ids: 3 });
  });
});
