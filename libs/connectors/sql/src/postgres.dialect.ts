import { Pool, types } from 'pg';
import type { SqlDialect, SqlSession } from './sql-dialect';
import { isNetworkError, type SqlFailureKind } from './sql-errors';

/**
 * Type parsers that keep values independent of the process time zone: a `date` stays `YYYY-MM-DD` (as a Date
 * it would be local midnight and could print as the previous day), and a `timestamp` without time zone is
 * read as UTC, the zone every session is set to.
 */
const PARSERS: Record<number, (text: string) => unknown> = {
  1082: (text) => text,
  1114: (text) => {
    const d = new Date(`${text.replace(' ', 'T')}Z`);
    return Number.isNaN(d.getTime()) ? text : d;
  },
};
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => PARSERS[oid] ?? types.getTypeParser(oid, format)) as typeof types.getTypeParser,
};

const AUTH = new Set(['28P01', '28000']);
const TRANSIENT = new Set(['40001', '40P01', '55P03', '53300', '53200', '57014']);

export class PostgresDialect implements SqlDialect {
  readonly engine = 'postgres';
  readonly maxParams = 65_535;
  readonly beginSnapshot = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';
  readonly columnsSql =
    'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = COALESCE($1::text, current_schema()) AND table_name = $2 ORDER BY ordinal_position';
  private readonly pool: Pool;

  constructor(url: string, connectTimeoutMs: number) {
    this.pool = new Pool({ connectionString: url, max: 4, connectionTimeoutMillis: connectTimeoutMs, options: '-c TimeZone=UTC', types: typeParsers });
    // pg emits 'error' on an idle client whose server went away; unhandled, that would end the process.
    // The next query on the pool reports the failure where it can be handled.
    this.pool.on('error', () => undefined);
    this.pool.on('connect', (client) => client.on('error', () => undefined));
  }

  async connect(): Promise<SqlSession> {
    const client = await this.pool.connect();
    return {
      query: async (sql, params) => {
        const r = await client.query(sql, params);
        return { rows: r.rows, rowCount: r.rowCount ?? 0 };
      },
      release: (broken) => client.release(broken || undefined),
    };
  }

  end(): Promise<void> {
    return this.pool.end();
  }

  quote(identifier: string): string {
    return `"${identifier.replace(/"/g, '""')}"`;
  }

  param(n: number): string {
    return `$${n}`;
  }

  asText(expression: string): string {
    return `(${expression})::text`;
  }

  upsertSuffix(key: string, updateColumns: string[]): string {
    if (!updateColumns.length) return ` ON CONFLICT (${this.quote(key)}) DO NOTHING`;
    return ` ON CONFLICT (${this.quote(key)}) DO UPDATE SET ${updateColumns.map((c) => `${this.quote(c)} = EXCLUDED.${this.quote(c)}`).join(', ')}`;
  }

  classify(e: unknown): SqlFailureKind {
    const code = (e as { code?: string })?.code ?? '';
    if (AUTH.has(code)) return 'auth';
    if (code === '3D000') return 'no-database';
    if (code === '42P01' || code === '3F000') return 'no-table';
    // 25P03 and 57P05: the server ended a session idle too long (in a transaction, or at all).
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '57P05' || code === '25P03') return 'connection';
    if (TRANSIENT.has(code)) return 'transient';
    // SQLSTATEs are five characters; anything else (ECONNREFUSED, no code) came from below SQL.
    if (code.length !== 5 && isNetworkError(e)) return 'connection';
    return 'statement';
  }
}
