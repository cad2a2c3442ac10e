import { createPool, type Pool } from 'mysql2';
import type { Pool as PromisePool, ResultSetHeader } from 'mysql2/promise';
import type { SqlDialect, SqlSession } from './sql-dialect';
import { isNetworkError, type SqlFailureKind } from './sql-errors';

const AUTH = new Set([1044, 1045, 1698]);
/**
 * Deadlock, lock wait timeout, too many connections, too many connections for this user, and a
 * statement interrupted (KILL QUERY, max_statement_time; MySQL's max_execution_time): the server
 * refused nothing in the data, so the same statement can succeed later.
 */
const TRANSIENT = new Set([1213, 1205, 1040, 1203, 1226, 1317, 1969, 3024]);
/** Server gone away, lost connection during query, connection killed. */
const CONNECTION = new Set([2006, 2013, 1927]);

export class MariaDbDialect implements SqlDialect {
  readonly engine = 'mariadb';
  readonly maxParams = 65_535;
  readonly beginSnapshot = 'START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY';
  readonly columnsSql =
    'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ? ORDER BY ordinal_position';
  private readonly core: Pool;
  private readonly pool: PromisePool;

  /** `url` is mysql://user:password@host:port/database (mariadb:// is accepted too). */
  constructor(url: string, connectTimeoutMs: number) {
    const u = new URL(url);
    this.core = createPool({
      host: u.hostname,
      port: u.port ? Number(u.port) : 3306,
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      database: decodeURIComponent(u.pathname.replace(/^\//, '')) || undefined,
      connectionLimit: 4,
      connectTimeout: connectTimeoutMs,
      // Dates are converted as UTC on both sides; DATE stays text, so no zone can shift it by a day.
      timezone: 'Z',
      dateStrings: ['DATE'],
      // BIGINT and DECIMAL as text: a JavaScript number would round them.
      supportBigNumbers: true,
      bigNumberStrings: true,
    });
    // TIMESTAMP columns are converted to and from the session zone; pin it so values read as UTC.
    // Queries on a connection run in order, so this runs before the first statement it serves.
    this.core.on('connection', (c) => c.query("SET time_zone = '+00:00'"));
    this.pool = this.core.promise();
  }

  async connect(): Promise<SqlSession> {
    const conn = await this.pool.getConnection();
    return {
      query: async (sql, params) => {
        // execute() sends server-side prepared statements, so values are never interpolated into the text;
        // statements without parameters (transaction control) go through query(), which the binary protocol
        // does not support for all of them.
        const [result] = params?.length ? await conn.execute(sql, params as never[]) : await conn.query(sql);
        if (Array.isArray(result)) return { rows: result as Record<string, unknown>[], rowCount: result.length };
        return { rows: [], rowCount: (result as ResultSetHeader).affectedRows };
      },
      release: (broken) => (broken ? conn.destroy() : conn.release()),
    };
  }

  end(): Promise<void> {
    return this.pool.end();
  }

  quote(identifier: string): string {
    return `\`${identifier.replace(/`/g, '``')}\``;
  }

  param(): string {
    return '?';
  }

  asText(expression: string): string {
    return `CAST(${expression} AS CHAR)`;
  }

  upsertSuffix(key: string, updateColumns: string[]): string {
    // MariaDB has no conflict target: any unique key that collides turns the insert into this update.
    if (!updateColumns.length) return ` ON DUPLICATE KEY UPDATE ${this.quote(key)} = ${this.quote(key)}`;
    return ` ON DUPLICATE KEY UPDATE ${updateColumns.map((c) => `${this.quote(c)} = VALUES(${this.quote(c)})`).join(', ')}`;
  }

  classify(e: unknown): SqlFailureKind {
    const err = e as { errno?: number; code?: string; fatal?: boolean; sqlState?: string };
    if (err?.errno !== undefined && AUTH.has(err.errno)) return 'auth';
    if (err?.errno === 1049) return 'no-database';
    if (err?.errno === 1146) return 'no-table';
    if (err?.errno !== undefined && TRANSIENT.has(err.errno)) return 'transient';
    if (err?.fatal || (err?.errno !== undefined && CONNECTION.has(err.errno)) || err?.code === 'PROTOCOL_CONNECTION_LOST' || isNetworkError(e)) return 'connection';
    return 'statement';
  }
}
