import { isIncremental, type ChangePage, type ConnectorObject, type ConnectorOperation, type ReadOptions } from '@idsync/connector-core';
import { createTestSqlDatabase, freePort, uniqueName, type TestSqlDatabase } from '@idsync/testing';
import { SqlConnector, type SqlConnectorOptions } from './sql.connector';

type TestDb = TestSqlDatabase;

interface Engine {
  name: string;
  /** Column types that differ between the engines. */
  text: string;
  timestamp: string;
  create(name: string): Promise<TestDb>;
  /** A URL to a port nothing listens on. */
  urlAt(port: number): string;
  /** Makes every INSERT into `table` take about a second. */
  slowInserts(db: TestDb, table: string): Promise<void>;
  /** Whether another connection to the test database is inside a (slowed down) INSERT right now. */
  insertRunning(db: TestDb): Promise<boolean>;
  /** Kills every other connection to the test database, as a server restart or a network cut would. */
  killOthers(db: TestDb): Promise<void>;
}

const postgres: Engine = {
  name: 'postgres',
  create: (name) => createTestSqlDatabase('postgres', name),
  text: 'text',
  timestamp: 'timestamptz',
  urlAt: (port) => `postgres://postgres@127.0.0.1:${port}/postgres`,
  async slowInserts(db, table) {
    await db.exec(`CREATE FUNCTION slow_${table}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(1); RETURN NULL; END $$`);
    await db.exec(`CREATE TRIGGER slow BEFORE INSERT ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION slow_${table}()`);
  },
  async insertRunning(db) {
    const rows = await db.exec("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE 'INSERT%'");
    return rows.length > 0;
  },
  async killOthers(db) {
    await db.exec('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  },
};

const mariadb: Engine = {
  name: 'mariadb',
  create: (name) => createTestSqlDatabase('mariadb', name),
  text: 'varchar(255)',
  timestamp: 'datetime(6)',
  urlAt: (port) => `mysql://root@127.0.0.1:${port}/test`,
  async slowInserts(db, table) {
    await db.exec(`CREATE TRIGGER slow_${table} BEFORE INSERT ON ${table} FOR EACH ROW SET @slept = SLEEP(1)`);
  },
  async insertRunning(db) {
    // Inside the trigger, the process list shows the trigger's statement, not the INSERT.
    const rows = await db.exec("SELECT 1 FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID() AND state = 'User sleep'");
    return rows.length > 0;
  },
  async killOthers(db) {
    const rows = await db.exec('SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID()');
    for (const { id } of rows) await db.exec(`KILL CONNECTION ${Number(id)}`);
  },
};

describe.each([postgres, mariadb])('SqlConnector against $name', (engine) => {
  let db: TestDb;
  const open: SqlConnector[] = [];

  beforeAll(async () => {
    db = await engine.create(uniqueName('idsync_sql'));
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });
  afterAll(() => db?.drop());

  const connector = (options: Partial<SqlConnectorOptions> & { table: string }) => {
    const c = new SqlConnector({ url: db.url, keyColumn: 'id', ...options });
    open.push(c);
    return c;
  };

  /** A fresh `people` table per test, named after it. */
  async function peopleTable(name: string): Promise<string> {
    await db.exec(
      `CREATE TABLE ${name} (id ${engine.text} PRIMARY KEY, name ${engine.text} NOT NULL, mail ${engine.text}, age integer CHECK (age >= 0), updated_at ${engine.timestamp}, hired date)`,
    );
    return name;
  }

  async function read(c: SqlConnector, options: Partial<ReadOptions> = {}): Promise<ConnectorObject[][]> {
    const pages: ConnectorObject[][] = [];
    for await (const p of c.readSnapshot({ objectType: 'user', ...options })) pages.push(p);
    return pages;
  }

  async function changes(c: SqlConnector, since: string | undefined, pageSize?: number): Promise<ChangePage[]> {
    const pages: ChangePage[] = [];
    for await (const p of c.readChanges(since, { objectType: 'user', pageSize })) pages.push(p);
    return pages;
  }

  const create = (id: string, attributes: Record<string, string[]>): ConnectorOperation => ({
    kind: 'create',
    dn: id,
    changes: Object.entries(attributes).map(([attribute, values]) => ({ attribute, values })),
  });

  it('checks the connection, the table and the configured columns', async () => {
    const table = await peopleTable('conn_check');
    await expect(connector({ table }).testConnection()).resolves.toBeUndefined();
    const schema = engine === postgres ? 'public' : new URL(db.url).pathname.slice(1);
    await expect(connector({ table: `${schema}.${table}` }).testConnection()).resolves.toBeUndefined();
    const otherDb = new URL(db.url);
    otherDb.pathname = '/no_such_database_here';
    const lost = new SqlConnector({ url: otherDb.toString(), table, keyColumn: 'id' });
    open.push(lost);
    await expect(lost.testConnection()).rejects.toMatchObject({ code: 'CONNECTOR.CONFIG' });
    await expect(connector({ table: 'nowhere' }).testConnection()).rejects.toMatchObject({ code: 'SQL.NO_SUCH_TABLE', details: { table: 'nowhere' } });
    await expect(connector({ table, keyColumn: 'uid' }).testConnection()).rejects.toMatchObject({ code: 'SQL.NO_SUCH_COLUMN', details: { column: 'uid' } });
    await expect(connector({ table, watermarkColumn: 'changed' }).testConnection()).rejects.toMatchObject({ code: 'SQL.NO_SUCH_COLUMN', details: { column: 'changed' } });
  });

  it('reads 2,500 rows in pages of 1,000, in key order, with text values and dates as ISO 8601', async () => {
    const table = await peopleTable('many');
    for (let start = 0; start < 2500; start += 500) {
      const rows = Array.from({ length: 500 }, (_, i) => start + i);
      const placeholders = rows.map((_, i) => (engine === postgres ? `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3}, '2026-01-02T03:04:05.678Z', '2020-02-29')` : `(?, ?, ?, '2026-01-02 03:04:05.678', '2020-02-29')`));
      await db.exec(`INSERT INTO ${table} (id, name, age, updated_at, hired) VALUES ${placeholders.join(', ')}`, rows.flatMap((n) => [`u${String(n).padStart(5, '0')}`, `User ${n}`, n]));
    }
    const pages = await read(connector({ table, batchSize: 1000 }));
    expect(pages.map((p) => p.length)).toEqual([1000, 1000, 500]);
    const keys = pages.flat().map((o) => o.key);
    expect(new Set(keys).size).toBe(2500);
    expect(keys).toEqual([...keys].sort());
    expect(pages[0][7]).toEqual({
      key: 'u00007',
      anchor: 'u00007',
      // mail is NULL: absent, not an empty value.
      attributes: { id: ['u00007'], name: ['User 7'], age: ['7'], updated_at: ['2026-01-02T03:04:05.678Z'], hired: ['2020-02-29'] },
    });
    const narrow = await read(connector({ table, columns: ['name'] }), { pageSize: 2000 });
    expect(narrow.map((p) => p.length)).toEqual([2000, 500]);
    expect(narrow[1][499].attributes).toEqual({ id: ['u02499'], name: ['User 2499'] });
  });

  it('pages on an integer key in numeric order', async () => {
    await db.exec('CREATE TABLE numbered (n integer PRIMARY KEY, label varchar(20))');
    await db.exec(`INSERT INTO numbered (n, label) VALUES ${Array.from({ length: 25 }, (_, i) => `(${i + 1}, 'n${i + 1}')`).join(', ')}`);
    const pages = await read(connector({ table: 'numbered', keyColumn: 'n', batchSize: 10 }));
    expect(pages.map((p) => p.map((o) => o.key))).toEqual([0, 10, 20].map((start) => Array.from({ length: Math.min(10, 25 - start) }, (_, i) => String(start + i + 1))));
  });

  it('reads an empty table as no pages, and refuses a table with a NULL or duplicate key', async () => {
    const table = await peopleTable('empty');
    expect(await read(connector({ table }))).toEqual([]);
    await db.exec(`CREATE TABLE nokey (id ${engine.text}, name ${engine.text})`);
    await db.exec(`INSERT INTO nokey (id, name) VALUES ('a', 'A'), ('b', 'B'), ('b', 'B again')`);
    // The duplicate straddles the page boundary (page size 2), where `key > last` alone would skip it.
    await expect(read(connector({ table: 'nokey' }), { pageSize: 2 })).rejects.toMatchObject({ code: 'SQL.DUPLICATE_KEY' });
    await db.exec(`INSERT INTO nokey (id, name) VALUES (NULL, 'nobody')`);
    await expect(read(connector({ table: 'nokey' }))).rejects.toMatchObject({ code: 'SQL.MISSING_KEY' });
  });

  it('reads changes after a watermark, ordered by watermark then key, and reports the new high-water mark', async () => {
    const table = await peopleTable('changes');
    await db.exec(
      `INSERT INTO ${table} (id, name, updated_at) VALUES ('c', 'C', '2026-03-01 10:00:00.000001'), ('a', 'A', '2026-03-01 10:00:00.000002'), ('b', 'B', '2026-03-01 10:00:00.000002'), ('d', 'D', '2026-03-01 11:00:00'), ('n', 'no mark', NULL)`,
    );
    const plain = connector({ table });
    expect(plain.capabilities.incremental).toBe(false);
    expect(isIncremental(plain)).toBe(false);
    const c = connector({ table, watermarkColumn: 'updated_at' });
    expect(isIncremental(c)).toBe(true);

    // Page size 1 makes every page boundary fall between rows, including two rows sharing a watermark.
    const all = await changes(c, undefined, 1);
    expect(all.map((p) => p.objects.map((o) => o.key))).toEqual([['c'], ['a'], ['b'], ['d']]);
    const mark = all[1].watermark;
    // Microseconds survive: a millisecond watermark would hand 'c' out again.
    expect((await changes(c, all[0].watermark)).flatMap((p) => p.objects.map((o) => o.key))).toEqual(['a', 'b', 'd']);
    expect((await changes(c, mark)).flatMap((p) => p.objects.map((o) => o.key))).toEqual(['d']);
    const high = all[3].watermark;
    // Nothing changed: one empty page that keeps the watermark.
    expect(await changes(c, high)).toEqual([{ objects: [], deleted: [], watermark: high }]);

    await db.exec(`UPDATE ${table} SET name = 'A2', updated_at = '2026-03-02 09:00:00' WHERE id = 'a'`);
    const next = await changes(c, high);
    expect(next.map((p) => p.objects.map((o) => o.attributes.name))).toEqual([[['A2']]]);
    expect(next[0].watermark > high).toBe(true);
    await expect(changes(plain, undefined)).rejects.toMatchObject({ code: 'CONNECTOR.CONFIG' });
  });

  it('upserts idempotently: the same creates and updates applied twice leave the same rows', async () => {
    const table = await peopleTable('upsert');
    const c = connector({ table, batchSize: 2 });
    const ops: ConnectorOperation[] = [
      create('ada', { name: ['Ada'], mail: ['ada@example.org'], age: ['36'] }),
      create('grace', { name: ['Grace'], age: ['85'] }),
      create('o-brien', { name: ["Robert'); DROP TABLE upsert;--"], mail: ['"quoted" \\ back'] }),
      { kind: 'update', dn: 'ada', changes: [{ attribute: 'MAIL', values: [] }, { attribute: 'age', values: ['37'] }] },
    ];
    const first = await c.apply(ops);
    const snapshot = await read(c);
    const second = await c.apply(ops);
    expect(first).toEqual(Array(4).fill({ status: 'succeeded' }));
    expect(second).toEqual(first);
    expect(await read(c)).toEqual(snapshot);
    expect(snapshot.flat().map((o) => o.attributes)).toEqual([
      { id: ['ada'], name: ['Ada'], age: ['37'] },
      { id: ['grace'], name: ['Grace'], age: ['85'] },
      { id: ['o-brien'], name: ["Robert'); DROP TABLE upsert;--"], mail: ['"quoted" \\ back'] },
    ]);
  });

  it('deletes, counting a missing row as success, and disables by updating only the given columns', async () => {
    const table = await peopleTable('lifecycle');
    const c = connector({ table });
    await c.apply([create('ada', { name: ['Ada'], age: ['36'] })]);
    expect(
      await c.apply([
        { kind: 'disable', dn: 'ada', changes: [{ attribute: 'mail', values: ['disabled@example.org'] }] },
        { kind: 'disable', dn: 'nobody', changes: [{ attribute: 'mail', values: ['x'] }] },
        { kind: 'delete', dn: 'ghost', changes: [] },
      ]),
    ).toEqual([{ status: 'succeeded' }, { status: 'failed', message: expect.stringContaining('no row with id = "nobody"') }, { status: 'succeeded' }]);
    expect((await read(c)).flat().map((o) => o.attributes)).toEqual([{ id: ['ada'], name: ['Ada'], age: ['36'], mail: ['disabled@example.org'] }].map(({ id, name, mail, age }) => ({ id, name, mail, age })));
    // Create then delete of one key in one call: the delete must see the create.
    expect(await c.apply([create('tmp', { name: ['T'] }), { kind: 'delete', dn: 'tmp', changes: [] }, { kind: 'delete', dn: 'ada', changes: [] }])).toEqual(Array(3).fill({ status: 'succeeded' }));
    expect(await read(c)).toEqual([]);
  });

  it('adds and removes the one value of a column, idempotently, after earlier operations of the same call', async () => {
    const table = await peopleTable('value_modes');
    const c = connector({ table });
    const add = (dn: string, attribute: string, value: string): ConnectorOperation => ({ kind: 'update', dn, changes: [{ attribute, mode: 'add', values: [value] }] });
    const remove = (dn: string, attribute: string, value: string): ConnectorOperation => ({ kind: 'update', dn, changes: [{ attribute, mode: 'remove', values: [value] }] });
    const row = async (id: string) => (await read(c)).flat().find((o) => o.key === id)?.attributes;
    expect(await c.apply([create('ada', { name: ['Ada'], age: ['36'] }), add('ada', 'mail', 'a@x.org'), add('ada', 'mail', 'a@x.org'), add('ada', 'age', '36')])).toEqual(Array(4).fill({ status: 'succeeded' }));
    expect(await row('ada')).toMatchObject({ mail: ['a@x.org'], age: ['36'] });
    expect(await c.apply([add('ada', 'mail', 'b@x.org'), add('ada', 'AGE', '40')])).toEqual([
      { status: 'failed', message: 'column "mail" holds "a@x.org"; adding "b@x.org" would give it a second value, and it holds one' },
      { status: 'failed', message: 'column "age" holds "36"; adding "40" would give it a second value, and it holds one' },
    ]);
    expect(await c.apply([remove('ada', 'mail', 'b@x.org'), remove('ada', 'age', '36'), remove('ada', 'age', '36')])).toEqual(Array(3).fill({ status: 'succeeded' }));
    expect(await row('ada')).toEqual({ id: ['ada'], name: ['Ada'], mail: ['a@x.org'] });
    // The changes of one operation in their order: the remove makes room for the add.
    expect(await c.apply([{ kind: 'update', dn: 'ada', changes: [{ attribute: 'mail', mode: 'remove', values: ['a@x.org'] }, { attribute: 'mail', mode: 'add', values: ['c@x.org'] }] }])).toEqual([{ status: 'succeeded' }]);
    expect(await row('ada')).toMatchObject({ mail: ['c@x.org'] });
    expect(await c.apply([remove('nobody', 'mail', 'x'), { kind: 'disable', dn: 'nobody', changes: [{ attribute: 'mail', mode: 'remove', values: ['x'] }] }])).toEqual([
      { status: 'succeeded', message: 'no row with id = "nobody"; nothing to change' },
      { status: 'failed', message: 'no row with id = "nobody"' },
    ]);
  });

  it('isolates a constraint violation to its row and refuses unknown columns by name', async () => {
    const table = await peopleTable('violation');
    const c = connector({ table, batchSize: 100 });
    const outcomes = await c.apply([
      create('a', { name: ['A'], age: ['1'] }),
      create('b', { name: ['B'], age: ['2'] }),
      create('bad', { name: ['Bad'], age: ['-1'] }),
      create('d', { name: ['D'], age: ['4'] }),
      create('nameless', { name: [], age: ['5'] }),
      create('e', { name: ['E'], shoeSize: ['44'] }),
      create('f', { name: ['F'], age: ['6'] }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['succeeded', 'succeeded', 'failed', 'succeeded', 'failed', 'failed', 'succeeded']);
    expect(outcomes[2]).toEqual({ status: 'failed', message: expect.stringMatching(/check|constraint/i) });
    expect(outcomes[4]).toEqual({ status: 'failed', message: expect.stringMatching(/null/i) });
    expect(outcomes[5]).toEqual({ status: 'failed', message: 'no column "shoeSize" in the table' });
    expect((await read(c)).flat().map((o) => o.key)).toEqual(['a', 'b', 'd', 'f']);
  });

  it('refuses hostile table and column names before any SQL is sent', async () => {
    const table = await peopleTable('hostile');
    const hostile: Partial<SqlConnectorOptions>[] = [
      { table: `${table}; DROP TABLE ${table}` },
      { table: `${table}" --` },
      { table: 'a.b.c' },
      { table, keyColumn: 'id) OR 1=1 --' },
      { table, keyColumn: 'id`' },
      { table, watermarkColumn: 'updated_at desc' },
      { table, columns: ['name', 'mail FROM mysql.user --'] },
      { table, keyColumn: '1id' },
    ];
    for (const options of hostile) {
      expect(() => new SqlConnector({ url: db.url, keyColumn: 'id', ...options } as SqlConnectorOptions)).toThrow(expect.objectContaining({ code: 'SQL.INVALID_IDENTIFIER' }));
    }
    const c = connector({ table });
    await c.apply([create('ada', { name: ['Ada'] })]);
    const [outcome] = await c.apply([{ kind: 'update', dn: 'ada', changes: [{ attribute: `name = 'x', age`, values: ['1'] }] }]);
    expect(outcome).toEqual({ status: 'failed', message: `no column "name = 'x', age" in the table` });
    await expect(read(c, { attributes: ['name, (SELECT 1)'] })).rejects.toMatchObject({ code: 'SQL.NO_SUCH_COLUMN' });
    expect((await read(c)).flat().map((o) => o.attributes)).toEqual([{ id: ['ada'], name: ['Ada'] }]);
  });

  it('rolls the whole apply back and throws CONNECTOR.UNREACHABLE when the connection dies mid-transaction', async () => {
    const table = await peopleTable('dropped');
    const c = connector({ table });
    await engine.slowInserts(db, table);
    const applying = c.apply([{ kind: 'delete', dn: 'x', changes: [] }, create('ada', { name: ['Ada'] })]);
    // Kill only once the INSERT is under way, inside the transaction, after the delete went through.
    for (let tries = 0; !(await engine.insertRunning(db)); tries++) {
      if (tries > 250) throw new Error('the INSERT never started');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await engine.killOthers(db);
    await expect(applying).rejects.toMatchObject({ code: 'CONNECTOR.UNREACHABLE', retryable: true });
    expect(await db.exec(`SELECT id FROM ${table}`)).toEqual([]);
    // The pool replaces the dead connection: the next call works.
    expect(await c.apply([{ kind: 'delete', dn: 'ada', changes: [] }])).toEqual([{ status: 'succeeded' }]);
  });

  it('reports an unreachable server as CONNECTOR.UNREACHABLE, retryable', async () => {
    const port = await freePort();
    const c = new SqlConnector({ url: engine.urlAt(port), table: 'people', keyColumn: 'id', connectTimeoutMs: 2000 });
    open.push(c);
    const unreachable = { code: 'CONNECTOR.UNREACHABLE', retryable: true };
    await expect(c.testConnection()).rejects.toMatchObject(unreachable);
    await expect(read(c)).rejects.toMatchObject(unreachable);
    await expect(c.apply([create('ada', { name: ['Ada'] })])).rejects.toMatchObject(unreachable);
  });
});

// PostgreSQL on this machine trusts local connections, so any password is accepted: a wrong password can only be
// shown on MariaDB.
describe('SqlConnector against mariadb with a password', () => {
  const user = uniqueName('idsync_u');
  let db: TestDb;
  beforeAll(async () => {
    db = await mariadb.create(uniqueName('idsync_sql_auth'));
    await db.exec(`CREATE USER '${user}'@'%' IDENTIFIED BY 'right-password'`);
    await db.exec(`CREATE USER '${user}'@'localhost' IDENTIFIED BY 'right-password'`);
    await db.exec(`CREATE TABLE people (id varchar(64) PRIMARY KEY)`);
    const name = new URL(db.url).pathname.slice(1);
    await db.exec(`GRANT ALL ON \`${name}\`.* TO '${user}'@'%'`);
    await db.exec(`GRANT ALL ON \`${name}\`.* TO '${user}'@'localhost'`);
  });
  afterAll(async () => {
    await db?.exec(`DROP USER IF EXISTS '${user}'@'%', '${user}'@'localhost'`);
    await db?.drop();
  });

  const at = (password: string) => {
    const url = new URL(db.url);
    url.username = user;
    url.password = password;
    return new SqlConnector({ url: url.toString(), table: 'people', keyColumn: 'id' });
  };

  it('accepts the right password and reports a wrong one as CONNECTOR.AUTH_FAILED, without echoing it', async () => {
    const good = at('right-password');
    await expect(good.testConnection()).resolves.toBeUndefined();
    await good.close();
    const bad = at('wrong-password');
    const error = await bad.testConnection().catch((e: unknown) => e);
    await bad.close();
    expect(error).toMatchObject({ code: 'CONNECTOR.AUTH_FAILED', retryable: false });
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain('wrong-password');
  });
});
