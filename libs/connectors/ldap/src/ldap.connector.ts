import { ConnectorError, type Capabilities, type Connector, type ConnectorObject, type ConnectorOperation, type OperationOutcome, type ReadOptions } from '@idsync/connector-core';
import { Attribute, Change, Client } from 'ldapts';
import { toConnectorObject } from './ldap-entry';
import { connectError, describe, isConnectionError, ResultCode, resultCode, toOutcome } from './ldap-errors';

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
  private readonly open = new Set<Client>();

  constructor(private readonly options: LdapConnectorOptions) {}

  private get searchBase(): string {
    return this.options.searchBase ?? `ou=people,${this.options.baseDn}`;
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? 30_000;
  }

  async testConnection(): Promise<void> {
    const client = await this.connect();
    try {
      await client.search(this.searchBase, { scope: 'base', attributes: ['1.1'], timeLimit: this.timeLimit() });
    } catch (e) {
      throw this.searchError(e);
    } finally {
      await this.release(client);
    }
  }

  async *readSnapshot(options: ReadOptions): AsyncIterable<ConnectorObject[]> {
    const filter = { ...DEFAULT_FILTERS, ...this.options.filters }[options.objectType];
    if (!filter) {
      // Guessing a filter could match nothing, and an empty destination read plans creates for everyone.
      throw new ConnectorError('CONNECTOR.CONFIG', `no search filter for object type "${options.objectType}"; add it to the connection's filters`, { objectType: options.objectType });
    }
    const requested = options.attributes?.length ? options.attributes : undefined;
    const client = await this.connect();
    try {
      const pages = client.searchPaginated(this.searchBase, {
        scope: 'sub',
        filter,
        // entryUUID is operational: the server sends it only when asked by name.
        attributes: [...(requested ?? ['*']), 'entryUUID'],
        paged: { pageSize: options.pageSize ?? this.options.pageSize ?? 500 },
        timeLimit: this.timeLimit(),
      });
      for await (const page of pages) {
        if (page.searchEntries.length) yield page.searchEntries.map((e) => toConnectorObject(e, requested));
      }
    } catch (e) {
      throw this.searchError(e);
    } finally {
      await this.release(client);
    }
  }

  /**
   * Operations on the same DN run in their given order on one connection, and stop at the first
   * that does not succeed; operations on different DNs run in parallel on up to `concurrency`
   * connections, in no set order (so a batch must not rely on a parent being created first).
   */
  async apply(operations: ConnectorOperation[]): Promise<OperationOutcome[]> {
    if (!operations.length) return [];
    const groups = new Map<string, number[]>();
    operations.forEach((op, i) => {
      const dn = op.dn.toLowerCase();
      groups.set(dn, [...(groups.get(dn) ?? []), i]);
    });
    const queue = [...groups.values()];
    const outcomes: OperationOutcome[] = new Array(operations.length);

    // The first connection decides whether anything can be tried at all; it throws UNREACHABLE or AUTH_FAILED.
    const clients = [await this.connect()];
    const extra = Math.min(this.options.concurrency ?? 4, queue.length) - 1;
    const more = await Promise.allSettled(Array.from({ length: Math.max(0, extra) }, () => this.connect()));
    for (const r of more) if (r.status === 'fulfilled') clients.push(r.value);

    try {
      await Promise.all(
        clients.map(async (client) => {
          for (let group = queue.shift(); group; group = queue.shift()) {
            let blocked: OperationOutcome | undefined;
            for (const i of group) {
              // Later operations on a DN assume the earlier ones took effect; running them anyway could
              // half-apply the plan (an update after a create that did not happen).
              outcomes[i] = blocked ? { status: blocked.status === 'retryable' ? 'retryable' : 'failed', message: `not tried: an earlier operation on this DN did not succeed (${blocked.message})` } : await this.applyOne(client, operations[i]);
              if (!blocked && outcomes[i].status !== 'succeeded') blocked = outcomes[i];
            }
          }
        }),
      );
    } finally {
      await Promise.all(clients.map((c) => this.release(c)));
    }
    return outcomes;
  }

  async close(): Promise<void> {
    await Promise.all([...this.open].map((c) => this.release(c)));
  }

  private async applyOne(client: Client, op: ConnectorOperation): Promise<OperationOutcome> {
    try {
      switch (op.kind) {
        case 'create':
          return await this.create(client, op);
        case 'update':
        case 'disable':
          return await this.modify(client, op);
        case 'delete':
          return await this.delete(client, op);
        default:
          return { status: 'failed', message: `unknown operation kind "${(op as ConnectorOperation).kind}"` };
      }
    } catch (e) {
      return toOutcome(e);
    }
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

  private async delete(client: Client, op: ConnectorOperation): Promise<OperationOutcome> {
    try {
      await client.del(op.dn);
      return { status: 'succeeded' };
    } catch (e) {
      if (resultCode(e) === ResultCode.noSuchObject) return { status: 'succeeded', message: 'no such object' };
      throw e;
    }
  }

  /** A bound connection, or CONNECTOR.UNREACHABLE / CONNECTOR.AUTH_FAILED / CONNECTOR.CONFIG. */
  private async connect(): Promise<Client> {
    const { url, bindDn, password } = this.options;
    let client: Client;
    try {
      // autoRebind: after ldapts reconnects a dropped socket, later operations must not run anonymously.
      client = new Client({ url, timeout: this.timeoutMs, connectTimeout: this.timeoutMs, autoRebind: true });
    } catch (e) {
      throw new ConnectorError('CONNECTOR.CONFIG', `invalid LDAP URL "${url}": ${describe(e)}`, { url });
    }
    try {
      await client.bind(bindDn, password);
    } catch (e) {
      await client.unbind().catch(() => undefined);
      throw connectError(e, url, bindDn);
    }
    this.open.add(client);
    return client;
  }

  private async release(client: Client): Promise<void> {
    this.open.delete(client);
    await client.unbind().catch(() => undefined);
  }

  /** Seconds, for the server side of a search; the client side is `timeout`. */
  private timeLimit(): number {
    return Math.ceil(this.timeoutMs / 1000);
  }

  private searchError(e: unknown): ConnectorError {
    const { url } = this.options;
    if (isConnectionError(e)) return new ConnectorError('CONNECTOR.UNREACHABLE', `lost ${url} during the read: ${describe(e)}`, { url }, true);
    if (resultCode(e) === ResultCode.noSuchObject) {
      return new ConnectorError('LDAP.NO_SUCH_BASE', `the search base "${this.searchBase}" does not exist on ${url}; create it or fix searchBase`, { url, searchBase: this.searchBase });
    }
    const outcome = toOutcome(e);
    return new ConnectorError('LDAP.SEARCH_FAILED', `searching ${this.searchBase} on ${url} failed: ${outcome.message}`, { url, searchBase: this.searchBase }, outcome.status === 'retryable');
  }
}
