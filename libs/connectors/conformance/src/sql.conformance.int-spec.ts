import { SqlConnector } from '@idsync/connector-sql';
import { createTestDatabase, freePort, TEST_MARIADB, type TestDatabase, uniqueName } from '@idsync/testing';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import { describeConformance, type ConformanceHarness } from './conformance.suite';
import { mailRowCreate, mailUpdate } from './fixtures';


/** A database of this file's own on the local MariaDB, dropped by drop() (createTestDatabase is PostgreSQL's). */
async function createMariaDbDatabase(): Promise<TestDatabase> {
  const name = uniqueName('idsync_conformance');
  const admin = await createConnection(TEST_MARIADB);
  try {
    await admin.query(`CREATE DATABASE \`${name}\``);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: `mysql://root@127.0.0.1:3306/${name}`,
    drop: async () => {
      const c = await createConnection(TEST_MARIADB);
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
    },
  };
}

interface Engine {
  name: string;
  createDatabase(): Promise<TestDatabase>;
  exec(db: TestDatabase, sql: string): Promise<void>;
  /** The same engine's URL on a port nothing listens on. */
  urlAt(port: number): string;
}

const engines: Engine[] = [
  {
    name: 'PostgreSQL',
    createDatabase: () => createTestDatabase('idsync_conformance'),
    async exec(db, sql) {
      const c = new Client({ connectionString: db.url });
      await c.connect();
      try {
        await c.query(sql);
      } finally {
        await c.end();
      }
    },
    urlAt: (port) => `postgres://postgres@127.0.0.1:${port}/postgres`,
  },
  {
    name: 'MariaDB',
    createDatabase: createMariaDbDatabase,
    async exec(db, sql) {
      const c = await createConnection({ ...TEST_MARIADB, database: db.name });
      try {
        await c.query(sql);
      } finally {
        await c.end();
      }
    },
    urlAt: (port) => `mysql://root@127.0.0.1:${port}/test`,
  },
];

for (const engine of engines) {
  describe(`sql on ${engine.name}`, () => {
    let db: TestDatabase;
    beforeAll(async () => (db = await engine.createDatabase()));
    afterAll(() => db?.drop());

    let tables = 0;
    describeConformance(`sql (${engine.name})`, async (): Promise<ConformanceHarness> => {
      // A table per behaviour, in one database per engine for the whole file.
      const table = `accounts_${++tables}`;
      await engine.exec(db, `CREATE TABLE ${table} (uid varchar(64) NOT NULL PRIMARY KEY, mail varchar(255))`);
      const connector = new SqlConnector({ url: db.url, table, keyColumn: 'uid' });
      const closedPort = await freePort();
      return {
        connector,
        objectType: 'user',
        create: mailRowCreate,
        keyOf: (i) => `person${i}`,
        update: mailUpdate,
        discovered: { attribute: 'mail', multiValued: false },
        valueModes: { attribute: 'mail', multiValued: false, values: ['first@example.org', 'second@example.org'] },
        unreachable: () => new SqlConnector({ url: engine.urlAt(closedPort), table, keyColumn: 'uid', connectTimeoutMs: 5_000 }),
        cleanup: () => connector.close(),
      };
    });
  });
}
