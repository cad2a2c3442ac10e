import { DataSource, MigrationExecutor, type Migration } from 'typeorm';
import { embeddedPgDriver } from './embedded/embedded-pool';

export interface ServiceDataSourceOptions {
  /** Postgres URL, e.g. `postgres://idsync:idsync@postgres:5432/idsync` or an embedded server's URL. */
  url: string;
  /** The one schema this data source owns: its tables and its `migrations` table live there. */
  schema: string;
  entities: Function[];
  /** Run in array order; each class needs a `name` ending in its timestamp. */
  migrations: Function[];
  /** Connections in the pool (default 10). Always 1 when `embedded`. */
  poolSize?: number;
  /** True on the embedded database: every connection of the process is serialized (see EmbeddedPool). */
  embedded?: boolean;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A TypeORM data source bound to one schema: no synchronize, migrations only, run by
 * `initializeServiceDataSource`, and recorded in `<schema>.migrations` so that every service
 * keeps its own migration history.
 *
 * @example
 *   const ds = createServiceDataSource({ url, schema: 'history', entities: [ChangeRecord], migrations: [History1763900000001] });
 *   await initializeServiceDataSource(ds);
 */
export function createServiceDataSource(opts: ServiceDataSourceOptions): DataSource {
  if (!SCHEMA_NAME.test(opts.schema)) {
    // TypeORM builds table paths as `schema.table` and splits them on dots; a plain lower-case
    // name also keeps the schema the same whether or not a query quotes it.
    throw new Error(`schema name "${opts.schema}" must be lower-case letters, digits and underscores, starting with a letter or underscore`);
  }
  return new DataSource({
    type: 'postgres',
    url: opts.url,
    schema: opts.schema,
    entities: opts.entities,
    migrations: opts.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    // Extensions are the migrations' business, not something to attempt at every connect.
    installExtensions: false,
    applicationName: `idsync:${opts.schema}`,
    poolSize: opts.embedded ? 1 : (opts.poolSize ?? 10),
    ...(opts.embedded
      ? {
          driver: embeddedPgDriver,
          // Keep the one socket open: closing an idle one makes the server roll back and reconnect for nothing.
          extra: { idleTimeoutMillis: 0 },
        }
      : {}),
  });
}

/**
 * Initializes the data source, creates its schema if missing and runs its pending migrations
 * (in one transaction). Returns the migrations it ran. On failure the data source is destroyed
 * and the error rethrown, so a failed boot leaves no pool open.
 *
 * The schema can only be created once connected, so it is created right after `initialize()`:
 * nothing in between touches it (`synchronize` and `migrationsRun` are off).
 *
 * Everything runs on one connection holding a Postgres advisory lock named after the schema, so
 * two replicas of a service booting at once migrate one after the other instead of both trying to
 * create the same tables. One connection also matters in embedded mode, where a second connection
 * awaited while holding the first would wait forever.
 *
 * @example
 *   const ran = await initializeServiceDataSource(ds); // e.g. [{ name: 'History1763900000001', ... }]
 */
export async function initializeServiceDataSource(ds: DataSource): Promise<Migration[]> {
  const schema = (ds.options as { schema?: string }).schema;
  if (!schema) throw new Error('initializeServiceDataSource needs a data source made by createServiceDataSource (no schema set)');
  try {
    if (!ds.isInitialized) await ds.initialize();
    const runner = ds.createQueryRunner('master');
    try {
      const lockKey = `idsync:migrations:${schema}`;
      await runner.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
      try {
        await runner.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
        const executor = new MigrationExecutor(ds, runner);
        executor.transaction = ds.options.migrationsTransactionMode ?? 'all';
        return await executor.executePendingMigrations();
      } finally {
        // Not allowed to hide the migration's own error; a lost connection drops the lock anyway.
        await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => undefined);
      }
    } finally {
      await runner.release();
    }
  } catch (e) {
    if (ds.isInitialized) await ds.destroy().catch(() => undefined);
    throw e;
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
