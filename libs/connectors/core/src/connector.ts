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

export type OperationKind = 'create' | 'update' | 'delete' | 'disable' | 'rename';

export interface AttributeChangeOp {
  attribute: string;
  /**
   * replace (default): the values after the change, [] removes the attribute. add: these values
   * join the ones there (a value already there is no error). remove: these values leave (a value
   * not there is no error). add and remove are how group members change without rewriting a group.
   */
  values: string[];
  mode?: 'replace' | 'add' | 'remove';
}

export interface ConnectorOperation {
  kind: OperationKind;
  /** Destination DN (or key) of the object. */
  dn: string;
  /**
   * For rename: the DN the object gets (a new RDN, a new parent, or both). The object keeps its
   * anchor; `changes` are then applied at the new DN. Connectors whose objects have no DN to change
   * (files, tables, SCIM) answer a rename with a failed outcome.
   */
  newDn?: string;
  objectClasses?: string[];
  /** For create: every attribute; for update/disable/rename: only those that change (replace semantics). */
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
 * The kind of value an attribute holds. Values always travel as strings (see Attributes); the type says how to read
 * them: 'integer' and 'decimal' as numbers, 'boolean' as true/false, 'datetime' as ISO 8601 or LDAP generalized time,
 * 'binary' as base64 or a connector's own text form (objectGUID as a GUID string), 'dn' as a distinguished name.
 */
export type AttributeType = 'string' | 'integer' | 'decimal' | 'boolean' | 'datetime' | 'binary' | 'dn';

/** One attribute of an object type as the peer describes it. */
export interface AttributeSchema {
  /** Spelled as the connector reads and writes it (LDAP: the first NAME; SQL: the column; SCIM: the flat name). */
  name: string;
  type: AttributeType;
  /** Holds several values (an LDAP attribute without SINGLE-VALUE, a SCIM multiValued attribute, a list cell). */
  multiValued: boolean;
  /** Every object has a value (LDAP MUST, SQL NOT NULL without a default, SCIM required). */
  required: boolean;
  /** Set by the peer, never written (LDAP NO-USER-MODIFICATION, SCIM mutability readOnly, a generated column). */
  readOnly?: boolean;
}

/**
 * The name of the one object type of a connector whose reads ignore ReadOptions.objectType (a table, a file): every
 * objectType reads the same objects.
 */
export const ANY_OBJECT_TYPE = '*';

/** One object type the connector reads and writes: a ReadOptions.objectType. */
export interface ObjectTypeSchema {
  /** The ReadOptions.objectType that reads these objects ('user', 'group'), or ANY_OBJECT_TYPE. */
  name: string;
  /** The peer's own names for it: LDAP object classes, the SQL table, SCIM schema URNs, the file or sheet. */
  nativeNames: string[];
  /** The immutable anchor attribute (entryUUID, objectGUID, the SCIM id, the key column); '' when there is none. */
  anchor: string;
  /**
   * What objects are keyed by (ConnectorObject.key): 'dn' for directories, otherwise the attribute or column; '' when
   * each read chooses it (ReadOptions.keyAttribute of a file source without keyColumn).
   */
  key: string;
  attributes: AttributeSchema[];
}

/**
 * What discover() found. `origin` says how much to trust it: 'peer' is the peer's own schema (a subschema subentry,
 * information_schema, SCIM /Schemas); 'standard' is a standard's schema the connector assumed because the peer
 * publishes none (RFC 7643's core schema); 'observed' is read from the data itself (a header row, the attributes of
 * the entries in a file), so it lists only what is there today.
 */
export interface ConnectorSchema {
  origin: 'peer' | 'standard' | 'observed';
  objectTypes: ObjectTypeSchema[];
}

/**
 * The schema of what `objectType` reads: its own type, else the connector's ANY_OBJECT_TYPE; CONNECTOR.CONFIG naming
 * the types there are when neither is there.
 *
 * @example
 *   const user = objectTypeSchema(await connector.discover(), 'user');
 *   const mail = user.attributes.find((a) => a.name === 'mail');
 */
export function objectTypeSchema(schema: ConnectorSchema, objectType: string): ObjectTypeSchema {
  const found = schema.objectTypes.find((t) => t.name === objectType) ?? schema.objectTypes.find((t) => t.name === ANY_OBJECT_TYPE);
  if (!found) {
    const known = schema.objectTypes.map((t) => `"${t.name}"`).join(', ') || 'none';
    throw new ConnectorError('CONNECTOR.CONFIG', `no object type "${objectType}" in the discovered schema (it has ${known})`, { objectType });
  }
  return found;
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
  /**
   * The object types the connector reads and writes, with their attributes, key and anchor, from the peer's own
   * schema where it has one (see ConnectorSchema.origin). Throws as testConnection does when the peer cannot be read.
   */
  discover(): Promise<ConnectorSchema>;
  /**
   * The anchors of objects by DN (or key), for the objects just created: their links are then
   * known at once instead of at the next run that matches them. Objects not found, and connectors
   * whose objects have no anchor, give none. Optional: without it links wait for that run.
   */
  readAnchors?(dns: string[]): Promise<Map<string, string>>;
  close(): Promise<void>;
}

/**
 * One page of an incremental read. A change set is read as pages; the watermark of the last page
 * is the one to keep, and only once every page has been processed, so a read that does not finish
 * is read again next time rather than lost.
 */
export interface ChangePage {
  /** Objects created, changed, renamed or moved since the watermark given, as readSnapshot's. */
  objects: ConnectorObject[];
  /**
   * Anchors (entryUUID, objectGUID) of objects deleted since the watermark given, where the
   * system reports deletions; [] where it cannot, and then only a complete read finds them.
   */
  deleted: string[];
  /** Pass as `since` to the next readChanges once this page and all before it are processed. */
  watermark: string;
}

/**
 * A connector that reads changes since a watermark (capabilities.incremental). At least one page
 * is yielded, even when nothing changed, so the new watermark is always known. `since` undefined
 * reads everything and gives the first watermark.
 *
 * @example
 *   let saved: string | undefined;
 *   if (isIncremental(c)) for await (const page of c.readChanges(saved, { objectType: 'user' })) { handle(page.objects); saved = page.watermark; }
 */
export interface IncrementalConnector extends Connector {
  readChanges(since: string | undefined, options: ReadOptions): AsyncIterable<ChangePage>;
}

/** True when the connector can read changes (a SQL table needs a watermark column, for one). */
export function isIncremental(c: Connector): c is IncrementalConnector {
  return c.capabilities.incremental && typeof (c as Partial<IncrementalConnector>).readChanges === 'function';
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
