import { Client } from 'pg';
import { createRootLogger } from '../src/observability/pino-logger';
import { createTenantWithKey, startTestApp, type TestApp } from '../../../test/support/test-app';

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  tenantId?: string;
  [key: string]: unknown;
}

describe('request logs (e2e): request id and tenant id on every line of a request', () => {
  let t: TestApp;
  const lines: LogLine[] = [];

  beforeAll(async () => {
    const logger = createRootLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    t = await startTestApp({ logger });
  });
  afterAll(async () => {
    await t?.close();
  });

  const linesOf = (reqId: string) => lines.filter((line) => line.reqId === reqId);

  it('a request that succeeds: its lines carry reqId and tenantId', async () => {
    const key = await createTenantWithKey(t, 'logs-ok', ['ingest']);
    const res = await t.request('POST', '/api/ai-behavior/signals', {
      key,
      headers: { 'x-request-id': 'req-ok-1' },
      body: { schemaId: 'content.view', userId: 'u-1', attributes: { contentId: 'a' } },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe('req-ok-1');
    const mine = linesOf('req-ok-1');
    expect(mine.map((line) => line.msg)).toContain('request completed');
    expect(mine.filter((line) => line.tenantId !== 'logs-ok')).toEqual([]);
    // Without OTEL_* variables nothing is traced (so nothing can fail to export).
    expect(mine.filter((line) => line.traceId !== undefined)).toEqual([]);
  });

  it('a request that fails with a 5xx: the error line carries reqId and tenantId too', async () => {
    const key = await createTenantWithKey(t, 'logs-fail', ['read']);
    // A broken table is a server fault (not a client error, not an outage): a 500.
    const db = new Client({ connectionString: t.database.url });
    await db.connect();
    await db.query('alter table behavior_signal_metrics rename to behavior_signal_metrics_gone');
    try {
      const res = await t.request('GET', '/api/ai-behavior/users/u-1/metrics', {
        key,
        headers: { 'x-request-id': 'req-fail-1' },
      });
      expect(res.status).toBeGreaterThanOrEqual(500);
      const mine = linesOf('req-fail-1');
      const errors = mine.filter((line) => line.level >= 40 && line.msg !== 'request completed');
      expect(errors.length).toBeGreaterThan(0);
      expect(mine.find((line) => line.msg === 'request completed')).toMatchObject({
        res: { statusCode: res.status },
      });
      expect(mine.filter((line) => line.tenantId !== 'logs-fail')).toEqual([]);
      // Nothing of that request was logged without its request id.
      expect(lines.filter((line) => line.level >= 40 && !line.reqId)).toEqual([]);
    } finally {
      await db.query('alter table behavior_signal_metrics_gone rename to behavior_signal_metrics');
      await db.end();
    }
  });
});
