import { ConnectorError } from '@idsync/connector-core';

/**
 * Plain identifiers only: a letter or underscore, then letters, digits, `_` or `$`, at most 63 characters
 * (PostgreSQL's limit; MariaDB allows 64). Quoting alone would make any name safe, but a name that needs
 * quoting is almost always a mistake or an attack in a connector configuration, so it is refused outright.
 */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** Throws SQL.INVALID_IDENTIFIER unless `name` is a plain identifier; `role` says which option it came from. */
export function checkIdentifier(name: string, role: string): string {
  if (!isIdentifier(name)) {
    throw new ConnectorError('SQL.INVALID_IDENTIFIER', `${role} "${name}" is not a plain SQL identifier (letters, digits, _ and $, not starting with a digit, at most 63 characters)`, { [role]: name });
  }
  return name;
}

export interface TableName {
  /** The schema (PostgreSQL) or database (MariaDB); undefined means the connection's current one. */
  schema?: string;
  name: string;
}

/** `table` or `schema.table`, each part checked. */
export function parseTableName(table: string): TableName {
  const parts = table.split('.');
  if (parts.length > 2) checkIdentifier(table, 'table');
  if (parts.length === 2) return { schema: checkIdentifier(parts[0], 'table'), name: checkIdentifier(parts[1], 'table') };
  return { name: checkIdentifier(table, 'table') };
}
