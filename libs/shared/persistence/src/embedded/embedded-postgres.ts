import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface EmbeddedPostgresOptions {
  /** Where the database files live; created if missing. What was committed survives a restart. */
  dataDir: string;
  /** TCP port on 127.0.0.1; default 0, a free port chosen by the system (read it from `url`). */
  port?: number;
  /**
   * Socket connections the server accepts at once (default 64). Each embedded-mode data source
   * keeps one open; only one of them works at a time (see EmbeddedPool).
   */
  maxConnections?: number;
}

export interface EmbeddedPostgres {
  /** A Postgres URL any `pg` client can use, e.g. `postgres://postgres@127.0.0.1:41234/postgres`. */
  url: string;
  /** Stops the server and closes the database cleanly. Destroy the data sources using it first. */
  stop(): Promise<void>;
}

/**
 * Postgres without a server to install: PGlite (Postgres compiled to WebAssembly) kept in
 * `dataDir` and served by `@electric-sql/pglite-socket` on a loopback socket, so that TypeORM and
 * `pg` use it like any Postgres. Both run on a worker thread of this process
 * (`pglite-server.worker.js` says why).
 *
 * HAZARDS:
 * - PGlite has ONE backend session. Every connection to this server shares its transaction state
 *   and its settings (`SET` by one connection applies to all). Connect with
 *   `createServiceDataSource({ ..., embedded: true })` or `EmbeddedPool`, which serialize all
 *   database work of the process (and say what that costs).
 * - One process per `dataDir`: two PGlite instances on the same files corrupt them.
 *
 * @example
 *   const pg = await startEmbeddedPostgres({ dataDir: '.idsync/db' });
 *   const ds = createServiceDataSource({ url: pg.url, schema: 'history', entities, migrations, embedded: true });
 *   await initializeServiceDataSource(ds);
 *   // ...
 *   await ds.destroy();
 *   await pg.stop();
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(opts.dataDir);
  if (running.has(dataDir)) throw new Error(`embedded Postgres is already running on ${dataDir} in this process`);
  mkdirSync(dataDir, { recursive: true });
  running.add(dataDir);
  const worker = new Worker(join(__dirname, 'pglite-server.worker.js'), {
    workerData: { dataDir, port: opts.port ?? 0, maxConnections: opts.maxConnections ?? 64 },
  });
  let port: number;
  try {
    port = await reply(worker, `embedded Postgres in ${dataDir} did not start`, (m) => {
      if (m.type === 'failed') throw new Error(m.error);
      return m.type === 'listening' ? m.port : undefined;
    });
  } catch (e) {
    await worker.terminate();
    running.delete(dataDir);
    throw e;
  }
  // No 'error' listener between start and stop, on purpose: if the database thread crashes,
  // nothing can work any more and the process should fail loudly rather than limp on.
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    try {
      const answer = reply(worker, `embedded Postgres in ${dataDir} did not stop cleanly`, (m) => {
        if (m.type !== 'stopped') return undefined;
        if (m.error) throw new Error(m.error);
        return true;
      });
      worker.postMessage({ type: 'stop' });
      await answer;
    } finally {
      await worker.terminate();
      running.delete(dataDir);
    }
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => (stopping ??= stop()),
  };
}

/** The first message of the database thread that `pick` accepts; fails if the thread fails or exits first. */
function reply<T>(worker: Worker, failure: string, pick: (m: WorkerMessage) => T | undefined): Promise<T> {
  return new Promise<T>((ok, fail) => {
    const settle = (err: unknown, value?: T) => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (err) fail(new Error(`${failure}: ${err instanceof Error ? err.message : String(err)}`));
      else ok(value as T);
    };
    const onMessage = (m: WorkerMessage) => {
      try {
        const value = pick(m);
        if (value !== undefined) settle(undefined, value);
      } catch (e) {
        settle(e);
      }
    };
    const onError = (e: Error) => settle(e);
    const onExit = (code: number) => settle(`the database thread exited with code ${code}`);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}

/** Data directories served by this process: a second PGlite on the same files would corrupt them. */
const running = new Set<string>();

type WorkerMessage = { type: 'listening'; port: number } | { type: 'failed'; error: string } | { type: 'stopped'; error?: string };
