import { ConnectorError, type Capabilities, type Connector, type ConnectorObject, type ConnectorOperation, type OperationOutcome, type ReadOptions } from '@idsync/connector-core';
import type { ConnectionOptions } from 'node:tls';
import { Attribute, Change, Client } from 'ldapts';
import { BUFFER_ATTRIBUTES, toAdObject } from './ad-entry';
import { connectError, describe, isConnectionError, ResultCode, resultCode, toOutcome } from './ad-errors';
import { DEFAULT_RANGE_SIZE, readRangedAttribute } from './ad-range';
import { encodeUnicodePwd, NORMAL_ACCOUNT, parseEnabled, withAccountDisabled } from './ad-values';

export interface ActiveDirectoryConnectorOptions {
  /** ldaps://dc.example.org:636. Passwords can only be set over an encrypted connection. */
  url: string;
  /** A DN or a UPN (`svc-idsync@example.org`): AD accepts either for a simple bind. */
  bindDn: string;
  password: string;
  /** The domain's naming context, e.g. DC=example,DC=org. */
  baseDn: string;
  /** Where objects are read; default baseDn. */
  searchBase?: string;
  /** Search filter per object type; `user` and `group` have defaults. */
  filters?: Record<string, string>;
  /** For ldaps://, e.g. `{ ca: readFileSync('dc-ca.pem') }`. Verification stays on unless you turn it off here. */
  tlsOptions?: ConnectionOptions;
  /** Entries per page of a paged search; default 500 (AD's MaxPageSize is 1000). */
  pageSize?: number;
  /** Values per range when following ranged attributes; default 1500 (AD's MaxValRange). */
  rangeSize?: number;
  /** LDAP connections apply() uses in parallel; default 4. */
  concurrency?: number;
  /** Per operation and per connect; default 30 s. */
  timeoutMs?: number;
}

/** What readChanges returns: the pages of objects changed since the USN, and the next watermark. */
export interface AdChanges {
  /** highestCommittedUSN read before the search: pass it to the next readChanges. */
  watermark: string;
  pages: AsyncIterable<ConnectorObject[]>;
}

const DEFAULT_FILTERS: Record<string, string> = {
  // objectClass=user alone also matches computer accounts.
  user: '(&(objectCategory=person)(objectClass=user))',
  group: '(objectClass=group)',
};

/** Pseudo-attributes of operations: handled by the connector, never sent as they are. */
const PASSWORD = 'password';
const ENABLED = 'enabled';

/**
 * Active Directory (tested against Samba 4.17 as a DC) through ldapts over LDAPS. Keys are DNs,
 * anchors the objectGUID as a GUID string. Writes understand two pseudo-attributes: `password`
 * (set through unicodePwd, never read back) and `enabled` (the ACCOUNTDISABLE bit of
 * userAccountControl, other bits kept). "Already exists" on create and "no such object" on delete
 * count as success.
 *
 * @example
 *   const ad = new ActiveDirectoryConnector({ url: 'ldaps://dc1.example.org', bindDn: 'svc-idsync@example.org', password, baseDn: 'DC=example,DC=org', tlsOptions: { ca } });
 *   await ad.apply([{ kind: 'create', dn: 'CN=Ada Lovelace,OU=Staff,DC=example,DC=org', changes: [
 *     { attribute: 'sAMAccountName', values: ['ada'] }, { attribute: 'userPrincipalName', values: ['ada@example.org'] },
 *     { attribute: 'password', values: [initialPassword] }, { attribute: 'enabled', values: ['true'] },
 *   ] }]);
 *   const { watermark, pages } = await ad.readChanges({ objectType: 'user', sinceUsn: lastWatermark });
 *   await ad.close();
 */
export class ActiveDirectoryConnector implements Connector {
  readonly kind = 'active-directory';
  readonly capabilities: Capabilities = { read: true, write: true, incremental: true };
  private readonly open = new Set<Client>();

  constructor(private readonly options: ActiveDirectoryConnectorOptions) {}

  private get searchBase(): string {
    return this.options.searchBase ?? this.options.baseDn;
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

  readSnapshot(options: ReadOptions): AsyncIterable<ConnectorObject[]> {
    return this.read(options, this.filterFor(options.objectType));
  }

  /**
   * Objects of a type changed (or created) after `sinceUsn`, by uSNChanged. Start with the
   * watermark of a full snapshot: `await readChanges({ objectType, sinceUsn: 0 })` reads everything.
   *
   * Hazards: USNs belong to one DC, so a watermark is only meaningful against the same DC (point
   * the URL at one DC, not a load-balanced name). Deletions do not show: they need a full
   * snapshot (or the Show Deleted control, which this connector does not use).
   */
  async readChanges(options: ReadOptions & { sinceUsn: number | string }): Promise<AdChanges> {
    const since = String(options.sinceUsn);
    if (!/^\d+$/.test(since)) throw new ConnectorError('CONNECTOR.CONFIG', `a USN watermark is a whole number, not "${since}"`, { sinceUsn: since });
    const filter = this.filterFor(options.objectType);
    // Read before the search: a change committed during the read is then read again next time,
    // never lost.
    const watermark = await this.highestCommittedUsn();
    return { watermark, pages: this.read(options, `(&${filter}(uSNChanged>=${BigInt(since) + 1n}))`) };
  }

  /** The DC's highestCommittedUSN (rootDSE): the watermark for readChanges. */
  async highestCommittedUsn(): Promise<string> {
    const client = await this.connect();
    try {
      const { searchEntries } = await client.search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['highestCommittedUSN'], timeLimit: this.timeLimit() });
      const usn = searchEntries[0]?.highestCommittedUSN;
      if (typeof usn !== 'string' || !/^\d+$/.test(usn)) throw new ConnectorError('AD.NO_USN', `${this.options.url} did not return highestCommittedUSN; is it an Active Directory DC?`, { url: this.options.url });
      return usn;
    } catch (e) {
      throw e instanceof ConnectorError ? e : this.searchError(e);
    } finally {
      await this.release(client);
    }
  }

  /**
   * Every value of a multi-valued attribute (by default a group's `member`), following AD's range
   * retrieval past MaxValRange (1,500 values per search).
   */
  async readAllValues(dn: string, attribute = 'member'): Promise<string[]> {
    const client = await this.connect();
    try {
      return await readRangedAttribute(client, dn, attribute, { rangeSize: this.options.rangeSize ?? DEFAULT_RANGE_SIZE });
    } catch (e) {
      throw this.searchError(e, dn);
    } finally {
      await this.release(client);
    }
  }

  /**
   * Moves and/or renames an object (modifyDN), e.g. between OUs. Idempotent: when `dn` is gone
   * and `newDn` exists, the move is taken to have happened already.
   */
  async move(dn: string, newDn: string): Promise<OperationOutcome> {
    const client = await this.connect();
    try {
      await client.modifyDN(dn, newDn);
      return { status: 'succeeded' };
    } catch (e) {
      if (resultCode(e) === ResultCode.noSuchObject && (await this.exists(client, newDn))) return { status: 'succeeded', message: 'already moved' };
      return toOutcome(e);
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
              // Later operations on a DN assume the earlier ones took effect.
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

  private filterFor(objectType: string): string {
    const filter = { ...DEFAULT_FILTERS, ...this.options.filters }[objectType];
    // Guessing a filter could match nothing, and an empty destination read plans creates for everyone.
    if (!filter) throw new ConnectorError('CONNECTOR.CONFIG', `no search filter for object type "${objectType}"; add it to the connection's filters`, { objectType });
    return filter;
  }

  private async *read(options: ReadOptions, filter: string): AsyncIterable<ConnectorObject[]> {
    const requested = options.attributes?.length ? options.attributes : undefined;
    const client = await this.connect();
    try {
      const pages = client.searchPaginated(this.searchBase, {
        scope: 'sub',
        filter,
        attributes: [...(requested ?? ['*']), 'objectGUID'],
        explicitBufferAttributes: BUFFER_ATTRIBUTES,
        paged: { pageSize: options.pageSize ?? this.options.pageSize ?? 500 },
        timeLimit: this.timeLimit(),
      });
      for await (const page of pages) {
        const objects: ConnectorObject[] = [];
        for (const entry of page.searchEntries) {
          const { object, pending } = toAdObject(entry, requested);
          // A large group's member list arrives cut at MaxValRange; a snapshot must hold all of it.
          for (const p of pending) {
            object.attributes[p.attribute] = await readRangedAttribute(client, entry.dn, p.range.attribute, { rangeSize: this.options.rangeSize, from: { values: p.values, range: p.range } });
          }
          objects.push(object);
        }
        if (objects.length) yield objects;
      }
    } catch (e) {
      throw e instanceof ConnectorError ? e : this.searchError(e);
    } finally {
      await this.release(client);
    }
  }

  private async applyOne(client: Client, op: ConnectorOperation): Promise<OperationOutcome> {
    try {
      switch (op.kind) {
        case 'create':
          return await this.create(client, op);
        case 'update':
          return await this.modify(client, op, undefined);
        case 'disable':
          return await this.modify(client, op, false);
        case 'delete':
          return await this.delete(client, op);
        default:
          return { status: 'failed', message: `unknown operation kind "${(op as ConnectorOperation).kind}"` };
      }
    } catch (e) {
      return toOutcome(e);
    }
  }

  /**
   * Adds the object with its password in the same add (AD refuses to enable an account without
   * one), then clears ACCOUNTDISABLE when `enabled` is true. The enable step runs on "already
   * exists" too, so that retrying a create whose enable failed finishes the job.
   */
  private async create(client: Client, op: ConnectorOperation): Promise<OperationOutcome> {
    const { changes, password, enabled } = splitPseudo(op);
    const attributes: Attribute[] = [new Attribute({ type: 'objectClass', values: op.objectClasses?.length ? op.objectClasses : ['user'] })];
    for (const c of changes) {
      if (!c.values.length) continue;
      if (c.attribute.toLowerCase() === 'objectclass') attributes[0].values = [...new Set([...(attributes[0].values as string[]), ...c.values])];
      else attributes.push(new Attribute({ type: c.attribute, values: c.values }));
    }
    if (password !== undefined) attributes.push(new Attribute({ type: 'unicodePwd', values: [encodeUnicodePwd(password)] }));
    let message: string | undefined;
    try {
      await client.add(op.dn, attributes);
    } catch (e) {
      if (resultCode(e) !== ResultCode.alreadyExists) return { status: toOutcome(e).status, message: this.redact(describe(e), password) };
      message = 'already exists';
    }
    if (enabled !== undefined) {
      const outcome = await this.setEnabled(client, op.dn, enabled);
      if (outcome.status !== 'succeeded') return { ...outcome, message: `created, but ${outcome.message}` };
    }
    return message ? { status: 'succeeded', message } : { status: 'succeeded' };
  }

  /**
   * Replace, never delete: a replace with no values removes the attribute if it is there and is
   * a no-op if it is not, whereas a delete of a missing attribute fails the whole modify.
   * `forceEnabled` false is the 'disable' kind: it sets ACCOUNTDISABLE whatever the changes say.
   */
  private async modify(client: Client, op: ConnectorOperation, forceEnabled: boolean | undefined): Promise<OperationOutcome> {
    const { changes, password, enabled: asked } = splitPseudo(op);
    const enabled = forceEnabled ?? asked;
    const mods = changes.map((c) => new Change({ operation: 'replace', modification: new Attribute({ type: c.attribute, values: c.values }) }));
    // An administrator's reset is a replace of unicodePwd; a user's own change would be delete+add of the old and new one.
    if (password !== undefined) mods.push(new Change({ operation: 'replace', modification: new Attribute({ type: 'unicodePwd', values: [encodeUnicodePwd(password)] }) }));
    if (!mods.length && enabled === undefined) return { status: 'succeeded', message: 'nothing to change' };
    try {
      if (mods.length) await client.modify(op.dn, mods);
    } catch (e) {
      if (resultCode(e) === ResultCode.noSuchObject) return { status: 'failed', message: `no such object: ${op.dn}` };
      return { status: toOutcome(e).status, message: this.redact(describe(e), password) };
    }
    return enabled === undefined ? { status: 'succeeded' } : this.setEnabled(client, op.dn, enabled);
  }

  /** Sets or clears ACCOUNTDISABLE in userAccountControl, keeping every other flag as it is. */
  private async setEnabled(client: Client, dn: string, enabled: boolean): Promise<OperationOutcome> {
    try {
      const { searchEntries } = await client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes: ['userAccountControl'] });
      const raw = searchEntries[0]?.userAccountControl;
      const current = typeof raw === 'string' ? Number(raw) : NORMAL_ACCOUNT;
      const next = withAccountDisabled(current, !enabled);
      if (next === current) return { status: 'succeeded', message: enabled ? 'already enabled' : 'already disabled' };
      // userAccountControl is a signed 32-bit integer in LDAP.
      await client.modify(dn, new Change({ operation: 'replace', modification: new Attribute({ type: 'userAccountControl', values: [String(next | 0)] }) }));
      return { status: 'succeeded' };
    } catch (e) {
      if (resultCode(e) === ResultCode.noSuchObject) return { status: 'failed', message: `no such object: ${dn}` };
      const outcome = toOutcome(e);
      return { status: outcome.status, message: `${enabled ? 'enabling' : 'disabling'} failed: ${outcome.message}` };
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

  private async exists(client: Client, dn: string): Promise<boolean> {
    try {
      const { searchEntries } = await client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'] });
      return searchEntries.length > 0;
    } catch {
      return false;
    }
  }

  /** A password must never reach an outcome message, whatever the server chose to echo. */
  private redact(message: string, password: string | undefined): string {
    return password ? message.split(password).join('***') : message;
  }

  /** A bound connection, or CONNECTOR.UNREACHABLE / CONNECTOR.AUTH_FAILED / CONNECTOR.CONFIG. */
  private async connect(): Promise<Client> {
    const { url, bindDn, password, tlsOptions } = this.options;
    let client: Client;
    try {
      // autoRebind: after ldapts reconnects a dropped socket, later operations must not run anonymously.
      client = new Client({ url, timeout: this.timeoutMs, connectTimeout: this.timeoutMs, autoRebind: true, tlsOptions });
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

  private searchError(e: unknown, base = this.searchBase): ConnectorError {
    const { url } = this.options;
    if (isConnectionError(e)) return new ConnectorError('CONNECTOR.UNREACHABLE', `lost ${url} during the read: ${describe(e)}`, { url }, true);
    if (resultCode(e) === ResultCode.noSuchObject) {
      return new ConnectorError('AD.NO_SUCH_BASE', `"${base}" does not exist on ${url}; create it or fix searchBase`, { url, searchBase: base });
    }
    const outcome = toOutcome(e);
    return new ConnectorError('AD.SEARCH_FAILED', `searching ${base} on ${url} failed: ${outcome.message}`, { url, searchBase: base }, outcome.status === 'retryable');
  }
}

/** The operation's changes without the pseudo-attributes, and those pulled out. */
function splitPseudo(op: ConnectorOperation): { changes: ConnectorOperation['changes']; password?: string; enabled?: boolean } {
  let password: string | undefined;
  let enabled: boolean | undefined;
  const changes = op.changes.filter((c) => {
    const name = c.attribute.toLowerCase();
    if (name === PASSWORD) {
      // [] means "no password change": a password cannot be removed from an AD account.
      if (c.values.length) password = c.values[0];
      return false;
    }
    if (name === ENABLED) {
      enabled = parseEnabled(c.values);
      return false;
    }
    return true;
  });
  return { changes, password, enabled };
}
