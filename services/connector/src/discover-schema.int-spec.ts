import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { AttributeType, SchemaOrigin, Subjects } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import { startSlapd, type SlapdHandle } from '@idsync/testing';
import { testPlatform, type TestPlatform } from '@idsync/testing-platform';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectorModule } from './connector.module';

describe('connector service: idsync.connector.discover-schema.v1', () => {
  let platform: TestPlatform;
  let ldap: SlapdHandle;
  let app: INestApplicationContext;
  let dir: string;
  let bus: MessageBus;

  beforeAll(async () => {
    [platform, ldap, dir] = await Promise.all([testPlatform('conndisc'), startSlapd(), mkdtemp(join(tmpdir(), 'conn-discover-'))]);
    app = await NestFactory.createApplicationContext(ConnectorModule.register(platform, { secretKey: 'connector-test-secret-key' }), { logger: false });
    await app.init();
    bus = app.get(MessageBus);
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([platform?.close(), ldap?.stop(), rm(dir, { recursive: true, force: true })]);
  });

  it("answers an LDAP connection's schema, read from the directory with the stored password", async () => {
    const conn = await bus.request(Subjects.saveConnection, {
      connection: { name: 'dir', kind: 'ldap', settings: { url: ldap.url, bindDn: ldap.bindDn, baseDn: ldap.baseDn } },
      secrets: { password: ldap.password },
    });
    const schema = await bus.request(Subjects.discoverSchema, { connectionId: conn.id });
    expect(schema.connectionId).toBe(conn.id);
    expect(schema.origin).toBe(SchemaOrigin.PEER);
    const user = schema.objectTypes.find((t) => t.name === 'user')!;
    expect(user).toMatchObject({ anchor: 'entryUUID', key: 'dn' });
    expect(user.attributes.find((a) => a.name === 'mail')).toMatchObject({ type: AttributeType.STRING, multiValued: true, required: false, readOnly: false });
    expect(user.attributes.find((a) => a.name === 'entryUUID')).toMatchObject({ readOnly: true });
  });

  it("answers a CSV file's header, and the connector's error code when the system cannot be read", async () => {
    const path = join(dir, 'people.csv');
    await writeFile(path, 'employeeId,mail\nE1,ada@example.org\n');
    const csv = await bus.request(Subjects.saveConnection, { connection: { name: 'hr', kind: 'csv', settings: { path, keyColumn: 'employeeId' } } });
    const schema = await bus.request(Subjects.discoverSchema, { connectionId: csv.id });
    expect(schema.origin).toBe(SchemaOrigin.OBSERVED);
    expect(schema.objectTypes.map((t) => [t.name, t.key, t.attributes.map((a) => a.name)])).toEqual([['*', 'employeeId', ['employeeId', 'mail']]]);

    const gone = await bus.request(Subjects.saveConnection, { connection: { name: 'gone', kind: 'csv', settings: { path: join(dir, 'missing.csv') } } });
    await expect(bus.request(Subjects.discoverSchema, { connectionId: gone.id })).rejects.toMatchObject({ code: 'CSV.FILE_NOT_FOUND' });
    await expect(bus.request(Subjects.discoverSchema, { connectionId: '00000000-0000-0000-0000-000000000000' })).rejects.toMatchObject({ code: 'CONNECTION.NOT_FOUND' });
  });
});
