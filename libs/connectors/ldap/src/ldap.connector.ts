import { ConnectorError, type Capabilities, type Connector, type ConnectorObject, type ConnectorOperation, type OperationOutcome, type ReadOptions } from '@idsync/connector-core';
import { Attribute, Change, type Client } from 'ldapts';
import { LdapConnections } from './ldap-connections';
import { toConnectorObject } from './ldap-entry';
import { ResultCode, resultCode, searchError } from './ldap-errors';

export interface LdapConnectorOptions {
  /** ldap://host:port or ldaps://host:port */
  url: string;
  bindDn: string;
  password: string;
  baseDn: string;
  /** Search filter per object type; `user` defaults to (objectClass=inetOrgPerson). */
  filters?: Record<string, string>;
  /** Where objects live; default `ou=people,<baseDn>`. */
  searchBase?: string;
  /** Entries per page of a paged search; default 500. */
  pageSize?: number;
  /** LDAP connections apply() uses in parallel; default 4. */
  concurrency?: number;
  /** Per operation and per connect; default 30 s. */
  timeoutMs?: number;
}

const DEFAULT_FILTERS: Record<string, string> = { user: '(objectClass=inetOrgPerson)' };

/**
 * An LDAP directory (tested against OpenLDAP) through ldapts. Reads are paged searches that
 * stream page by page; writes run on a small pool of bound connections and are idempotent:
 * "already exists" on create and "no such object" on delete count as success.
 *
 * @example
 *   const ldap = new LdapConnector({ url: 'ldap://127.0.0.1:389', bindDn: 'cn=admin,dc=example,dc=org', password, baseDn: 'dc=example,dc=org' });
 *   await ldap.testConnection();
 *   for await (const page of ldap.readSnapshot({ objectType: 'user' })) console.log(page.length);
 *   await ldap.apply([{ kind: 'create', dn: childDn('uid', 'ada', 'ou=people,dc=example,dc=org'), objectClasses: ['inetOrgPerson'], changes: [{ attribute: 'cn', values: ['Ada'] }, { attribute: 'sn', values: ['Lovelace'] }] }]);
 *   await ldap.close();
 */
export class LdapConnector implements Connector {
  readonly kind = 'ldap';
  readonly capabilities: Capabilities = { read: true, write: true, incremental: false };
  private readonly connections: LdapConnections;

  constructor(private readonly options: LdapConnectorOptions) {
    this.connections = new LdapConnections(options);
  }

  private get searchBase(): string {
    return this.options.searchBase ?? `ou=people,${this.options.baseDn}`;
  }

  async testConnection(): Promise<void> {
    await this.connections.probe(this.searchBase, (e) => this.searchError(e));
  }

  async *readSnapshot(options: ReadOptions): AsyncIterable<ConnectorObject[]> {
    const filter = { ...DEFAULT_FILTERS, ...this.options.filters }[options.objectType];
    if (!filter) {
      // Guessing a filter could match nothing, and an empty destination read plans creates for everyone.
      throw new ConnectorError('CONNECTOR.CONFIG', `no search filter for object type "${options.objectType}"; add it to the connection's filters`, { objectType: options.objectType });
    }
    const requested = options.attributes?.length ? options.attributes : undefined;
    const client = await this.connections.connect();
    try {
      const pages = this.connections.searchPages(client, this.searchBase, {
        filter,
        // entryUUID is operational: the server sends it only when asked by name.
        attributes: [...(requested ?? ['*']), 'entryUUID'],
        pageSize: options.pageSize ?? this.options.pageSize ?? 500,
      });
      for await (const page of pages) {
        if (page.searchEntries.length) yield page.searchEntries.map((e) => toConnectorObject(e, requested));
      }
    } catch (e) {
      throw this.searchError(e);
    } finally {
      await this.connections.release(client);
    }
  }

  /**
   * Operations on the same DN run in their given order on one connection, and stop at the first
   * that does not succeed; operations on different DNs run in parallel on up to `concurrency`
   * connections, in no set order (so a batch must not rely on a parent being created first).
   */
  async apply(operations: ConnectorOperation[]): Promise<OperationOutcome[]> {
    return this.connections.apply(operations, {
      create: (client, op) => this.create(client, op),
      update: (client, op) => this.modify(client, op),
      disable: (client, op) => this.modify(client, op),
    });
  }

  close(): Promise<void> {
    return this.connections.close();
  }

  private async create(client: Client, op: ConnectorOperation): Promise<OperationOutcome> {
    const entry: Record<string, string[]> = { objectClass: op.objectClasses?.length ? op.objectClasses : ['inetOrgPerson'] };
    for (const c of op.changes) {
      if (!c.values.length) continue;
      if (c.attribute.toLowerCase() === 'objectclass') entry.objectClass = [...new Set([...entry.objectClass, ...c.values])];
      else entry[c.attribute] = c.values;
    }
    try {
      await client.add(op.dn, entry);
      return { status: 'succeeded' };
    } catch (e) {
      if (resultCode(e) === ResultCode.alreadyExists) return { status: 'succeeded', message: 'already exists' };
      throw e;
    }
  }

  /**
   * Replace, never delete: a replace with no values removes the attribute if it is there and is
   * a no-op if it is not, whereas a delete of a missing attribute fails the whole modify
   * (noSuchAttribute) and with it the other changes of the operation.
   */
  private async modify(client: Client, op: ConnectorOperation): Promise<OperationOutcome> {
    if (!op.changes.length) return { status: 'succeeded', message: 'nothing to change' };
    const changes = op.changes.map((c) => new Change({ operation: 'replace', modification: new Attribute({ type: c.attribute, values: c.values }) }));
    try {
      await client.modify(op.dn, changes);
      return { status: 'succeeded' };
    } catch (e) {
      if (resultCode(e) === ResultCode.noSuchObject) return { status: 'failed', message: `no such object: ${op.dn}` };
      throw e;
    }
  }

  private searchError(e: unknown): ConnectorError {
    return searchError(e, { url: this.options.url, base: this.searchBase, codePrefix: 'LDAP', baseWords: `the search base "${this.searchBase}"` });
  }
}
