import { Subjects, IdsyncError, RunState } from '@idsync/contracts';
import { createTestDatabase, TEST_NATS_URL, uniqueName, waitFor, type TestDatabase } from '@idsync/testing';
import { DataSource } from 'typeorm';
import { EmbeddedTransport } from './transport/embedded.transport';
import { JetStreamTransport } from './transport/jetstream.transport';
import type { Transport } from './transport/transport';
import { MessageBus } from './message-bus';
import { MessagingTables1763900000000 } from './migrations/messaging-tables.migration';

async function serviceDataSource(url: string, schema: string): Promise<DataSource> {
  const ds = new DataSource({ type: 'postgres', url, schema, migrations: [MessagingTables1763900000000], migrationsTableName: 'migrations', synchronize: false });
  await ds.initialize();
  await ds.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await ds.runMigrations();
  await ds.query(`CREATE TABLE "${schema}".seen (message_id text, run_id text, n int)`);
  return ds;
}

const kinds: [string, (db: TestDatabase) => Promise<{ transport: Transport; cleanup: () => Promise<void> }>][] = [
  [
    'JetStream',
    async () => {
      const prefix = uniqueName('t');
      const t = await JetStreamTransport.connect({ servers: TEST_NATS_URL, stream: prefix.toUpperCase(), subjectPrefix: `${prefix}.`, ackWaitMs: 5000 });
      return { transport: t, cleanup: () => t.destroy() };
    },
  ],
  [
    'embedded bus',
    async (db) => {
      const ds = new DataSource({ type: 'postgres', url: db.url });
      await ds.initialize();
      const t = await EmbeddedTransport.open(ds, 'bus');
      return { transport: t, cleanup: async () => { await t.close(); await ds.destroy(); } };
    },
  ],
];

describe.each(kinds)('MessageBus over %s', (_name, makeTransport) => {
  let db: TestDatabase;
  let transport: Transport;
  let cleanup: () => Promise<void>;
  let producerDs: DataSource;
  let consumerDs: DataSource;
  const buses: MessageBus[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('msg');
    ({ transport, cleanup } = await makeTransport(db));
    producerDs = await serviceDataSource(db.url, 'producer');
    consumerDs = await serviceDataSource(db.url, 'consumer');
  });
  afterAll(async () => {
    for (const b of buses) await b.stop();
    await cleanup();
    await producerDs.destroy();
    await consumerDs.destroy();
    await db.drop();
  });

  function bus(service: string, ds: DataSource, maxDeliver = 3): MessageBus {
    const b = new MessageBus({ service, dataSource: ds, transport, maxDeliver, backoffMs: () => 100, relayIntervalMs: 100 });
    buses.push(b);
    return b;
  }

  it('delivers an outbox message once, even when the relay publishes it twice, and retries a failing handler', async () => {
    let failuresLeft = 2;
    const consumer = bus('history', consumerDs).on(Subjects.runCompleted, async (p, { manager, envelope }) => {
      if (p.run?.id === 'flaky' && failuresLeft-- > 0) throw new Error('transient');
      await manager.query(`INSERT INTO consumer.seen VALUES ($1, $2, 1)`, [envelope.id, p.run?.id]);
    });
    await consumer.start();
    const producer = bus('workflow', producerDs);
    await producer.start();

    await producer.transaction((m) =>
      producer.publish(m, Subjects.runCompleted, { run: { id: 'r1', state: RunState.COMPLETED } }, { correlationId: 'r1' }),
    );
    await producer.transaction((m) => producer.publish(m, Subjects.runCompleted, { run: { id: 'flaky' } }, { correlationId: 'flaky' }));
    // Simulate a relay crash after publishing but before marking: the same row goes out again.
    const [row] = await producerDs.query(`SELECT id, subject, body FROM producer.outbox ORDER BY seq LIMIT 1`);
    await waitFor(async () => (await consumerDs.query(`SELECT 1 FROM consumer.seen WHERE run_id = 'r1'`)).length === 1);
    await transport.publish(row.subject, row.id, row.body);
    await waitFor(async () => (await consumerDs.query(`SELECT 1 FROM consumer.seen WHERE run_id = 'flaky'`)).length === 1, 20000, 'flaky handler to succeed');
    await new Promise((r) => setTimeout(r, 500));
    const seen = await consumerDs.query(`SELECT run_id FROM consumer.seen ORDER BY run_id`);
    expect(seen.map((s: { run_id: string }) => s.run_id)).toEqual(['flaky', 'r1']);
    const pending = await producerDs.query(`SELECT count(*)::int AS n FROM producer.outbox WHERE published_at IS NULL`);
    expect(pending[0].n).toBe(0);
  });

  it('dead-letters a message that keeps failing, with the reason, and one that breaks the contract at once', async () => {
    const consumer = bus('notification', consumerDs, 2).on(Subjects.runFailed, async () => {
      throw new Error('SMTP refused: 550 mailbox unavailable');
    });
    await consumer.start();
    const producer = bus('workflow2', producerDs);
    await producer.transaction((m) => producer.publish(m, Subjects.runFailed, { run: { id: 'r2' } }, { correlationId: 'r2' }));
    await producer.start();
    const dead = await waitFor(async () => {
      const rows = await consumerDs.query(`SELECT reason, deliveries FROM consumer.dead_letters WHERE consumer LIKE 'notification%'`);
      return rows.length ? rows : undefined;
    });
    expect(dead[0].reason).toContain('gave up after 2 deliveries: SMTP refused: 550 mailbox unavailable');

    await transport.publish(Subjects.runFailed.subject, 'garbage-1', '{"not": "an envelope"');
    const broken = await waitFor(async () => {
      const rows = await consumerDs.query(`SELECT reason, deliveries FROM consumer.dead_letters WHERE message_id = 'garbage-1'`);
      return rows.length ? rows : undefined;
    });
    expect(broken[0].reason).toMatch(/not an idsync envelope/);
    expect(broken[0].deliveries).toBe(1);
  });

  it('answers requests and carries error codes back', async () => {
    const answering = bus('workflow3', consumerDs).answer(Subjects.getRun, async (q) => {
      if (q.runId === 'missing') throw new IdsyncError('RUN.NOT_FOUND', 'run missing does not exist', { runId: 'missing' });
      return { id: q.runId, state: RunState.PREVIEWED };
    });
    await answering.start();
    const asking = bus('gateway', producerDs);
    const run = await asking.request(Subjects.getRun, { runId: 'abc' });
    expect(run.id).toBe('abc');
    expect(run.state).toBe(RunState.PREVIEWED);
    await expect(asking.request(Subjects.getRun, { runId: 'missing' })).rejects.toMatchObject({ code: 'RUN.NOT_FOUND' });
  });
});
