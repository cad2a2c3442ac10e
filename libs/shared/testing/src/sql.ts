import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import { TEST_PG_ADMIN_URL } from './postgres';

/** The local MariaDB (root, no password), where tests create and drop databases of their own. */
export const TEST_MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

export interface TestSqlDatabase {
  name: string;
  url: string;
  /** Runs SQL on the test's own connection (UTC on MariaDB); rows as plain objects. */
  exec(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** A second connection of the test's own, e.g. to hold a lock while `exec` watches. */
  other(): Promise<{ exec(sql: string): Promise<unknown>; end(): Promise<void> }>;
  /** Closes the connection and drops the database (with whatever still connects to it). */
  drop(): Promise<void>;
}

/**
 * A fresh database named `name` on the local PostgreSQL or MariaDB, with a connection to it.
 *
 * @example
 *   const db = await createTestSqlDatabase('mariadb', uniqueName('idsync_sql')); afterAll(() => db.drop());
 *   await db.exec('CREATE TABLE people (id varchar(20) PRIMARY KEY)');
 */
export async function createTestSqlDatabase(engine: 'postgres' | 'mariadb', name: string): Promise<TestSqlDatabase> {
  return engine === 'postgres' ? postgres(name) : mariadb(name);
}

async function postgres(name: string): Promise<TestSqlDatabase> {
  const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const connect = async () => {
    const c = new Client({ connectionString: url.toString() });
    await c.connect();
    return c;
  };
  const client = await connect();
  return {
    name,
    url: url.toString(),
    exec: async (sql, params) => (await client.query(sql, params)).rows,
    other: async () => {
      const c = await connect();
      return { exec: (sql) => c.query(sql), end: () => c.end() };
    },
    drop: async () => {
      await client.end();
      const c = new Client({ connectionString: TEST_PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

async function mariadb(name: string): Promise<TestSqlDatabase> {
  const admin = await createConnection(TEST_MARIADB);
  await admin.query(`CREATE DATABASE \`${name}\``);
  await admin.end();
  const connect = () => createConnection({ ...TEST_MARIADB, database: name, timezone: 'Z' });
  const conn = await connect();
  await conn.query("SET time_zone = '+00:00'");
  return {
    name,
    url: `mysql://root@127.0.0.1:3306/${name}`,
    exec: async (sql, params) => {
      const [rows] = await conn.query(sql, params);
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
    },
    other: async () => {
      const c = await connect();
      return { exec: (sql) => c.query(sql), end: () => c.end() };
    },
    drop: async () => {
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}
