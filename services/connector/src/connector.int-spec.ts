import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { OperationKind, SnapshotRole, Subjects } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import { startSlapd, waitFor, type SlapdHandle } from '@idsync/testing';
import { testPlatform, type TestPlatform } from '@idsync/testing-platform';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ConnectorModule } from './connector.module';

describe('connector service', () => {
  let platform: TestPlatform;
  let ldap: SlapdHandle;
  let app: INestApplicationContext;
  let dir: string;
  let bus: MessageBus;
  let ds: DataSource;

  beforeAll(async () => {
    [platform, ldap, dir] = await Promise.all([testPlatform('conn'), startSlapd(), mkdtemp(join(tmpdir(), 'conn-'))]);
    app = await NestFactory.createApplicationContext(ConnectorModule.register(platform, { secretKey: 'connector-test-secret-key' }), { logger: false });
    await app.init();
    bus = app.get(MessageBus);
    ds = app.get(DataSource);
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([platform?.close(), ldap?.stop(), rm(dir, { recursive: true, force: true })]);
  });

  async function outcome(runId: string): Promise<{ subject: string; payload: Record<string, unknown> }> {
    const row = await waitFor(async () => {
      const rows = await ds.query(`SELECT subject, body FROM connector.outbox WHERE body LIKE $1 AND subject LIKE $2`, [`%${runId}%`, `idsync.connector.snapshot.%`]);
      return rows[0];
    });
    return { subject: row.subject, payload: JSON.parse(JSON.parse(row.body).payloadJson) };
  }

  it('stores the LDAP password sealed and never answers it', async () => {
    const saved = await bus.request(Subjects.saveConnection, {
      connection: { name: 'dir', kind: 'ldap', settings: { url: ldap.url, bindDn: ldap.bindDn, baseDn: ldap.baseDn } },
      secrets: { password: ldap.password },
    });
    expect(saved.secretsSet).toEqual(['password']);
    const [row] = await ds.query(`SELECT * FROM connector.connections WHERE id = $1`, [saved.id]);
    expect(JSON.stringify(row)).not.toContain(ldap.password);
    // saving again without the secret keeps the stored one
    await bus.request(Subjects.saveConnection, { connection: { ...saved, name: 'dir 2' }, secrets: {} });
    expect((await bus.request(Subjects.getConnection, { connectionId: saved.id })).secretsSet).toEqual(['password']);
    await expect(bus.request(Subjects.saveConnection, { connection: { name: 'x', kind: 'ftp' } })).rejects.toMatchObject({ code: 'CONNECTION.UNKNOWN_KIND' });
  });

  it('gives a batch final failed results when the directory stays unreachable, instead of leaving the run waiting', async () => {
    const down = await bus.request(Subjects.saveConnection, {
      connection: { name: 'down', kind: 'ldap', settings: { url: 'ldap://127.0.0.1:1', bindDn: ldap.bindDn, baseDn: ldap.baseDn } },
      secrets: { password: 'x' },
    });
    const op = { index: 7, kind: OperationKind.CREATE, dn: `uid=x,ou=people,${ldap.baseDn}`, sourceKey: 'E7', objectClasses: ['inetOrgPerson'], changes: [] };
    await bus.transaction((m) => bus.publish(m, Subjects.applyBatch, { runId: 'run-down', connectionId: down.id, batchNo: 0, operations: [op] }, { correlationId: 'run-down' }));
    const row = await waitFor(async () => (await ds.query(`SELECT body FROM connector.outbox WHERE subject = $1 AND body LIKE '%run-down%'`, [Subjects.batchApplied.subject]))[0], 40000, 'the final batch result');
    const results = JSON.parse(JSON.parse(row.body).payloadJson).results;
    expect(results).toEqual([{ index: 7, status: 'OPERATION_STATUS_FAILED', message: expect.stringMatching(/^not applied after 5 tries: CONNECTOR.UNREACHABLE/) }]);
  });

  it('exports a CSV snapshot into the blob store, and fails naming the file and row on bad input', async () => {
    const good = join(dir, 'good.csv');
    await writeFile(good, 'employeeId,givenName\nE1,Ada\nE2,Zoë\n');
    const conn = await bus.request(Subjects.saveConnection, { connection: { name: 'hr', kind: 'csv', settings: { path: good } } });
    await bus.transaction((m) => bus.publish(m, Subjects.exportSnapshot, { runId: 'run-good', connectionId: conn.id, role: SnapshotRole.SOURCE, keyAttribute: 'employeeId' }, { correlationId: 'run-good' }));
    const ok = await outcome('run-good');
    expect(ok.subject).toBe(Subjects.snapshotExported.subject);
    const snapshot = ok.payload.snapshot as { bucket: string; name: string; records: number };
    expect(snapshot.records).toBe(2);
    const lines: string[] = [];
    for await (const l of platform.blobs.read(snapshot)) lines.push(l);
    expect(JSON.parse(lines[1])).toEqual({ key: 'E2', anchor: '', attributes: { employeeId: ['E2'], givenName: ['Zoë'] } });

    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'employeeId,givenName\nE1,Ada\nE1,Bob\n');
    const badConn = await bus.request(Subjects.saveConnection, { connection: { name: 'hr bad', kind: 'csv', settings: { path: bad } } });
    await bus.transaction((m) => bus.publish(m, Subjects.exportSnapshot, { runId: 'run-bad', connectionId: badConn.id, role: SnapshotRole.SOURCE, keyAttribute: 'employeeId' }, { correlationId: 'run-bad' }));
    const failed = await outcome('run-bad');
    expect(failed.subject).toBe(Subjects.snapshotFailed.subject);
    expect(failed.payload.error).toMatchObject({ code: 'CSV.DUPLICATE_KEY', message: expect.stringContaining(bad) });
  });
});
