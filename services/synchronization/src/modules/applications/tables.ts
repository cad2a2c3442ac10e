import type { DataSource, EntityManager } from 'typeorm';

/** Quoted table names in this service's schema. */
export function tables(ds: DataSource | EntityManager) {
  const opts = ('options' in ds ? ds.options : ds.connection.options) as { schema?: string };
  const s = `"${opts.schema ?? 'public'}"`;
  return { applications: `${s}.applications`, operations: `${s}.operations`, results: `${s}.results`, links: `${s}.links` };
}

/** TypeORM answers INSERT/UPDATE ... RETURNING on Postgres with [rows, count]. */
export function returned<T>(res: unknown): T[] {
  const r = res as unknown[];
  return (Array.isArray(r[0]) ? r[0] : r) as T[];
}
