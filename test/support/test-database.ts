import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ENV, TEMPLATE_DB } from './test-services';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A database of its own for one test file, cloned from the migrated template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env[ENV.adminUrl];
  if (!adminUrl) throw new Error(`${ENV.adminUrl} is not set: run integration tests through npm test`);
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: async () => {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export function testRedisUrl(): string {
  const url = process.env[ENV.redisUrl];
  if (!url) throw new Error(`${ENV.redisUrl} is not set: run integration tests through npm test`);
  return url;
}
