/**
 * The one interface every connector implements. A connector reaches one external
 * system (a file, a directory, a database, a SaaS app). It never decides *what* to
 * change: it reads, and it applies operations it is given, idempotently.
 */

/** Attribute name → values. A single-valued attribute has one value; absent means no value. */
export type Attributes = Record<string, string[]>;

export interface ConnectorObject {
  /** The key the object is known by: the source key value, or the destination DN. */
  key: string;
  /** Immutable anchor (entryUUID, objectGUID); '' where the system has none. */
  anchor: string;
  attributes: Attributes;
}

export interface ReadOptions {
  objectType: string;
  /** Attributes to read; empty or undefined reads all. */
  attributes?: string[];
  /** Source key attribute/column: rows without it, or with a duplicate, are errors. */
  keyAttribute?: string;
  /** Page size for paged reads. */
  pageSize?: number;
}

export type OperationKind = 'create' | 'update' | 'delete' | 'disable';

export interface AttributeChangeOp {
  attribute: string;
  /** Values after the change; [] removes the attribute. */
  values: string[];
}

export interface ConnectorOperation {
  kind: OperationKind;
  /** Destination DN (or key) of the object. */
  dn: string;
  objectClasses?: string[];
  /** For create: every attribute; for update/disable: only those that change (replace semantics). */
  changes: AttributeChangeOp[];
}

export type OperationOutcome =
  | { status: 'succeeded'; message?: string }
  | { status: 'retryable'; message: string }
  | { status: 'failed'; message: string };

export interface Capabilities {
  read: boolean;
  write: boolean;
  incremental: boolean;
}

/**
 * @example
 *   const ldap = new LdapConnector({ url, bindDn, password, baseDn });
 *   await ldap.testConnection();
 *   for await (const page of ldap.readSnapshot({ objectType: 'user' })) { ... }
 *   const outcomes = await ldap.apply([{ kind: 'create', dn, changes }]);
 *   await ldap.close();
 */
export interface Connector {
  readonly kind: string;
  readonly capabilities: Capabilities;
  /** Throws ConnectorError with a code (CONNECTOR.UNREACHABLE, CONNECTOR.AUTH_FAILED...). */
  testConnection(): Promise<void>;
  /**
   * A full snapshot as pages. Memory is bounded by the page size. If the read does
   * not complete, the iterator throws: a partial read is never a complete snapshot.
   */
  readSnapshot(options: ReadOptions): AsyncIterable<ConnectorObject[]>;
  /**
   * Applies operations; one outcome per operation, in order. "Already exists" on a
   * create and "no such object" on a delete count as success (the intent holds).
   * Throws only when nothing could be tried (e.g. unreachable): then all are retryable.
   */
  apply(operations: ConnectorOperation[]): Promise<OperationOutcome[]>;
  close(): Promise<void>;
}

/** Errors with a stable code and the place (file, row, field, object) in details. */
export class ConnectorError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, string> = {},
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'IdsyncError';
  }
}
