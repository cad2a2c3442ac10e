/**
 * @idsync/persistence — one TypeORM data source per service schema (no synchronize, its own
 * `migrations` table, migrations run at boot), and the embedded Postgres (PGlite) used when no
 * server is installed.
 *
 * @example
 *   const ds = createServiceDataSource({ url: process.env.DATABASE_URL!, schema: 'history', entities, migrations });
 *   await initializeServiceDataSource(ds);
 */
export * from './service-data-source';
export * from './embedded/embedded-postgres';
export * from './embedded/embedded-pool';
export * from './embedded/async-mutex';
export * from './sql-helpers';
