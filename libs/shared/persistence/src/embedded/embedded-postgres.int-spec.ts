import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Column, Entity, PrimaryColumn, type DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createServiceDataSource, initializeServiceDataSource } from '../service-data-source';
import { embeddedDatabaseLock } from './async-mutex';
import { EmbeddedPool } from './embedded-pool';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

@Entity({ name: 'notes' })
class Note {
  @PrimaryColumn('text')
  id!: string;

  @Column('text')
  author!: string;
}

class CreateNotes1764000000101 implements MigrationInterface {
  name = 'CreateNotes1764000000101';
  async up(q: QueryRunner): Promise<void> {
    const schema = (q.connection.options as { schema: string }).schema;
    await q.query(`CREATE TABLE "${schema}".notes (id text PRIMARY KEY, author text NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    const schema = (q.connection.options as { schema: string }).schema;
    await q.query(`DROP TABLE "${schema}".notes`);
  }
}

// The integration project's testTimeout does not reach here (Jest reads it only globally), and
// starting PGlite takes seconds.
jest.setTimeout(60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
class Abandon extends Error {}

describe('embedded Postgres', () => {
  let dataDir: string;
  let pg: EmbeddedPostgres | undefined;
  let sources: DataSource[] = [];

  const open = async (schema: string) => {
    const ds = createServiceDataSource({ url: pg!.url, schema, entities: [Note], migrations: [CreateNotes1764000000101], embedded: true });
    sources.push(ds);
    await initializeServiceDataSource(ds);
    return ds;
  };
  const closeAll = async () => {
    for (const ds of sources) if (ds.isInitialized) await ds.destroy();
    sources = [];
    await pg?.stop();
    pg = undefined;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'idsync-embedded-pg-'));
    pg = await startEmbeddedPostgres({ dataDir });
  });
  afterAll(async () => {
    await closeAll();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps two concurrent transactions of two data sources apart', async () => {
    const left = await open('left');
    const right = await open('right');
    const events: string[] = [];
    let waitingDuringLeft = 0;
    let leftStarted!: () => void;
    const leftInside = new Promise<void>((r) => (leftStarted = r));

    const leftRun = left
      .transaction(async (em) => {
        await em.insert(Note, { id: 'l1', author: 'left' });
        events.push('left 1');
        leftStarted();
        await sleep(50); // the right transaction starts meanwhile and must wait
        waitingDuringLeft = embeddedDatabaseLock().waiting;
        await em.insert(Note, { id: 'l2', author: 'left' });
        events.push('left 2');
        throw new Abandon('roll back');
      })
      .catch((e: unknown) => {
        if (!(e instanceof Abandon)) throw e;
        events.push('left rolled back');
      });
    await leftInside;
    const rightRun = right.transaction(async (em) => {
      await em.insert(Note, { id: 'r1', author: 'right' });
      events.push('right 1');
      await sleep(50);
      await em.insert(Note, { id: 'r2', author: 'right' });
      events.push('right 2');
    });
    await Promise.all([leftRun, rightRun]);

    expect(waitingDuringLeft).toBe(1); // held back by the process-wide lock, not by the server
    expect(events).toEqual(['left 1', 'left 2', 'left rolled back', 'right 1', 'right 2']);
    expect(await left.getRepository(Note).find({ order: { id: 'ASC' } })).toEqual([]);
    expect(await right.getRepository(Note).find({ order: { id: 'ASC' } })).toEqual([
      { id: 'r1', author: 'right' },
      { id: 'r2', author: 'right' },
    ]);
  });

  it('makes pool.query() wait for the lock too', async () => {
    const pool = new EmbeddedPool({ connectionString: pg!.url, max: 2 });
    try {
      const held = await pool.connect();
      let answered = false;
      const direct = pool.query('SELECT 1 AS one').then((r) => {
        answered = true;
        return r.rows;
      });
      await sleep(100);
      expect(answered).toBe(false);
      held.release();
      expect(await direct).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('rolls back a client given back inside a transaction before the next one runs', async () => {
    const pool = new EmbeddedPool({ connectionString: pg!.url, max: 1 });
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const leaky = await pool.connect();
      await leaky.query('BEGIN');
      await leaky.query(`INSERT INTO "right".notes VALUES ('leak', 'nobody')`);
      leaky.release();
      const next = await pool.connect();
      try {
        expect(next.getTransactionStatus()).toBe('I');
        expect((await next.query(`SELECT id FROM "right".notes WHERE id = 'leak'`)).rows).toEqual([]);
      } finally {
        next.release();
      }
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('inside a transaction'), { code: 'IDSYNC_EMBEDDED_DB_OPEN_TRANSACTION' });
    } finally {
      warn.mockRestore();
      await pool.end();
    }
  });

  it('keeps committed data across a restart on the same data directory', async () => {
    await closeAll();
    pg = await startEmbeddedPostgres({ dataDir });
    const right = createServiceDataSource({ url: pg.url, schema: 'right', entities: [Note], migrations: [CreateNotes1764000000101], embedded: true });
    sources.push(right);
    expect(await initializeServiceDataSource(right)).toEqual([]); // already migrated before the restart
    expect(await right.getRepository(Note).find({ order: { id: 'ASC' } })).toEqual([
      { id: 'r1', author: 'right' },
      { id: 'r2', author: 'right' },
    ]);
    const left = await open('left');
    expect(await left.getRepository(Note).count()).toBe(0);
  });
});
