import { ConnectorError, type Capabilities, type Connector, type ConnectorObject, type ConnectorOperation, type OperationOutcome, type ReadOptions } from '@idsync/connector-core';
import { Attribute, Change, type Client } from 'ldapts';
import { LdapConnections } from './ldap-connections';
import { toConnectorObject } from './ldap-entry';
import { ResultCode, resultCode, searchError, toOutcome } from './ldap-errors';

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

/** What readChanges returns: the watermark to pass next time, and the entries changed since the given one. */
export interface LdapChanges {
  /**
   * The suffix's highest contextCSN when the server keeps one (slapd with the syncprov overlay),
   * otherwise the newest modifyTimestamp seen (`YYYYMMDDHHMMSSZ`, second granularity).
   */
  watermark: string;
  /** Created, changed, renamed or moved entries, as readSnapshot's pages. Deleted entries are not in them. */
  pages: AsyncIterable<ConnectorObject[]>;
}

const DEFAULT_FILTERS: Record<string, string> = {
  user: '(objectClass=inetOrgPerson)',
  group: '(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))',
};

/** CSNs (`20261123134531.725307Z#000000#000#000000`) sort as text: time first, then counter, server id. */
const CSN = /^\d{14}\.\d{6}Z#[0-9a-f]{6}#[0-9a-f]{3}#[0-9a-f]{6}$/i;
const TIMESTAMP = /^\d{14}(\.\d+)?Z$/;

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

  async testConnection(): Promise<void> {
    await this.connections.probe(this.searchBase, (e) => this.searchError(e));
  }

  readSnapshot(options: ReadOptions): AsyncIterable<ConnectorObject[]> {
    return this.readPages(options, this.filterFor(options.objectType));
  }

  /**
   * The entries of `options.objectType` created, changed, renamed or moved after `sinceWatermark`
   * (all of them when it is undefined), and the watermark to pass next time. The watermark is
   * taken before the read, so a change made during the read is read again next time rather than
   * missed. Deletions are not reported: only a full snapshot shows them.
   *
   * With slapd's syncprov overlay the watermark is the suffix's contextCSN and the filter compares
   * entryCSN (exact). Without it, it is the newest modifyTimestamp and the comparison is `>=`
   * with second granularity, so entries changed in the watermark's second come back again.
   *
   * @example
   *   const { watermark, pages } = await ldap.readChanges(saved, { objectType: 'user' });
   *   for await (const page of pages) handle(page);
   *   saved = watermark;
   */
  async readChanges(sinceWatermark: string | undefined, options: ReadOptions): Promise<LdapChanges> {
    const filter = this.filterFor(options.objectType);
    if (sinceWatermark !== undefined && !CSN.test(sinceWatermark) && !TIMESTAMP.test(sinceWatermark)) {
      throw new ConnectorError('CONNECTOR.CONFIG', `"${sinceWatermark}" is not a watermark from readChanges (an entryCSN or a modifyTimestamp)`, { watermark: sinceWatermark });
    }
    const client = await this.connections.connect();
    try {
      const csn = await this.contextCsn(client);
      if (csn) {
        const since = sinceWatermark && CSN.test(sinceWatermark) ? sinceWatermark : undefined;
        // A timestamp watermark (made before syncprov was loaded) is still honoured, by modifyTimestamp.
        const changed = since ? `(&(entryCSN>=${since})(!(entryCSN=${since})))` : sinceWatermark ? `(modifyTimestamp>=${sinceWatermark})` : '';
        return { watermark: csn, pages: this.readPages(options, changed ? `(&${filter}${changed})` : filter) };
      }
      const changed = sinceWatermark ? `(modifyTimestamp>=${TIMESTAMP.test(sinceWatermark) ? sinceWatermark : `${sinceWatermark.slice(0, 14)}Z`})` : '';
      const fullFilter = changed ? `(&${filter}${changed})` : filter;
      let watermark = sinceWatermark && TIMESTAMP.test(sinceWatermark) ? sinceWatermark : '19700101000000Z';
      for await (const page of this.connections.searchPages(client, this.searchBase, { filter: fullFilter, attributes: ['modifyTimestamp'], pageSize: 1000 })) {
        for (const e of page.searchEntries) if (typeof e.modifyTimestamp === 'string' && e.modifyTimestamp > watermark) watermark = e.modifyTimestamp;
      }
      return { watermark, pages: this.readPages(options, fullFilter) };
    } catch (e) {
      throw e instanceof ConnectorError ? e : this.searchError(e);
    } finally {
      await this.connections.release(client);
    }
  }

  /** The highest contextCSN of the suffix (one per server that wrote to it), or undefined without syncprov. */
  private async contextCsn(client: Client): Promise<string | undefined> {
    const { searchEntries } = await client.search(this.options.baseDn, { scope: 'base', attributes: ['contextCSN'], timeLimit: this.connections.timeLimit() });
    const raw = searchEntries[0]?.contextCSN;
    const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === 'string' && CSN.test(v));
    return values.sort().at(-1);
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

  /**
   * Adds members to a groupOfNames (`member`) or groupOfUniqueNames (`uniqueMember`), keeping
   * the others. Idempotent: a member already there counts as added.
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
    const client = await this.connections.connect();
    try {
      // ldapts splits newDn at its first unescaped comma into the new RDN and the new superior.
      await client.modifyDN(dn, newDn);
      return { status: 'succeeded' };
    } catch (e) {
      if (resultCode(e) === ResultCode.noSuchObject && (await this.exists(client, newDn))) return { status: 'succeeded', message: 'already renamed' };
      return toOutcome(e);
    } finally {
      await this.connections.release(client);
    }
  }

  close(): Promise<void> {
    return this.connections.close();
  }

  private async exists(client: Client, dn: string): Promise<boolean> {
    try {
      const { searchEntries } = await client.search(dn, { scope: 'base', attributes: ['1.1'], timeLimit: this.connections.timeLimit() });
      return searchEntries.length > 0;
    } catch (e) {
      if (resultCode(e) === ResultCode.noSuchObject) return false;
      throw e;
    }
  }

  private async changeMembers(groupDn: string, memberDns: string[], operation: 'add' | 'delete'): Promise<OperationOutcome> {
    if (!memberDns.length) return { status: 'succeeded', message: 'nothing to change' };
    const client = await this.connections.connect();
    try {
      const { searchEntries } = await client.search(groupDn, { scope: 'base', attributes: ['objectClass'], timeLimit: this.connections.timeLimit() });
      const classes = [searchEntries[0]?.objectClass ?? []].flat().map((c) => String(c).toLowerCase());
      const type = classes.includes('groupofuniquenames') ? 'uniqueMember' : classes.includes('groupofnames') ? 'member' : undefined;
      if (!type) return { status: 'failed', message: `${groupDn} is neither a groupOfNames nor a groupOfUniqueNames` };
      const modify = (values: string[]) => client.modify(groupDn, new Change({ operation, modification: new Attribute({ type, values }) }));
      // The value already there (add) or not there (delete): that member is as asked.
      const harmless = operation === 'add' ? ResultCode.attributeOrValueExists : ResultCode.noSuchAttribute;
      try {
        await modify(memberDns);
        return { status: 'succeeded' };
      } catch (e) {
        if (resultCode(e) !== harmless) throw e;
      }
      // One value in the batch made the server refuse all of it; one at a time, the others still apply.
      let unchanged = 0;
      for (const dn of memberDns) {
        try {
          await modify([dn]);
        } catch (e) {
          if (resultCode(e) !== harmless) throw e;
          unchanged++;
        }
      }
      return { status: 'succeeded', message: `${unchanged} of ${memberDns.length} ${operation === 'add' ? 'already members' : 'not members'}` };
    } catch (e) {
      if (resultCode(e) === ResultCode.noSuchObject) return { status: 'failed', message: `no such group: ${groupDn}` };
      return toOutcome(e);
    } finally {
      await this.connections.release(client);
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

  private searchError(e: unknown): ConnectorError {
    return searchError(e, { url: this.options.url, base: this.searchBase, codePrefix: 'LDAP', baseWords: `the search base "${this.searchBase}"` });
  }
}
