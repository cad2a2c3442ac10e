import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const TEST_PG_ADMIN_URL = process.env.IDSYNC_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_NATS_URL = process.env.IDSYNC_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** A short unique name for databases, schemas, streams and subject prefixes of one test file. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`.toLowerCase();
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh database on the local Postgres, dropped by `drop()`.
 *
 * @example
 *   const db = await createTestDatabase('history'); afterAll(() => db.drop());
 */
export async function createTestDatabase(prefix = 'idsync_test'): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: TEST_PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
