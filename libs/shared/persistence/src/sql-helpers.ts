import type { DataSource, EntityManager } from 'typeorm';

/** The schema a service's data source (or a transaction of it) works in. */
export function schemaNameOf(source: DataSource | EntityManager): string {
  const options = ('connection' in source ? source.connection.options : source.options) as { schema?: string };
  return options.schema ?? 'public';
}

/** `"schema".table` for hand-written SQL in the service's own schema. */
export function qualifiedTable(source: DataSource | EntityManager, table: string): string {
  return `"${schemaNameOf(source).replace(/"/g, '""')}".${table}`;
}

/**
 * The rows of an INSERT/UPDATE/DELETE ... RETURNING: TypeORM answers those on Postgres with
 * [rows, affected], and a SELECT with the rows alone.
 */
export function returnedRows<T>(result: unknown): T[] {
  const r = result as unknown[];
  return (Array.isArray(r[0]) ? r[0] : r) as T[];
}
