import { ConnectorError, type Capabilities, type ChangePage, type ConnectorObject, type ConnectorSchema, type IncrementalConnector, type ConnectorOperation, type OperationOutcome, type ReadOptions } from '@idsync/connector-core';
import { MariaDbDialect } from './mariadb.dialect';
import { PostgresDialect } from './postgres.dialect';
import { batches, plan, runBatch, type Target } from './sql-apply';
import { qualified, type SqlDialect, type SqlSession } from './sql-dialect';
import { describe, redactUrl, sqlError } from './sql-errors';
import { loadTableSchema } from './sql-schema';
import { checkIdentifier, parseTableName, type TableName } from './sql-identifier';
import { loadColumns, requireColumn, tableLabel, type TableColumns } from './sql-table';
import { toText } from './sql-value';

export interface SqlConnectorOptions {
  /** postgres://user:password@host:5432/db, or mysql:// / mariadb://user:password@host:3306/db */
  url: string;
  /** A table or view, optionally `schema.table` (MariaDB: `database.table`). Plain identifiers only. */
  table: string;
  /** Unique, non-null column that keys objects; reads page on it and writes upsert on it. */
  keyColumn: string;
  /** A column that grows with every change (a timestamp or a sequence); enables readChanges(). */
  watermarkColumn?: string;
  /** Columns to read; default every column. The key column is always read. */
  columns?: string[];
  /** Rows per page read and per multi-row statement written; default 1000. */
  batchSize?: number;
  /** Default 10 s. */
  connectTimeoutMs?: number;
}

// Aliases for helper columns in SELECT lists; the double underscore keeps them apart from real column names.
const CURSOR = '__idsync_key';
const MARK = '__idsync_mark';

/**
 * A PostgreSQL or MariaDB table (or view) as a source or a destination; the URL scheme picks the engine.
 * Reads page by key (keyset pagination) inside one read-only snapshot transaction; writes are upserts batched
 * into multi-row statements in one transaction per apply().
 *
 * @example
 *   const db = new SqlConnector({ url: 'postgres://idsync@db:5432/hr', table: 'public.people', keyColumn: 'employee_id', watermarkColumn: 'updated_at' });
 *   await db.testConnection();
 *   for await (const page of db.readSnapshot({ objectType: 'user' })) console.log(page.length);
 *   for await (const { objects, watermark } of db.readChanges(lastMark, { objectType: 'user' })) { handle(objects); lastMark = watermark; }
 *   await db.apply([{ kind: 'update', dn: 'E042', changes: [{ attribute: 'mail', values: ['ada@example.org'] }] }]);
 *   await db.close();
 */
export class SqlConnector implements IncrementalConnector {
  readonly kind = 'sql';
  readonly capabilities: Capabilities;
  private readonly dialect: SqlDialect;
  private readonly table: TableName;
  private readonly tableSql: string;
  private readonly batchSize: number;
  private columns?: TableColumns;

  /** Throws SQL.INVALID_IDENTIFIER for a table or column name that is not a plain identifier, CONNECTOR.CONFIG for a bad URL. */
  constructor(private readonly options: SqlConnectorOptions) {
    this.table = parseTableName(options.table);
    checkIdentifier(options.keyColumn, 'keyColumn');
    if (options.watermarkColumn !== undefined) checkIdentifier(options.watermarkColumn, 'watermarkColumn');
    for (const c of options.columns ?? []) checkIdentifier(c, 'columns');
    this.batchSize = options.batchSize ?? 1000;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new ConnectorError('CONNECTOR.CONFIG', `batchSize must be a positive integer; got ${options.batchSize}`, { batchSize: String(options.batchSize) });
    }
    this.dialect = createDialect(options.url, options.connectTimeoutMs ?? 10_000);
    this.tableSql = qualified(this.dialect, this.table);
    this.capabilities = { read: true, write: true, incremental: options.watermarkColumn !== undefined };
  }

  /** Connects, and checks that the table and every configured column exist (SQL.NO_SUCH_TABLE, SQL.NO_SUCH_COLUMN). */
  async testConnection(): Promise<void> {
    this.columns = undefined;
    await this.withSession(async (session) => {
      await this.readColumns(session, { objectType: '' });
      if (this.options.watermarkColumn) requireColumn(await this.tableColumns(session), this.options.watermarkColumn, 'watermarkColumn', this.table, this.options.url);
    });
  }

  /**
   * The table's columns from information_schema as the one object type (ANY_OBJECT_TYPE) every read returns: each
   * single-valued, typed by its data_type, required when NOT NULL without a default, read-only when generated; keyed
   * and anchored by keyColumn. SQL.NO_SUCH_TABLE / SQL.NO_SUCH_COLUMN as testConnection.
   *
   * @example
   *   const [table] = (await db.discover()).objectTypes; // { name: '*', key: 'employee_id', attributes: [{ name: 'mail', type: 'string', required: false, ... }] }
   */
  async discover(): Promise<ConnectorSchema> {
    return this.withSession(async (session) => {
      const key = requireColumn(await this.tableColumns(session), this.options.keyColumn, 'keyColumn', this.table, this.options.url);
      return { origin: 'peer', objectTypes: [await loadTableSchema(session, this.dialect, this.table, this.options.url, { key, only: this.options.columns })] };
    });
  }

  /** Every row in pages of `pageSize` (default batchSize); SQL.MISSING_KEY / SQL.DUPLICATE_KEY abort the read. */
  async *readSnapshot(options: ReadOptions): AsyncIterable<ConnectorObject[]> {
    const d = this.dialect;
    const size = this.pageSize(options);
    const session = await this.session();
    let done = false;
    try {
      const { key, select } = await this.readColumns(session, options);
      const k = d.quote(key);
      await session.query(d.beginSnapshot);
      const nulls = await session.query(`SELECT 1 AS x FROM ${this.tableSql} WHERE ${k} IS NULL LIMIT 1`);
      if (nulls.rows.length) throw this.keyError('SQL.MISSING_KEY', `a row of ${this.label} has no ${key}; every row needs a key`, key);
      let after: string | undefined;
      for (;;) {
        // One row more than the page: comparing it with the page's last row finds a duplicate key that straddles
        // two pages, which `key > last` would otherwise skip silently.
        const where = after === undefined ? `${k} IS NOT NULL` : `${k} > ${d.param(1)}`;
        const sql = `SELECT ${select}, ${d.asText(k)} AS ${d.quote(CURSOR)} FROM ${this.tableSql} WHERE ${where} ORDER BY ${k} LIMIT ${size + 1}`;
        const { rows } = await session.query(sql, after === undefined ? [] : [after]);
        for (let i = 1; i < rows.length; i++) {
          if (rows[i][CURSOR] === rows[i - 1][CURSOR]) throw this.keyError('SQL.DUPLICATE_KEY', `two rows of ${this.label} have ${key} = "${String(rows[i][CURSOR])}"; the key column must be unique`, key);
        }
        const page = rows.slice(0, size);
        if (page.length) yield page.map((r) => this.toObject(r, key));
        if (rows.length <= size) break;
        after = String(page[page.length - 1][CURSOR]);
      }
      await session.query('COMMIT');
      done = true;
    } catch (e) {
      throw this.error(e);
    } finally {
      // A read abandoned half-way still holds its transaction: drop that connection rather than pool it.
      session.release(!done);
    }
  }

  /**
   * Rows whose watermark is greater than `since` (every row with a watermark when undefined), ordered by watermark
   * then key. Pass the last page's `watermark` as the next `since`; when nothing changed, one empty page keeps
   * `since`. Rows with a NULL watermark, deleted rows (`deleted` is always []: only a complete read finds them),
   * and rows committed later with a watermark below one already handed out (a long transaction) are not seen.
   */
  async *readChanges(since: string | undefined, options: ReadOptions): AsyncIterable<ChangePage> {
    if (!this.options.watermarkColumn) {
      throw new ConnectorError('CONNECTOR.CONFIG', `readChanges needs a watermarkColumn for ${this.label}`, { table: this.label });
    }
    const d = this.dialect;
    const size = this.pageSize(options);
    const session = await this.session();
    let done = false;
    try {
      const { key, select } = await this.readColumns(session, options);
      const w = d.quote(requireColumn(await this.tableColumns(session), this.options.watermarkColumn, 'watermarkColumn', this.table, this.options.url));
      const k = d.quote(key);
      await session.query(d.beginSnapshot);
      let cursor: { mark: string; key: string } | undefined;
      for (;;) {
        const conditions = [`${w} IS NOT NULL`, `${k} IS NOT NULL`];
        // The marks compared are the engine's own text for the column, which it parses back to the exact value
        // (a JavaScript Date would drop PostgreSQL's microseconds and hand the same rows out again).
        const params: string[] = cursor ? [cursor.mark, cursor.mark, cursor.key] : since === undefined ? [] : [since];
        if (cursor) conditions.push(`(${w} > ${d.param(1)} OR (${w} = ${d.param(2)} AND ${k} > ${d.param(3)}))`);
        else if (since !== undefined) conditions.push(`${w} > ${d.param(1)}`);
        const sql = `SELECT ${select}, ${d.asText(k)} AS ${d.quote(CURSOR)}, ${d.asText(w)} AS ${d.quote(MARK)} FROM ${this.tableSql} WHERE ${conditions.join(' AND ')} ORDER BY ${w}, ${k} LIMIT ${size}`;
        const { rows } = await session.query(sql, params);
        if (!rows.length) {
          if (!cursor) yield { objects: [], deleted: [], watermark: since ?? '' };
          break;
        }
        const last = rows[rows.length - 1];
        yield { objects: rows.map((r) => this.toObject(r, key)), deleted: [], watermark: String(last[MARK]) };
        if (rows.length < size) break;
        cursor = { mark: String(last[MARK]), key: String(last[CURSOR]) };
      }
      await session.query('COMMIT');
      done = true;
    } catch (e) {
      throw this.error(e);
    } finally {
      session.release(!done);
    }
  }

  /**
   * All operations in one transaction, in order, batched into multi-row statements. A refused row is replayed
   * alone in a savepoint and fails with the server's message while the rest commit. Throws CONNECTOR.UNREACHABLE
   * (retryable) when the connection fails: the transaction is then rolled back and nothing was applied.
   */
  async apply(operations: ConnectorOperation[]): Promise<OperationOutcome[]> {
    if (!operations.length) return [];
    const session = await this.session();
    let broken = false;
    let inTransaction = false;
    const outcomes: OperationOutcome[] = new Array(operations.length);
    const decided = new Set<number>();
    try {
      const columns = await this.tableColumns(session);
      const key = requireColumn(columns, this.options.keyColumn, 'keyColumn', this.table, this.options.url);
      const planned = operations.map((op, i) => plan(op, i, columns, key));
      for (const p of planned) {
        if (p.kind !== 'decided') continue;
        outcomes[p.index] = p.outcome;
        decided.add(p.index);
      }
      const target: Target = { dialect: this.dialect, table: this.tableSql, keyColumn: key };
      await session.query('START TRANSACTION');
      inTransaction = true;
      for (const batch of batches(planned, this.batchSize, this.dialect.maxParams)) await runBatch(session, target, batch, outcomes);
      await session.query('COMMIT');
      inTransaction = false;
      return outcomes;
    } catch (e) {
      const kind = e instanceof ConnectorError ? undefined : this.dialect.classify(e);
      if (!inTransaction || (kind !== 'transient' && kind !== 'statement')) {
        broken = kind === 'connection' || inTransaction;
        throw this.error(e);
      }
      if (await session.query('ROLLBACK').then(() => false, () => true)) broken = true;
      // The server is alive but the transaction is gone (deadlock, lock timeout, a deferred constraint at
      // COMMIT): nothing was applied, so every operation not refused up front gets the same outcome.
      const status = kind === 'transient' ? 'retryable' : 'failed';
      return operations.map((_, i) => (decided.has(i) ? outcomes[i] : { status, message: `rolled back with the whole apply: ${describe(e)}` }));
    } finally {
      session.release(broken);
    }
  }

  /** A row's anchor is its key (Connector.readAnchors): the keys given, as they are. */
  async readAnchors(keys: string[]): Promise<Map<string, string>> {
    return new Map(keys.map((k) => [k, k]));
  }

  async close(): Promise<void> {
    await this.dialect.end();
  }

  private get label(): string {
    return tableLabel(this.table);
  }

  private pageSize(options: ReadOptions): number {
    const size = options.pageSize ?? this.batchSize;
    return Number.isInteger(size) && size > 0 ? size : this.batchSize;
  }

  private async session(): Promise<SqlSession> {
    try {
      return await this.dialect.connect();
    } catch (e) {
      throw this.error(e);
    }
  }

  private async withSession<T>(work: (s: SqlSession) => Promise<T>): Promise<T> {
    const session = await this.session();
    let broken = false;
    try {
      return await work(session);
    } catch (e) {
      broken = !(e instanceof ConnectorError) && this.dialect.classify(e) === 'connection';
      throw this.error(e);
    } finally {
      session.release(broken);
    }
  }

  private async tableColumns(session: SqlSession): Promise<TableColumns> {
    this.columns ??= await loadColumns(session, this.dialect, this.table, this.options.url);
    return this.columns;
  }

  /** The real key column and the quoted SELECT list: `columns` (default all), narrowed by `options.attributes`. */
  private async readColumns(session: SqlSession, options: ReadOptions): Promise<{ key: string; select: string; names: string[] }> {
    const all = await this.tableColumns(session);
    const need = (name: string, option: string) => requireColumn(all, name, option, this.table, this.options.url);
    const key = need(this.options.keyColumn, 'keyColumn');
    let names = this.options.columns?.length ? this.options.columns.map((c) => need(c, 'columns')) : all.names;
    if (options.attributes?.length) names = options.attributes.map((a) => need(a, 'attributes'));
    names = [key, ...names.filter((n) => n !== key)];
    return { key, names, select: names.map((n) => this.dialect.quote(n)).join(', ') };
  }

  private toObject(row: Record<string, unknown>, key: string): ConnectorObject {
    const attributes: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(row)) {
      if (name === CURSOR || name === MARK) continue;
      const text = toText(value);
      if (text !== undefined) attributes[name] = [text];
    }
    const id = toText(row[key]) ?? '';
    return { key: id, anchor: id, attributes };
  }

  private keyError(code: string, message: string, key: string): ConnectorError {
    return new ConnectorError(code, message, { table: this.label, column: key });
  }

  private error(e: unknown): ConnectorError {
    if (e instanceof ConnectorError) return e;
    return sqlError(this.dialect.classify(e), e, this.options.url, this.label);
  }
}

function createDialect(url: string, connectTimeoutMs: number): SqlDialect {
  let scheme: string;
  try {
    scheme = new URL(url).protocol;
  } catch {
    throw new ConnectorError('CONNECTOR.CONFIG', 'the SQL connection URL is not a valid URL', { url: redactUrl(url) });
  }
  if (scheme === 'postgres:' || scheme === 'postgresql:') return new PostgresDialect(url, connectTimeoutMs);
  if (scheme === 'mysql:' || scheme === 'mariadb:') return new MariaDbDialect(url, connectTimeoutMs);
  throw new ConnectorError('CONNECTOR.CONFIG', `unsupported URL scheme "${scheme}"; use postgres://, mysql:// or mariadb://`, { url: redactUrl(url) });
}
