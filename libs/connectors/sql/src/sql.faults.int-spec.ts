import type { ConnectorObject, ConnectorOperation } from '@idsync/connector-core';
import { createTestSqlDatabase, uniqueName, waitFor, type TestSqlDatabase } from '@idsync/testing';
import { SqlConnector } from './sql.connector';

type TestDb = TestSqlDatabase;

interface Engine {
  name: string;
  text: string;
  create(name: string): Promise<TestDb>;
  /** Server ids of the connections to the test database other than `exec`'s own. */
  others(db: TestDb): Promise<number[]>;
  /** Server ids of the connections to the test database waiting for a row lock. */
  waitingForLock(db: TestDb): Promise<number[]>;
  /** Ends a connection as a restart or a network cut would (pg_terminate_backend, KILL CONNECTION). */
  kill(db: TestDb, id: number): Promise<void>;
  /** Interrupts the statement a connection runs and keeps the connection (pg_cancel_backend, KILL QUERY). */
  cancel(db: TestDb, id: number): Promise<void>;
  /** Makes the insert of the row keyed `id` into `table` wait for the row of `gate`, whoever holds it. */
  gateInsert(db: TestDb, table: string, gate: string, id: string): Promise<void>;
}

const postgres: Engine = {
  name: 'postgres',
  create: (name) => createTestSqlDatabase('postgres', name),
  text: 'text',
  async others(db) {
    const rows = await db.exec("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'");
    return rows.map((r) => Number(r.pid));
  },
  async waitingForLock(db) {
    const rows = await db.exec("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
    return rows.map((r) => Number(r.pid));
  },
  async kill(db, pid) {
    await db.exec('SELECT pg_terminate_backend($1)', [pid]);
  },
  async cancel(db, pid) {
    await db.exec('SELECT pg_cancel_backend($1)', [pid]);
  },
  async gateInsert(db, table, gate, id) {
    await db.exec(`CREATE FUNCTION ${table}_gate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.id = '${id}' THEN PERFORM 1 FROM ${gate} FOR UPDATE; END IF; RETURN NEW; END $$`);
    await db.exec(`CREATE TRIGGER gate BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${table}_gate()`);
  },
};

const mariadb: Engine = {
  name: 'mariadb',
  create: (name) => createTestSqlDatabase('mariadb', name),
  text: 'varchar(255)',
  async others(db) {
    const rows = await db.exec('SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID()');
    return rows.map((r) => Number(r.id));
  },
  async waitingForLock(db) {
    const rows = await db.exec("SELECT trx_mysql_thread_id AS id FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'");
    return rows.map((r) => Number(r.id));
  },
  async kill(db, id) {
    await db.exec(`KILL CONNECTION ${Number(id)}`);
  },
  async cancel(db, id) {
    await db.exec(`KILL QUERY ${Number(id)}`);
  },
  async gateInsert(db, table, gate, id) {
    await db.exec(`CREATE TRIGGER ${table}_gate BEFORE INSERT ON ${table} FOR EACH ROW BEGIN IF NEW.id = '${id}' THEN SELECT 1 INTO @gate FROM ${gate} FOR UPDATE; END IF; END`);
  },
};

/**
 * What a database that fails mid-way does to the connector: a read whose session ends throws and
 * is never a shorter snapshot; an apply whose session ends, or whose statement is cancelled, rolls
 * back whole, says so (retryable), and retrying it leaves every row once.
 */
describe.each([postgres, mariadb])('SqlConnector faults against $name', (engine) => {
  let db: TestDb;
  const open: SqlConnector[] = [];

  beforeAll(async () => {
    db = await engine.create(uniqueName('idsync_sql_faults'));
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });
  afterAll(() => db?.drop());

  const connector = (table: string, batchSize = 100) => {
    const c = new SqlConnector({ url: db.url, table, keyColumn: 'id', batchSize });
    open.push(c);
    return c;
  };

  /** A fresh `people` table with `count` rows, keyed u0000, u0001... */
  async function peopleTable(name: string, count = 0): Promise<string> {
    await db.exec(`CREATE TABLE ${name} (id ${engine.text} PRIMARY KEY, name ${engine.text} NOT NULL, mail ${engine.text})`);
    for (let start = 0; start < count; start += 500) {
      const ids = Array.from({ length: Math.min(500, count - start) }, (_, i) => key(start + i));
      await db.exec(`INSERT INTO ${name} (id, name) VALUES ${ids.map((id) => `('${id}', 'Person ${id}')`).join(', ')}`);
    }
    return name;
  }
  const key = (i: number) => `u${String(i).padStart(4, '0')}`;

  /** Ends every connection the connector holds to the test database, and waits until the server has let them go. */
  async function killConnector(): Promise<void> {
    const ids = await engine.others(db);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) await engine.kill(db, id);
    await waitFor(async () => (await engine.others(db)).every((id) => !ids.includes(id)), 10_000, 'the killed connections to end');
  }

  it('throws CONNECTOR.UNREACHABLE, never a shorter snapshot, when the reading session is killed between two pages', async () => {
    const table = await peopleTable('read_killed', 300);
    const c = connector(table);
    const pages = c.readSnapshot({ objectType: 'user' })[Symbol.asyncIterator]();
    const read: ConnectorObject[] = [];
    const first = await pages.next();
    if (!first.done) read.push(...first.value);
    await killConnector();
    const error = await (async () => {
      for (let page = await pages.next(); !page.done; page = await pages.next()) read.push(...page.value);
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONNECTOR.UNREACHABLE', retryable: true });
    expect(read.map((o) => o.key)).toEqual(Array.from({ length: 100 }, (_, i) => key(i)));
    // The pool replaces the dead connection: the next read is whole.
    const again: ConnectorObject[] = [];
    for await (const page of c.readSnapshot({ objectType: 'user' })) again.push(...page);
    expect(again).toHaveLength(300);
  });

  // PostgreSQL only (registered for it alone, not skipped for MariaDB): the limit can be set on the test database
  // alone. MariaDB's is server-wide, and the server is shared.
  if (engine === postgres)
    it('throws, never a shorter snapshot, when the server ends a read held open past its idle-in-transaction limit', async () => {
    const table = await peopleTable('read_idle', 300);
    const name = new URL(db.url).pathname.slice(1);
    await db.exec(`ALTER DATABASE "${name}" SET idle_in_transaction_session_timeout = '200ms'`);
    try {
      const c = connector(table);
      const pages = c.readSnapshot({ objectType: 'user' })[Symbol.asyncIterator]();
      const read: ConnectorObject[] = [];
      const first = await pages.next();
      if (!first.done) read.push(...first.value);
      // A slow consumer: the server ends the reading session while it waits.
      await waitFor(async () => (await engine.others(db)).length === 0, 10_000, 'the server to end the idle read');
      const error = await (async () => {
        for (let page = await pages.next(); !page.done; page = await pages.next()) read.push(...page.value);
      })().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'CONNECTOR.UNREACHABLE', retryable: true });
      expect(read).toHaveLength(100);
    } finally {
      await db.exec(`ALTER DATABASE "${name}" RESET idle_in_transaction_session_timeout`);
    }
  });

  const WRITES = 3000;

  interface InterruptedApply {
    c: SqlConnector;
    table: string;
    operations: ConnectorOperation[];
    /** The outcomes, or the error apply threw. */
    result: unknown;
  }

  /**
   * Applies 3,000 creates and an update in one call, and while the transaction waits for a lock
   * half-way through, interrupts it with `fault`; returns what the apply returned or threw.
   */
  async function interruptedApply(name: string, fault: (writer: number) => Promise<void>): Promise<InterruptedApply> {
    const table = await peopleTable(name);
    const gate = `${name}_gate`;
    await db.exec(`CREATE TABLE ${gate} (id integer PRIMARY KEY)`);
    await db.exec(`INSERT INTO ${gate} (id) VALUES (1)`);
    // The insert of the middle row waits for the gate: the apply then stops half-way, on the server, for as long as the test holds it.
    await engine.gateInsert(db, table, gate, key(WRITES / 2));
    const operations: ConnectorOperation[] = Array.from({ length: WRITES }, (_, i) => ({ kind: 'create', dn: key(i), changes: [{ attribute: 'name', values: [`Person ${i}`] }] }));
    operations.push({ kind: 'update', dn: key(1), changes: [{ attribute: 'mail', values: ['one@example.org'] }] });
    const c = connector(table);

    const holder = await db.other();
    await holder.exec(engine === postgres ? 'BEGIN' : 'START TRANSACTION');
    await holder.exec(`SELECT id FROM ${gate} FOR UPDATE`);
    let applying: Promise<unknown> | undefined;
    try {
      applying = c.apply(operations).catch((e: unknown) => e);
      const [writer] = await waitFor(async () => {
        const ids = await engine.waitingForLock(db);
        return ids.length ? ids : undefined;
      }, 20_000, 'the apply to reach the gated row');
      await fault(writer);
    } finally {
      // Released before the apply is awaited: an apply that wrongly went on after the fault then
      // finishes (and fails the test) instead of waiting for the gate.
      await holder.exec('ROLLBACK');
      await holder.end();
    }
    return { c, table, operations, result: await applying };
  }

  /** Nothing of the interrupted apply is left; the retry applies all of it, and a second retry (as after a commit whose answer was lost) changes nothing. */
  async function expectRetryAppliesOnce({ c, table, operations }: InterruptedApply): Promise<void> {
    const count = async () => {
      const [{ n, d }] = await db.exec(`SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d FROM ${table}`);
      return [Number(n), Number(d)];
    };
    // One transaction: the 1,500 rows written before the fault are gone with it.
    expect(await count()).toEqual([0, 0]);
    for (let attempt = 1; attempt <= 2; attempt++) {
      expect(await c.apply(operations)).toEqual(operations.map(() => ({ status: 'succeeded' })));
      expect(await count()).toEqual([WRITES, WRITES]);
    }
    expect(await db.exec(`SELECT id, name, mail FROM ${table} WHERE id = '${key(1)}'`)).toEqual([{ id: key(1), name: 'Person 1', mail: 'one@example.org' }]);
  }

  it('rolls back an apply whose session is killed mid-transaction and throws CONNECTOR.UNREACHABLE; the retry leaves every row once', async () => {
    const applied = await interruptedApply('write_killed', (writer) => engine.kill(db, writer));
    expect(applied.result).toMatchObject({ code: 'CONNECTOR.UNREACHABLE', retryable: true });
    await expectRetryAppliesOnce(applied);
  });

  it('reports every operation of an apply whose statement is cancelled mid-transaction as retryable, never failed', async () => {
    const applied = await interruptedApply('write_cancelled', (writer) => engine.cancel(db, writer));
    // The server is alive and kept the connection, but it rolled the statement back: nothing in the batch was refused for its data.
    expect(applied.result).toEqual(applied.operations.map(() => ({ status: 'retryable', message: expect.stringMatching(/^rolled back with the whole apply: .*(cancel|interrupt)/i) })));
    await expectRetryAppliesOnce(applied);
  });
});
