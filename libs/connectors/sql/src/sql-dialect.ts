import type { SqlFailureKind } from './sql-errors';

export interface SqlResult {
  rows: Record<string, unknown>[];
  /** Rows the statement affected (for UPDATE: rows matched, on both engines). */
  rowCount: number;
}

/** One connection taken from the pool. */
export interface SqlSession {
  /** Values always travel as parameters, never spliced into `sql`. */
  query(sql: string, params?: unknown[]): Promise<SqlResult>;
  /** `broken` drops the connection instead of returning it to the pool. */
  release(broken?: boolean): void;
}

/** What differs between PostgreSQL and MariaDB; everything else is built once in the connector. */
export interface SqlDialect {
  readonly engine: 'postgres' | 'mariadb';
  /** Placeholders one statement may carry (both protocols count them in 16 bits). */
  readonly maxParams: number;
  connect(): Promise<SqlSession>;
  end(): Promise<void>;
  /** Quotes one already validated identifier part. */
  quote(identifier: string): string;
  /** The n-th (1-based) placeholder. */
  param(n: number): string;
  /** Starts a read-only transaction whose reads all see one snapshot, so pages fit together. */
  readonly beginSnapshot: string;
  /** The expression as text in the engine's own spelling, which it parses back to the same value. */
  asText(expression: string): string;
  /** Column names of a table, ordered; parameters: [schema or null, table]. */
  readonly columnsSql: string;
  /** What follows `INSERT INTO t (cols) VALUES ...` to turn it into an upsert on `key`. */
  upsertSuffix(key: string, updateColumns: string[]): string;
  classify(e: unknown): SqlFailureKind;
}

/** `schema.table` or `table`, each part quoted. */
export function qualified(dialect: SqlDialect, table: { schema?: string; name: string }): string {
  return table.schema ? `${dialect.quote(table.schema)}.${dialect.quote(table.name)}` : dialect.quote(table.name);
}
