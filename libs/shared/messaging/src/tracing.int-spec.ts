import { Subjects, RunState } from '@idsync/contracts';
import { inSpan, startTracing } from '@idsync/observability';
import { createTestDatabase, TEST_NATS_URL, uniqueName, waitFor, type TestDatabase } from '@idsync/testing';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { DataSource } from 'typeorm';
import { MessageBus } from './message-bus';
import { MessagingTables1763900000000 } from './migrations/messaging-tables.migration';
import { JetStreamTransport } from './transport/jetstream.transport';

describe('a trace follows a run across the bus (OpenTelemetry)', () => {
  const exporter = new InMemorySpanExporter();
  let db: TestDatabase;
  let transport: JetStreamTransport;
  const sources: DataSource[] = [];
  const buses: MessageBus[] = [];

  beforeAll(async () => {
    startTracing('test', [new SimpleSpanProcessor({ exporter })]);
    db = await createTestDatabase('trace');
    const prefix = uniqueName('tr');
    transport = await JetStreamTransport.connect({ servers: TEST_NATS_URL, stream: prefix.toUpperCase(), subjectPrefix: `${prefix}.` });
  });
  afterAll(async () => {
    for (const b of buses) await b.stop();
    for (const s of sources) await s.destroy();
    await transport.destroy();
    await db.drop();
  });

  async function bus(service: string): Promise<MessageBus> {
    const ds = new DataSource({ type: 'postgres', url: db.url, schema: service, migrations: [MessagingTables1763900000000], migrationsTableName: 'migrations' });
    await ds.initialize();
    await ds.query(`CREATE SCHEMA "${service}"`);
    await ds.runMigrations();
    sources.push(ds);
    const b = new MessageBus({ service, dataSource: ds, transport, relayIntervalMs: 100 });
    buses.push(b);
    return b;
  }

  it('links the API call, the event, its handler and what the handler publishes in one trace', async () => {
    const workflow = await bus('workflow');
    const history = await bus('history');
    const notification = await bus('notification');
    let seen = false;
    history.on(Subjects.runCompleted, async (e, { publish }) => {
      await publish(Subjects.runFailed, { run: e.run });
    });
    notification.on(Subjects.runFailed, async () => {
      seen = true;
    });
    await Promise.all([workflow.start(), history.start(), notification.start()]);

    await inSpan('POST /api/jobs/:id/runs', {}, () =>
      workflow.transaction((m) => workflow.publish(m, Subjects.runCompleted, { run: { id: 'r1', state: RunState.COMPLETED } }, { correlationId: 'r1' })),
    );
    await waitFor(() => seen);
    await waitFor(() => exporter.getFinishedSpans().some((s) => s.name === `process ${Subjects.runFailed.subject}`));

    const spans = exporter.getFinishedSpans();
    const root = spans.find((s) => s.name === 'POST /api/jobs/:id/runs')!;
    const first = spans.find((s) => s.name === `process ${Subjects.runCompleted.subject}`)!;
    const second = spans.find((s) => s.name === `process ${Subjects.runFailed.subject}`)!;
    expect(first.spanContext().traceId).toBe(root.spanContext().traceId);
    expect(second.spanContext().traceId).toBe(root.spanContext().traceId);
    expect(first.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(second.parentSpanContext?.spanId).toBe(first.spanContext().spanId);
    expect(first.attributes['idsync.run_id']).toBe('r1');
  });
});
