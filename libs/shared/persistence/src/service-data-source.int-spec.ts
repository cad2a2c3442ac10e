import { createTestDatabase, type TestDatabase } from '@idsync/testing';
import { Client } from 'pg';
import { Column, Entity, PrimaryColumn, type DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createServiceDataSource, initializeServiceDataSource } from './service-data-source';

// The integration project's testTimeout does not reach here (Jest reads it only globally).
jest.setTimeout(60_000);

@Entity({ name: 'people' })
class Person {
  @PrimaryColumn('text')
  id!: string;

  @Column('text')
  name!: string;

  @Column('text', { nullable: true })
  email!: string | null;
}

const schemaOf = (q: QueryRunner) => `"${(q.connection.options as { schema: string }).schema}"`;

class CreatePeople1764000000001 implements MigrationInterface {
  name = 'CreatePeople1764000000001';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ${schemaOf(q)}.people (id text PRIMARY KEY, name text NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${schemaOf(q)}.people`);
  }
}

class AddPersonEmail1764000000002 implements MigrationInterface {
  name = 'AddPersonEmail1764000000002';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${schemaOf(q)}.people ADD COLUMN email text`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${schemaOf(q)}.people DROP COLUMN email`);
  }
}

const migrations = [CreatePeople1764000000001, AddPersonEmail1764000000002];
const names = migrations.map((m) => m.name);

describe('service data sources on Postgres', () => {
  let db: TestDatabase;
  const open: DataSource[] = [];
  const make = (schema: string) => {
    const ds = createServiceDataSource({ url: db.url, schema, entities: [Person], migrations });
    open.push(ds);
    return ds;
  };

  beforeAll(async () => {
    db = await createTestDatabase('persistence');
  });
  afterAll(async () => {
    for (const ds of open) if (ds.isInitialized) await ds.destroy();
    await db?.drop();
  });

  it('runs each schema its migrations, recorded in that schema, and keeps their rows apart', async () => {
    const alpha = make('alpha');
    const beta = make('beta');
    expect((await initializeServiceDataSource(alpha)).map((m) => m.name)).toEqual(names);
    expect((await initializeServiceDataSource(beta)).map((m) => m.name)).toEqual(names);

    const tables: { table_schema: string; table_name: string }[] = await alpha.query(
      `SELECT table_schema, table_name FROM information_schema.tables
       WHERE table_schema IN ('alpha', 'beta', 'public') ORDER BY table_schema, table_name`,
    );
    expect(tables).toEqual([
      { table_schema: 'alpha', table_name: 'migrations' },
      { table_schema: 'alpha', table_name: 'people' },
      { table_schema: 'beta', table_name: 'migrations' },
      { table_schema: 'beta', table_name: 'people' },
    ]);
    const recorded: { name: string }[] = await beta.query(`SELECT name FROM beta.migrations ORDER BY id`);
    expect(recorded.map((r) => r.name)).toEqual(names);

    await alpha.getRepository(Person).insert({ id: 'p1', name: 'Ada', email: 'ada@example.org' });
    expect(await alpha.getRepository(Person).find()).toEqual([{ id: 'p1', name: 'Ada', email: 'ada@example.org' }]);
    expect(await beta.getRepository(Person).count()).toBe(0);
    expect(await beta.query(`SELECT * FROM beta.people`)).toEqual([]);
  });

  it('runs nothing the second time', async () => {
    const again = make('alpha');
    expect(await initializeServiceDataSource(again)).toEqual([]);
    expect(await again.getRepository(Person).count()).toBe(1);
  });

  it('migrates once when two replicas boot at the same time', async () => {
    const [a, b] = [make('gamma'), make('gamma')];
    const ran = await Promise.all([initializeServiceDataSource(a), initializeServiceDataSource(b)]);
    expect(ran.map((r) => r.length).sort()).toEqual([0, 2]);
  });

  it('destroys the data source when a migration fails, leaving the schema as it was', async () => {
    class Broken1764000000003 implements MigrationInterface {
      name = 'Broken1764000000003';
      async up(q: QueryRunner): Promise<void> {
        await q.query(`CREATE TABLE ${schemaOf(q)}.half_done (id int)`);
        await q.query(`SELECT no_such_function()`);
      }
      async down(): Promise<void> {}
    }
    const ds = createServiceDataSource({ url: db.url, schema: 'delta', entities: [Person], migrations: [...migrations, Broken1764000000003] });
    open.push(ds);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined); // TypeORM reports the failure itself
    try {
      await expect(initializeServiceDataSource(ds)).rejects.toThrow(/no_such_function/);
    } finally {
      log.mockRestore();
    }
    expect(ds.isInitialized).toBe(false);

    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      // All pending migrations run in one transaction: none of them left anything behind.
      const { rows } = await c.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'delta'`);
      expect(rows).toEqual([{ table_name: 'migrations' }]);
      expect((await c.query(`SELECT count(*)::int AS n FROM delta.migrations`)).rows).toEqual([{ n: 0 }]);
    } finally {
      await c.end();
    }
  });

  it('refuses a schema name that TypeORM would split or case-fold', () => {
    expect(() => createServiceDataSource({ url: db.url, schema: 'My.Schema', entities: [], migrations: [] })).toThrow(/lower-case/);
  });
});
