import { Client } from 'pg';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DistributedSystem } from './distributed';

/**
 * `npm run dev:distributed`: each service as its own process against the local NATS and
 * Postgres. DATABASE_URL defaults to the local server's `idsync` database (created if missing).
 */
async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/idsync';
  const url = new URL(databaseUrl);
  const admin = new Client({ connectionString: databaseUrl.replace(url.pathname, '/postgres') });
  await admin.connect();
  const db = url.pathname.slice(1);
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${db}"`);
  await admin.end();
  const logDir = join(__dirname, '..', 'tmp', 'logs');
  mkdirSync(logDir, { recursive: true });
  const token = process.env.DEV_TOKEN ?? 'dev-admin-token';
  const system = new DistributedSystem({
    logDir,
    env: {
      DATABASE_URL: databaseUrl,
      NATS_URL: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
      GATEWAY_TOKENS: process.env.GATEWAY_TOKENS ?? `admin:admin:${token}`,
      CONNECTOR_SECRET_KEY: process.env.CONNECTOR_SECRET_KEY ?? 'dev-only-secret-key-change-me',
    },
  });
  await system.startAll();
  process.stdout.write(`seven services started; logs in ${logDir}; API http://127.0.0.1:${process.env.GATEWAY_PORT ?? 8080}/api (token: ${token})\n`);
  const stop = () => void system.stopAll().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
