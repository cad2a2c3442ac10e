import { GatewayClient } from '@idsync/client';
import { cleanupNats, createTestDatabase, freePort, startSlapd, startSmtp, TEST_NATS_URL, uniqueName, waitFor, type TestDatabase, type TestSmtp } from '@idsync/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DistributedSystem } from '../tools/distributed';
import { sliceScenario } from './support/scenario';

type Slapd = Awaited<ReturnType<typeof startSlapd>>;

/** The vertical slice with the seven services as seven processes on NATS JetStream and Postgres. */
jest.setTimeout(600_000);

describe('distributed mode: seven processes', () => {
  let db: TestDatabase;
  let ldap: Slapd;
  let smtp: TestSmtp;
  let dir: string;
  let system: DistributedSystem;
  let operator: GatewayClient;
  let approver: GatewayClient;
  const prefix = uniqueName('e2e');

  beforeAll(async () => {
    [db, ldap, smtp, dir] = await Promise.all([createTestDatabase('e2e'), startSlapd(), startSmtp(), mkdtemp(join(tmpdir(), 'idsync-e2e-'))]);
    const port = await freePort();
    system = new DistributedSystem({
      logDir: dir,
      env: {
        DATABASE_URL: db.url,
        NATS_URL: TEST_NATS_URL,
        SUBJECT_PREFIX: `${prefix}.`,
        STREAM: prefix.toUpperCase(),
        GATEWAY_PORT: String(port),
        GATEWAY_TOKENS: 'alice:operator+viewer:alice-token-1,bob:approver+viewer:bob-token-22',
        CONNECTOR_SECRET_KEY: 'e2e-secret-key-0123456789',
        NOTIFICATION_SMTP_URL: smtp.url,
        NOTIFICATION_PORTAL_URL: `http://127.0.0.1:${port}`,
      },
    });
    await system.startAll();
    operator = new GatewayClient(`http://127.0.0.1:${port}`, 'alice-token-1');
    approver = operator.as('bob-token-22');
    await waitFor(() => operator.get('/api/jobs').then(() => true), 60000, 'the gateway and workflow to answer');
    await waitFor(() => operator.get('/api/connections').then(() => true), 60000, 'the connector service to answer');
  });

  afterAll(async () => {
    await system?.stopAll();
    await Promise.all([ldap?.stop(), smtp?.stop(), db?.drop(), cleanupNats(prefix.toUpperCase(), `${prefix}.`)]);
    await rm(dir, { recursive: true, force: true });
  });

  it('drives the whole slice through the REST API, checked by searching the directory', async () => {
    await sliceScenario({ operator, approver, dir, ldap, smtp });
  });
});
