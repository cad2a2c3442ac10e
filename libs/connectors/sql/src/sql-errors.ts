import { ConnectorError } from '@idsync/connector-core';

/**
 * What a failure means to the connector, whichever engine raised it:
 * - connection: the network or the server went away; nothing can be known to have happened.
 * - auth: the server refused the login.
 * - transient: the server is alive but gave up this time (deadlock, lock timeout, too many connections).
 * - no-database / no-table: the configuration names something that does not exist.
 * - statement: the server refused the statement itself (constraint, bad value, unknown column).
 */
export type SqlFailureKind = 'connection' | 'auth' | 'transient' | 'no-database' | 'no-table' | 'statement';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * True for failures below SQL. Both drivers report a dropped socket or a connect timeout as a plain Error,
 * sometimes without a code (pg: "Connection terminated unexpectedly"), hence the message test.
 */
export function isNetworkError(e: unknown): boolean {
  const err = e as NodeJS.ErrnoException & { fatal?: boolean };
  if (err?.code && NETWORK_CODES.has(err.code)) return true;
  if (e instanceof AggregateError) return e.errors.some(isNetworkError);
  return /connection terminated|connection lost|timeout|timed out|socket|closed state|Client has encountered a connection error/i.test(err?.message ?? '');
}

/** The server's own words, for humans reading an outcome or an error. */
export function describe(e: unknown): string {
  if (e instanceof AggregateError && e.errors.length) return describe(e.errors[0]);
  const err = e as Error;
  return err?.message || String(e);
}

/** The URL without its password, fit for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparsable url>';
  }
}

/** A failure to connect or to run a read, as the codes callers switch on. */
export function sqlError(kind: SqlFailureKind, e: unknown, url: string, table: string): ConnectorError {
  const where = redactUrl(url);
  switch (kind) {
    case 'connection':
      return new ConnectorError('CONNECTOR.UNREACHABLE', `cannot reach ${where}: ${describe(e)}; check the URL and that the server is running`, { url: where }, true);
    case 'auth':
      return new ConnectorError('CONNECTOR.AUTH_FAILED', `${where} refused the login: ${describe(e)}; check the user and password`, { url: where });
    case 'transient':
      return new ConnectorError('SQL.BUSY', `${where} could not serve the request now: ${describe(e)}`, { url: where }, true);
    case 'no-database':
      return new ConnectorError('CONNECTOR.CONFIG', `the database in ${where} does not exist: ${describe(e)}`, { url: where });
    case 'no-table':
      return noSuchTable(url, table);
    default:
      return new ConnectorError('SQL.QUERY_FAILED', `a statement on ${table} at ${where} failed: ${describe(e)}`, { url: where, table });
  }
}

export function noSuchTable(url: string, table: string): ConnectorError {
  const where = redactUrl(url);
  return new ConnectorError('SQL.NO_SUCH_TABLE', `there is no table or view "${table}" visible to this user on ${where}; create it or fix the table option`, { url: where, table });
}
