import { SqlConnector } from '@idsync/connector-sql';
import { createTestSqlDatabase, freePort, type TestSqlDatabase, uniqueName } from '@idsync/testing';
import { describeConformance, type ConformanceHarness } from './conformance.suite';
import { mailRows } from './fixtures';

const engines = [
  { name: 'PostgreSQL', engine: 'postgres' as const, urlAt: (port: number) => `postgres://postgres@127.0.0.1:${port}/postgres` },
  { name: 'MariaDB', engine: 'mariadb' as const, urlAt: (port: number) => `mysql://root@127.0.0.1:${port}/test` },
];

for (const engine of engines) {
  describe(`sql on ${engine.name}`, () => {
    let db: TestSqlDatabase;
    beforeAll(async () => (db = await createTestSqlDatabase(engine.engine, uniqueName('idsync_conformance'))));
    afterAll(() => db?.drop());

    let tables = 0;
    describeConformance(`sql (${engine.name})`, async (): Promise<ConformanceHarness> => {
      // A table per behaviour, in one database per engine for the whole file.
      const table = `accounts_${++tables}`;
      await db.exec(`CREATE TABLE ${table} (uid varchar(64) NOT NULL PRIMARY KEY, mail varchar(255))`);
      const connector = new SqlConnector({ url: db.url, table, keyColumn: 'uid' });
      const closedPort = await freePort();
      return {
        connector,
        ...mailRows,
        unreachable: () => new SqlConnector({ url: engine.urlAt(closedPort), table, keyColumn: 'uid', connectTimeoutMs: 5_000 }),
        cleanup: () => connector.close(),
      };
    });
  });
}
