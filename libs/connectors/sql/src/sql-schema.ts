import { ANY_OBJECT_TYPE, type AttributeSchema, type AttributeType, type ObjectTypeSchema } from '@idsync/connector-core';
import type { SqlDialect, SqlSession } from './sql-dialect';
import { noSuchTable } from './sql-errors';
import { tableLabel } from './sql-table';
import type { TableName } from './sql-identifier';

/**
 * One row per column of the table, in order, from information_schema (parameters: [schema or null, table]). `generated`
 * is set for columns the server computes (generated columns; PostgreSQL identity ALWAYS), `defaulted` for columns a
 * row may leave out (a default, a sequence, AUTO_INCREMENT), `updatable` is 'NO' for a view's computed column.
 */
const COLUMNS_SQL: Record<SqlDialect['engine'], string> = {
  postgres: `SELECT column_name AS name, data_type AS data_type, udt_name AS column_type, is_nullable AS nullable,
      (column_default IS NOT NULL OR is_identity = 'YES') AS defaulted,
      (is_generated = 'ALWAYS' OR identity_generation = 'ALWAYS') AS generated, is_updatable AS updatable
    FROM information_schema.columns WHERE table_schema = COALESCE($1::text, current_schema()) AND table_name = $2 ORDER BY ordinal_position`,
  // MariaDB gives a nullable column without a default the text 'NULL' as column_default: a row may leave it out too.
  mariadb: `SELECT column_name AS name, data_type AS data_type, column_type AS column_type, is_nullable AS nullable,
      (column_default IS NOT NULL OR extra LIKE '%auto_increment%') AS defaulted,
      (extra LIKE '%GENERATED%') AS generated, 'YES' AS updatable
    FROM information_schema.columns WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ? ORDER BY ordinal_position`,
};

const INTEGER = new Set(['smallint', 'integer', 'bigint', 'int', 'tinyint', 'mediumint', 'year']);
const DECIMAL = new Set(['numeric', 'decimal', 'real', 'double precision', 'float', 'double', 'money']);
const DATETIME = new Set(['date', 'datetime', 'timestamp', 'timestamp without time zone', 'timestamp with time zone']);
const BINARY = new Set(['bytea', 'binary', 'varbinary', 'blob', 'tinyblob', 'mediumblob', 'longblob']);

/** The attribute type of a column from information_schema's data_type (and MariaDB's column_type for tinyint(1)). */
export function columnType(dataType: string, columnType = ''): AttributeType {
  const type = dataType.toLowerCase();
  // MariaDB's BOOLEAN is tinyint(1); bit(1) is the other common spelling of a flag.
  if (type === 'boolean' || /^tinyint\(1\)/i.test(columnType) || /^bit\(1\)$/i.test(columnType)) return 'boolean';
  if (INTEGER.has(type)) return 'integer';
  if (DECIMAL.has(type)) return 'decimal';
  if (DATETIME.has(type)) return 'datetime';
  if (BINARY.has(type)) return 'binary';
  return 'string';
}

/**
 * The table's columns as one object type (ANY_OBJECT_TYPE: every objectType reads the same rows), keyed and anchored
 * by the key column. A column is required when it is NOT NULL and a row cannot leave it out (no default, no sequence),
 * read-only when the server computes it. `only` narrows it to the configured columns (and the key), as reads are.
 */
export async function loadTableSchema(session: SqlSession, dialect: SqlDialect, table: TableName, url: string, config: { key: string; only?: string[] }): Promise<ObjectTypeSchema> {
  const { rows } = await session.query(COLUMNS_SQL[dialect.engine], [table.schema ?? null, table.name]);
  if (!rows.length) throw noSuchTable(url, tableLabel(table));
  const field = (row: Record<string, unknown>, name: string): unknown => row[name] ?? row[name.toUpperCase()];
  const yes = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 'YES' || v === 't';
  const only = config.only?.length ? new Set([config.key, ...config.only].map((c) => c.toLowerCase())) : undefined;
  const attributes: AttributeSchema[] = [];
  for (const row of rows) {
    const name = String(field(row, 'name'));
    if (only && !only.has(name.toLowerCase())) continue;
    const generated = yes(field(row, 'generated'));
    const attribute: AttributeSchema = {
      name,
      type: columnType(String(field(row, 'data_type')), String(field(row, 'column_type') ?? '')),
      multiValued: false,
      required: field(row, 'nullable') === 'NO' && !yes(field(row, 'defaulted')) && !generated,
    };
    if (generated || field(row, 'updatable') === 'NO') attribute.readOnly = true;
    attributes.push(attribute);
  }
  return { name: ANY_OBJECT_TYPE, nativeNames: [tableLabel(table)], anchor: config.key, key: config.key, attributes };
}
