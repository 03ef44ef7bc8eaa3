import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { startServiceProcess } from '../../../test/support/service-process';

const ADMIN = 'lifecycle-admin-key-0123456789';

describe('process lifecycle (real child process)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('SIGTERM lets an in-flight request finish, then exits 0', async () => {
    const service = await startServiceProcess({ DATABASE_URL: db.url, BEHAVIOR_ADMIN_KEY: ADMIN });
    const body = JSON.stringify({ id: 'inflight', name: 'In flight' });
    const socket = connect(service.port, '127.0.0.1');
    await new Promise((ok) => socket.once('connect', ok));
    const response = new Promise<string>((ok) => {
      let data = '';
      socket.on('data', (c) => (data += c.toString()));
      socket.on('end', () => ok(data));
      socket.on('close', () => ok(data));
    });
    // Half a request is on the wire when the signal arrives.
    socket.write(
      `POST /api/admin/tenants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ADMIN}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 200));
    service.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    socket.write(body.slice(10));
    const raw = await response;
    expect({ status: raw.split('\r\n')[0], logs: raw ? '' : service.logs.join('') }).toEqual({
      status: 'HTTP/1.1 201 Created',
      logs: '',
    });
    expect(await service.exited).toBe(0);
    expect(service.logs.join('')).toContain('shutdown complete');
  });

  it('the embedded default keeps its data and admin key across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'behavior-embedded-'));
    try {
      // A first start runs initdb with fsync on: slow on a busy machine.
      const first = await startServiceProcess({ BEHAVIOR_DATA_DIR: dataDir }, undefined, 150_000);
      const adminKey = readFileSync(join(dataDir, 'admin-key'), 'utf8').trim();
      expect(first.logs.join('')).toContain(adminKey);
      const created = await fetch(`${first.baseUrl}/api/admin/tenants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'persisted', name: 'Persisted' }),
      });
      expect(created.status).toBe(201);
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);

      const second = await startServiceProcess({ BEHAVIOR_DATA_DIR: dataDir }, undefined, 150_000);
      try {
        expect(second.logs.join('')).not.toContain('Generated admin key');
        const health = await fetch(`${second.baseUrl}/api/ai-behavior/health`);
        expect((await health.json()).checks.database.status).toBe('up');
        const list = await fetch(`${second.baseUrl}/api/admin/tenants`, {
          headers: { authorization: `Bearer ${adminKey}` },
        });
        expect((await list.json()).map((t: { id: string }) => t.id)).toEqual(['persisted']);
      } finally {
        second.child.kill('SIGTERM');
        expect(await second.exited).toBe(0);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 360_000);
});
