import { Client } from 'pg';
import { DEFAULT_ADD_ONS } from '../src/add-ons';
import { ConfigError, loadConfig } from '../src/config/load-config';
import { createTenantWithKey, startTestApp, type TestApp } from '../../../test/support/test-app';
import { supportTicketsAddOn } from './support-tickets/support-tickets.add-on';
import { waitFor } from '../../../test/support/wait-for';

const DAY = 86_400_000;

// A second add-on defined only in the tests plugs in through the host's add-on list alone:
// its options join the configuration schema, its migration runs, its schema and projector load.
describe('an add-on the app does not name (e2e)', () => {
  let t: TestApp;
  let ingestKey: string;
  let readKey: string;

  beforeAll(async () => {
    t = await startTestApp({
      addOns: [...DEFAULT_ADD_ONS, supportTicketsAddOn],
      overrides: {
        ai: {
          behavior: {
            stream: { pollIntervalMs: 50 },
            addOns: { supportTickets: { enabled: true, urgentPriorities: ['p1'] } },
          },
        },
      },
    });
    ingestKey = await createTenantWithKey(t, 'desk', ['ingest']);
    readKey = await createTenantWithKey(t, 'desk', ['read']);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('validates its options with its own schema fragment, and knows its names only while listed', () => {
    const load = (addOns: typeof DEFAULT_ADD_ONS, options: unknown) => () =>
      loadConfig({
        env: {},
        addOns,
        overrides: { ai: { behavior: { addOns: { supportTickets: options } } } },
      });
    expect(
      load([...DEFAULT_ADD_ONS, supportTicketsAddOn], { enabled: true, urgentPriority: ['p1'] }),
    ).toThrow(new ConfigError(['ai.behavior.addOns.supportTickets.urgentPriority: unknown key']));
    expect(load(DEFAULT_ADD_ONS, { enabled: true })).toThrow(
      new ConfigError(['ai.behavior.addOns.supportTickets: unknown key']),
    );
  });

  it('takes its options from the configuration, with its defaults beneath', () => {
    expect(t.config.ai.behavior.addOns.supportTickets).toEqual({ enabled: true, urgentPriorities: ['p1'] });
    expect(t.config.ai.behavior.addOns.commerce.enabled).toBe(false);
  });

  it("applies its migration after the service's", async () => {
    const db = new Client({ connectionString: t.database.url });
    await db.connect();
    try {
      const tables = await db.query(`select to_regclass('support_ticket_queues') as name`);
      expect(tables.rows[0].name).toBe('support_ticket_queues');
      const applied = await db.query(`select name from mikro_orm_migrations order by id desc limit 1`);
      expect(applied.rows[0].name).toBe('Migration20261203000000_support_tickets');
    } finally {
      await db.end();
    }
  });

  it("ingests its signal and projects its projector's metrics", async () => {
    const timestamp = new Date().toISOString();
    const res = await t.request('POST', '/api/ai-behavior/signals/batch', {
      key: ingestKey,
      body: {
        signals: [
          {
            schemaId: 'support.ticket.opened',
            userId: 'c-1',
            timestamp,
            attributes: { ticketId: 'T-1', priority: 'p1' },
          },
          {
            schemaId: 'support.ticket.opened',
            userId: 'c-1',
            timestamp,
            attributes: { ticketId: 'T-2', priority: 'p3' },
          },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: any) => r.status)).toEqual(['accepted', 'accepted']);

    const total = async (metricKey: string) => {
      const metrics = await t.request(
        'GET',
        `/api/ai-behavior/users/c-1/metrics?metricKey=${metricKey}&startDate=${new Date(Date.now() - DAY).toISOString().slice(0, 10)}`,
        { key: readKey },
      );
      return (metrics.body?.metrics ?? []).reduce((n: number, m: any) => n + m.metricValue, 0);
    };
    expect(
      await waitFor(
        () => total('support.tickets_opened'),
        (n) => n === 2,
      ),
    ).toBe(2);
    expect(await total('support.urgent_tickets')).toBe(1);
  });
});
