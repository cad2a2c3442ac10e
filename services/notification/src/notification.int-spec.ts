import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { RunState, Subjects } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import { startSmtp, waitFor, type TestSmtp } from '@idsync/testing';
import { testPlatform, type TestPlatform } from '@idsync/testing-platform';
import { DataSource } from 'typeorm';
import { NotificationModule } from './notification.module';

describe('notification service with a real SMTP server', () => {
  let platform: TestPlatform;
  let smtp: TestSmtp;
  let app: INestApplicationContext;

  beforeAll(async () => {
    [platform, smtp] = await Promise.all([testPlatform('notif'), startSmtp()]);
    app = await NestFactory.createApplicationContext(
      NotificationModule.register(platform, { smtpUrl: smtp.url, from: 'idsync <idsync@example.org>', portalUrl: 'http://portal' }),
      { logger: false },
    );
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([smtp?.stop(), platform?.close()]);
  });

  it('emails a summary when a run completes or is stopped by a threshold, once per event, and announces it', async () => {
    const bus = app.get(MessageBus);
    const ds = app.get(DataSource);
    const job = { name: 'HR to LDAP', notify: ['ops@example.org', 'hr@example.org'] };
    await bus.transaction(async (m) => {
      await bus.publish(m, Subjects.runCompleted, { run: { id: 'run-1', job, state: RunState.COMPLETED, requestedBy: 'alice', counters: { read: 3, created: 2, unchanged: 1 } } }, { correlationId: 'run-1' });
      await bus.publish(m, Subjects.runBlocked, { run: { id: 'run-2', job, state: RunState.AWAITING_REVIEW, requestedBy: 'alice', reason: '14 deletes exceed max_deletes 10' } }, { correlationId: 'run-2' });
      await bus.publish(m, Subjects.runFailed, { run: { id: 'run-3', job: { name: 'silent', notify: [] }, state: RunState.FAILED } }, { correlationId: 'run-3' });
    });
    await waitFor(() => smtp.mails.length >= 2, 20000, 'two emails');
    const done = smtp.mails.find((m) => m.raw.includes('run-1'))!;
    expect(done.to.sort()).toEqual(['hr@example.org', 'ops@example.org']);
    expect(done.subject).toBe('[idsync] HR to LDAP: run completed');
    expect(done.text).toContain('Read 3 · created 2 · updated 0 · deleted 0 · disabled 0 · unchanged 1 · failed 0');
    const blocked = smtp.mails.find((m) => m.raw.includes('run-2'))!;
    expect(blocked.subject).toContain('stopped by a threshold');
    expect(blocked.text).toContain('14 deletes exceed max_deletes 10');
    expect(blocked.text).toContain('http://portal/api/runs/run-2/plan');
    await waitFor(async () => (await ds.query(`SELECT count(*)::int AS n FROM notification.outbox WHERE subject = $1`, [Subjects.emailSent.subject]))[0].n === 2);
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.mails).toHaveLength(2);
  });
});
