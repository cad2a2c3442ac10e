import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { OperationKind, Subjects } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import { waitFor } from '@idsync/testing';
import { testPlatform, type TestPlatform } from '@idsync/testing-platform';
import { DataSource } from 'typeorm';
import { HistoryModule } from './history.module';

describe('history service', () => {
  let platform: TestPlatform;
  let app: INestApplicationContext;

  beforeAll(async () => {
    platform = await testPlatform('hist');
    app = await NestFactory.createApplicationContext(HistoryModule.register(platform), { logger: false });
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await platform?.close();
  });

  it('records each applied change once, answers queries by run and by object, and refuses to rewrite history', async () => {
    const bus = app.get(MessageBus);
    const ds = app.get(DataSource);
    const change = {
      runId: 'run-1', jobId: 'job-1', kind: OperationKind.UPDATE, dn: 'uid=ada,ou=people,dc=example,dc=org', sourceKey: 'E1', requestedBy: 'alice',
      appliedAt: '2026-11-23T10:00:00.000Z', changes: [{ attribute: 'title', before: { values: ['Engineer'] }, after: { values: ['Architect'] } }],
    };
    const id = await bus.transaction((m) => bus.publish(m, Subjects.objectChanged, change, { correlationId: 'run-1' }));
    await bus.transaction((m) => bus.publish(m, Subjects.objectChanged, { ...change, dn: 'uid=bob,ou=people,dc=example,dc=org', sourceKey: 'E2', appliedAt: '2026-11-23T10:00:01.000Z' }, { correlationId: 'run-1' }));
    // the same event delivered again (a relay that crashed before marking it): recorded once
    const [row] = await ds.query(`SELECT body FROM history.outbox WHERE id = $1`, [id]);
    await platform.transport.publish(Subjects.objectChanged.subject, id, row.body);

    const page = await waitFor(async () => {
      const p = await bus.request(Subjects.queryChanges, { runId: 'run-1', limit: 10 });
      return p.total === 2 ? p : undefined;
    });
    expect(page.changes.map((c) => c.sourceKey)).toEqual(['E1', 'E2']);
    expect(page.changes[0]).toMatchObject({ requestedBy: 'alice', dn: change.dn, changes: [{ attribute: 'title', before: { values: ['Engineer'] }, after: { values: ['Architect'] } }] });
    const byObject = await bus.request(Subjects.queryChanges, { object: 'UID=ADA,ou=people,dc=example,dc=org' });
    expect(byObject.total).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect((await ds.query(`SELECT count(*)::int AS n FROM history.change_records`))[0].n).toBe(2);
    await expect(ds.query(`UPDATE history.change_records SET dn = 'x'`)).rejects.toThrow(/history is immutable: UPDATE refused/);
    await expect(ds.query(`DELETE FROM history.change_records`)).rejects.toThrow(/history is immutable: DELETE refused/);
  });
});
