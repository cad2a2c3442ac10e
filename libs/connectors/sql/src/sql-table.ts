import { ConnectorError } from '@idsync/connector-core';
import type { SqlDialect, SqlSession } from './sql-dialect';
import { noSuchTable, redactUrl } from './sql-errors';
import type { TableName } from './sql-identifier';

/**
 * The table's columns as the server spells them, looked up case-insensitively. Attribute names from a mapping
 * are only ever turned into SQL through this map, so a name that is not a real column never reaches a statement.
 */
export class TableColumns {
  private readonly byLowerName: Map<string, string>;

  constructor(readonly names: string[]) {
    this.byLowerName = new Map(names.map((n) => [n.toLowerCase(), n]));
  }

  /** The real column name for an attribute, or undefined. */
  find(attribute: string): string | undefined {
    return this.byLowerName.get(attribute.toLowerCase());
  }
}

export async function loadColumns(session: SqlSession, dialect: SqlDialect, table: TableName, url: string): Promise<TableColumns> {
  const { rows } = await session.query(dialect.columnsSql, [table.schema ?? null, table.name]);
  if (!rows.length) throw noSuchTable(url, tableLabel(table));
  return new TableColumns(rows.map((r) => String(r.name ?? r.NAME)));
}

/** The real name of a configured column, or SQL.NO_SUCH_COLUMN naming the option it came from. */
export function requireColumn(columns: TableColumns, name: string, option: string, table: TableName, url: string): string {
  const real = columns.find(name);
  if (!real) {
    throw new ConnectorError('SQL.NO_SUCH_COLUMN', `${option} "${name}" is not a column of ${tableLabel(table)} on ${redactUrl(url)}`, { table: tableLabel(table), column: name, option });
  }
  return real;
}

export function tableLabel(table: TableName): string {
  return table.schema ? `${table.schema}.${table.name}` : table.name;
}
