import { ConnectorError, type Capabilities, type ChangePage, type ConnectorObject, type ConnectorSchema, type ConnectorOperation, type IncrementalConnector, type OperationOutcome, type ReadOptions } from '@idsync/connector-core';
import type { Client } from 'ldapts';
import { readLdapChanges } from './ldap-changes';
import { discoverSchema } from './ldap-discover';
import { entryExists, LdapConnections, readEntryAnchors } from './ldap-connections';
import { toConnectorObject } from './ldap-entry';
import { ResultCode, resultCode, searchError, toOutcome } from './ldap-errors';
import { entryAttributes, LDAP_VALUE_REFUSALS, modifyValues, readLdapValues, unchangedMessage } from './ldap-modify';

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
  /** Where groups (object type `group`) live; default the searchBase when one is set, else `<baseDn>`, the whole directory. */
  groupSearchBase?: string;
  /** Entries per page of a paged search; default 500. */
  pageSize?: number;
  /** LDAP connections apply() uses in parallel; default 4. */
  concurrency?: number;
  /** Per operation and per connect; default 30 s. */
  timeoutMs?: number;
  /** For ldaps:// URLs and StartTLS. Without `ca`, Node's own trusted CAs apply. */
  tls?: LdapTlsOptions;
  /** Upgrade ldap:// connections with StartTLS (and `tls`) before binding; not for ldaps:// URLs. */
  startTls?: boolean;
}

export interface LdapTlsOptions {
  /** CA certificates (PEM) that may have signed the server's certificate. */
  ca?: string[];
  /** Default true. false accepts any certificate: only for a test server, never in production. */
  rejectUnauthorized?: boolean;
  /** The name the certificate must carry, when it is not the URL's host. */
  servername?: string;
}

const LDAP_MODIFY = { refusals: LDAP_VALUE_REFUSALS, readValues: readLdapValues };

const DEFAULT_FILTERS: Record<string, string> = {
  user: '(objectClass=inetOrgPerson)',
  group: '(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))',
};

/**
 * An LDAP directory (tested against OpenLDAP) through ldapts. Reads are paged searches that
 * stream page by page; writes run on a small pool of bound connections and are idempotent:
 * "already exists" on create and "no such object" on delete count as success.
 *
 * @example
 *   const ldap = new LdapConnector({ url: 'ldap://127.0.0.1:389', bindDn: 'cn=admin,dc=example,dc=org', password, baseDn: 'dc=example,dc=org' });
 *   await ldap.testConnection();
 *   for await (const page of ldap.readSnapshot({ objectType: 'user' })) console.log(page.length);
 *   for await (const { objects, deleted, watermark } of ldap.readChanges(saved, { objectType: 'user' })) { handle(objects, deleted); saved = watermark; }
 *   await ldap.apply([{ kind: 'create', dn: childDn('uid', 'ada', 'ou=people,dc=example,dc=org'), objectClasses: ['inetOrgPerson'], changes: [{ attribute: 'cn', values: ['Ada'] }, { attribute: 'sn', values: ['Lovelace'] }] }]);
 *   await ldap.close();
 */
export class LdapConnector implements IncrementalConnector {
  readonly kind = 'ldap';
  readonly capabilities: Capabilities = { read: true, write: true, incremental: true };
  private readonly connections: LdapConnections;

  constructor(private readonly options: LdapConnectorOptions) {
    const { tls } = options;
    const tlsOptions = tls && { ...(tls.ca && { ca: tls.ca }), ...(tls.rejectUnauthorized !== undefined && { rejectUnauthorized: tls.rejectUnauthorized }), ...(tls.servername && { servername: tls.servername }) };
    this.connections = new LdapConnections({ ...options, tlsOptions, connectErrorHooks: { tlsFailed: true } });
  }

  private get searchBase(): string {
    return this.options.searchBase ?? `ou=people,${this.options.baseDn}`;
  }

  /** Where objects of a type are searched: groups under groupSearchBase (else the searchBase set, else the base DN). */
  private baseFor(objectType: string): string {
    return objectType === 'group' ? (this.options.groupSearchBase ?? this.options.searchBase ?? this.options.baseDn) : this.searchBase;
  }

  async testConnection(): Promise<void> {
    await this.connections.probe(this.searchBase, (e) => this.searchError(e));
  }

  readSnapshot(options: ReadOptions): AsyncIterable<ConnectorObject[]> {
    return this.readPages(options, this.filterFor(options.objectType));
  }

  /**
   * The entries of `options.objectType` created, changed, renamed or moved after `since` (all of
   * them when it is undefined or ''), and the anchors of entries deleted, in pages of
   * `options.pageSize` (default the connector's pageSize, else 1000). At least one page comes, even
   * when nothing changed; keep the last page's watermark. Every page before the last carries `since`
   * itself, so a read stopped halfway is read again from the start next time, never skipped.
   *
   * Where the server offers LDAP Content Synchronization (RFC 4533; slapd with the syncprov overlay),
   * it is a refreshOnly sync search and the watermark is the server's cookie (`sync:<base64>`):
   * - deletions are reported (`deleted`, entryUUIDs) when the server can say which entries went away
   *   since the cookie: slapd can with `syncprov-sessionlog` (or an accesslog session log) covering the
   *   cookie. Otherwise it answers with a present phase, which asks the client to drop what it holds and
   *   was not named; a connector holds nothing, so those deletions are not reported (only a complete
   *   read finds them). A session log names every deletion in the database, not only those under
   *   searchBase or of this object type: an anchor in `deleted` may be one the caller never saw.
   * - e-syncRefreshRequired (the cookie is too old) restarts the search without a cookie: a full
   *   refresh, so every entry comes as changed and deletions since `since` are not reported. slapd does
   *   the same by itself, without that result, for a cookie it cannot find or parse.
   * - a cookie the server refuses outright (slapd: "consumer state is newer than provider", after a
   *   restore from backup) is LDAP.WATERMARK_REFUSED: read without a watermark to start again.
   *
   * Without content sync (deleted is then always []), the watermark is taken before the read, so a
   * change made during the read is read again next time rather than missed: the suffix's contextCSN
   * where the server keeps one, with an exact entryCSN filter, otherwise the newest modifyTimestamp,
   * compared `>=` with second granularity, so entries changed in the watermark's second come back.
   *
   * Watermarks of the earlier schemes stay valid: an entryCSN becomes slapd's cookie for that state,
   * a modifyTimestamp is read by modifyTimestamp once (and gives a cookie where content sync is
   * offered). A cookie on a server that no longer offers content sync is read by its CSN where it has
   * one, else CONNECTOR.CONFIG. Anything else as `since` is CONNECTOR.CONFIG.
   *
   * @example
   *   let saved: string | undefined;
   *   for await (const page of ldap.readChanges(saved, { objectType: 'user' })) { handle(page.objects, page.deleted); saved = page.watermark; }
   */
  async *readChanges(since: string | undefined, options: ReadOptions): AsyncIterable<ChangePage> {
    const filter = this.filterFor(options.objectType);
    const source = {
      connections: this.connections,
      url: this.options.url,
      baseDn: this.options.baseDn,
      searchBase: this.baseFor(options.objectType),
      readPages: (changed: string, pageSize: number) => this.readPages({ ...options, pageSize }, changed),
      searchError: (e: unknown) => this.searchError(e),
    };
    yield* readLdapChanges(source, since, options, filter, options.pageSize ?? this.options.pageSize ?? 1000);
  }

  /**
   * The schema of each configured object type (`user`, `group` and those in `filters`), read from the server's
   * subschema subentry: the object classes its filter asks for with their superclasses, each attribute's syntax,
   * SINGLE-VALUE and NO-USER-MODIFICATION, MUST as required. Objects are keyed by DN and anchored by entryUUID.
   *
   * @example
   *   const { objectTypes } = await ldap.discover(); // [{ name: 'user', nativeNames: ['inetOrgPerson', ...], anchor: 'entryUUID', key: 'dn', attributes }]
   */
  async discover(): Promise<ConnectorSchema> {
    const client = await this.connections.connect();
    try {
      const filters = { ...DEFAULT_FILTERS, ...this.options.filters };
      return await discoverSchema(client, this.connections.timeLimit(), { filters, anchor: 'entryUUID', serverSet: ['objectClass'], url: this.options.url });
    } catch (e) {
      throw e instanceof ConnectorError ? e : this.searchError(e);
    } finally {
      await this.connections.release(client);
    }
  }

  private filterFor(objectType: string): string {
    const filter = { ...DEFAULT_FILTERS, ...this.options.filters }[objectType];
    if (!filter) {
      // Guessing a filter could match nothing, and an empty destination read plans creates for everyone.
      throw new ConnectorError('CONNECTOR.CONFIG', `no search filter for object type "${objectType}"; add it to the connection's filters`, { objectType });
    }
    return filter;
  }

  private async *readPages(options: ReadOptions, filter: string): AsyncIterable<ConnectorObject[]> {
    const requested = options.attributes?.length ? options.attributes : undefined;
    const client = await this.connections.connect();
    try {
      const pages = this.connections.searchPages(client, this.baseFor(options.objectType), {
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

  /**
   * Adds members to a groupOfNames (`member`) or groupOfUniqueNames (`uniqueMember`), keeping
   * the others: an update with `{ attribute: 'member', mode: 'add', values }`, for a caller that
   * does not know which of the two the group is. Idempotent: a member already there counts as added.
   *
   * @example
   *   await ldap.addMembers('cn=admins,ou=groups,dc=example,dc=org', [childDn('uid', 'ada', 'ou=people,dc=example,dc=org')]);
   */
  addMembers(groupDn: string, memberDns: string[]): Promise<OperationOutcome> {
    return this.changeMembers(groupDn, memberDns, 'add');
  }

  /**
   * Removes members from a group, keeping the others. Idempotent: a member not there counts as
   * removed. Removing the last member of a groupOfNames fails: the schema requires one.
   */
  removeMembers(groupDn: string, memberDns: string[]): Promise<OperationOutcome> {
    return this.changeMembers(groupDn, memberDns, 'delete');
  }

  /**
   * Renames or moves an entry (modifyDN, with the new parent when it changes; the old RDN value
   * is removed). The entry keeps its entryUUID. Idempotent: when `dn` is gone and `newDn`
   * exists, it succeeds with the message "already renamed".
   *
   * @example
   *   await ldap.rename('uid=ada,ou=people,dc=example,dc=org', 'uid=ada,ou=staff,dc=example,dc=org');
   */
  async rename(dn: string, newDn: string): Promise<OperationOutcome> {
    const [outcome] = await this.apply([{ kind: 'rename', dn, newDn, changes: [] }]);
    return outcome;
  }

  /** The entryUUIDs of entries by DN (Connector.readAnchors), one base search each. */
  async readAnchors(dns: string[]): Promise<Map<string, string>> {
    const client = await this.connections.connect();
    try {
      return await readEntryAnchors(client, dns, { attribute: 'entryUUID', asText: String }, this.connections.timeLimit());
    } finally {
      await this.connections.release(client);
    }
  }

  close(): Promise<void> {
    return this.connections.close();
  }

  private async changeMembers(groupDn: string, memberDns: string[], operation: 'add' | 'delete'): Promise<OperationOutcome> {
    if (!memberDns.length) return { status: 'succeeded', message: 'nothing to change' };
    const client = await this.connections.connect();
    try {
      const { searchEntries } = await client.search(groupDn, { scope: 'base', attributes: ['objectClass'], timeLimit: this.connections.timeLimit() });
      const classes = [searchEntries[0]?.objectClass ?? []].flat().map((c) => String(c).toLowerCase());
      const type = classes.includes('groupofuniquenames') ? 'uniqueMember' : classes.includes('groupofnames') ? 'member' : undefined;
      if (!type) return { status: 'failed', message: `${groupDn} is neither a groupOfNames nor a groupOfUniqueNames` };
      const unchanged = await modifyValues(client, groupDn, [{ attribute: type, mode: operation === 'add' ? 'add' : 'remove', values: memberDns }], LDAP_MODIFY);
      const count = unchanged[0]?.count ?? 0;
      if (!count) return { status: 'succeeded' };
      return { status: 'succeeded', message: `${count} of ${unchanged[0].of} ${operation === 'add' ? 'already members' : 'not members'}` };
    } catch (e) {
      if (resultCode(e) === ResultCode.noSuchObject) return { status: 'failed', message: `no such group: ${groupDn}` };
      return toOutcome(e);
    } finally {
      await this.connections.release(client);
    }
  }

  private async create(client: Client, op: ConnectorOperation): Promise<OperationOutcome> {
    const entry = entryAttributes(op.changes, op.objectClasses?.length ? op.objectClasses : ['inetOrgPerson']);
    try {
      await client.add(op.dn, entry);
      return { status: 'succeeded' };
    } catch (e) {
      if (resultCode(e) === ResultCode.alreadyExists) return { status: 'succeeded', message: 'already exists' };
      throw e;
    }
  }

  /**
   * A change without a mode (replace) is an LDAP replace, never a delete: a replace with no values
   * removes the attribute if it is there and is a no-op if it is not, whereas a delete of a missing
   * attribute fails the whole modify. add and remove are an LDAP add and delete of those values,
   * idempotent (see modifyValues). Removing the last `member` of a groupOfNames fails with the
   * server's message: the schema requires one.
   */
  private async modify(client: Client, op: ConnectorOperation): Promise<OperationOutcome> {
    if (!op.changes.length) return { status: 'succeeded', message: 'nothing to change' };
    try {
      const message = unchangedMessage(await modifyValues(client, op.dn, op.changes, LDAP_MODIFY));
      return message ? { status: 'succeeded', message } : { status: 'succeeded' };
    } catch (e) {
      // The entry, or a DN among the values (a member that does not exist, where the server checks).
      if (resultCode(e) === ResultCode.noSuchObject && !(await entryExists(client, op.dn))) return { status: 'failed', message: `no such object: ${op.dn}` };
      throw e;
    }
  }

  private searchError(e: unknown): ConnectorError {
    return searchError(e, { url: this.options.url, base: this.searchBase, codePrefix: 'LDAP', baseWords: `the search base "${this.searchBase}"` });
  }
}
