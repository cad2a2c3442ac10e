import { GatewayClient } from '@idsync/client';
import { cleanupNats, createTestDatabase, freePort, startSlapd, startSmtp, TEST_NATS_URL, uniqueName, waitFor, type SlapdHandle, type TestDatabase, type TestSmtp } from '@idsync/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DistributedSystem } from '../../tools/distributed';

export interface RunningSystem {
  system: DistributedSystem;
  ldap: SlapdHandle;
  smtp: TestSmtp;
  dir: string;
  /** A client with `token`; `.as(other)` for another user. */
  api(token: string): GatewayClient;
  stop(): Promise<void>;
}

/**
 * The seven services as seven processes, with a database, a stream, slapd and an SMTP
 * server of the test's own, all removed by stop().
 */
export async function startSystem(name: string, env: Record<string, string>): Promise<RunningSystem> {
  const prefix = uniqueName(name);
  const [db, ldap, smtp, dir]: [TestDatabase, SlapdHandle, TestSmtp, string] = await Promise.all([
    createTestDatabase(name), startSlapd(), startSmtp(), mkdtemp(join(tmpdir(), `idsync-${name}-`)),
  ]);
  const port = await freePort();
  const system = new DistributedSystem({
    logDir: dir,
    env: {
      DATABASE_URL: db.url,
      NATS_URL: TEST_NATS_URL,
      SUBJECT_PREFIX: `${prefix}.`,
      STREAM: prefix.toUpperCase(),
      GATEWAY_PORT: String(port),
      CONNECTOR_SECRET_KEY: `${name}-secret-key-0123456789`,
      NOTIFICATION_SMTP_URL: smtp.url,
      NOTIFICATION_PORTAL_URL: `http://127.0.0.1:${port}`,
      ...env,
    },
  });
  await system.startAll();
  const api = (token: string) => new GatewayClient(`http://127.0.0.1:${port}`, token);
  const probe = api(env.GATEWAY_TOKENS.split(',')[0].split(':').slice(2).join(':'));
  await waitFor(() => probe.get('/api/jobs').then(() => true), 60000, 'the gateway and workflow to answer');
  await waitFor(() => probe.get('/api/connections').then(() => true), 60000, 'the connector service to answer');
  return {
    system, ldap, smtp, dir, api,
    stop: async () => {
      await system.stopAll();
      await Promise.all([ldap.stop(), smtp.stop(), db.drop(), cleanupNats(prefix.toUpperCase(), `${prefix}.`)]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
