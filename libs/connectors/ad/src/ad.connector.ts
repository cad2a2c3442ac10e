import { ConnectorError, modeOf, type Capabilities, type ChangePage, type ConnectorObject, type AttributeSchema, type ConnectorSchema, type IncrementalConnector, type ConnectorOperation, type OperationOutcome, type ReadOptions } from '@idsync/connector-core';
import type { ConnectionOptions } from 'node:tls';
import { describeLdapError as describe, discoverSchema, entryAttributes, entryExists, LdapConnections, readEntryAnchors, modifyValues, ResultCode, resultCode, searchError, toOutcome, unchangedMessage, type ModifyValuesOptions } from '@idsync/connector-ldap';
import { Attribute, Change, type Client } from 'ldapts';
import { BUFFER_ATTRIBUTES, toAdObject } from './ad-entry';
import { adConnectErrorHooks } from './ad-errors';
import { DEFAULT_RANGE_SIZE, readRangedAttribute } from './ad-range';
import { encodeUnicodePwd, guidToString, NORMAL_ACCOUNT, parseEnabled, withAccountDisabled } from './ad-values';

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

const DEFAULT_FILTERS: Record<string, string> = {
  // objectClass=user alone also matches computer accounts.
  user: '(&(objectCategory=person)(objectClass=user))',
  group: '(objectClass=group)',
};

/** Pseudo-attributes of operations: handled by the connector, never sent as they are. */
const PASSWORD = 'password';
const ENABLED = 'enabled';

/** Required by the schema but filled by the DC (or by the create's objectClasses): never required of a create. */
const SERVER_SET = ['objectClass', 'objectCategory', 'nTSecurityDescriptor', 'instanceType'];

/** The pseudo-attributes as discover() lists them for users. */
const PSEUDO_ATTRIBUTES: AttributeSchema[] = [
  { name: PASSWORD, type: 'string', multiValued: false, required: false },
  { name: ENABLED, type: 'boolean', multiValued: false, required: false },
];

/**
 * Active Directory (tested against Samba 4.17 as a DC) through ldapts over LDAPS. Keys are DNs,
 * anchors the objectGUID as a GUID string. Writes understand two pseudo-attributes: `password`
 * (set through unicodePwd, never read back) and `enabled` (the ACCOUNTDISABLE bit of
 * userAccountControl, other bits kept). "Already exists" on create, "no such object" on delete and an old DN gone with the new one there on rename
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
export class ActiveDirectoryConnector implements IncrementalConnector {
  readonly kind = 'active-directory';
  readonly capabilities: Capabilities = { read: true, write: true, incremental: true };
  private readonly connections: LdapConnections;

  constructor(private readonly options: ActiveDirectoryConnectorOptions) {
    this.connections = new LdapConnections({ ...options, connectErrorHooks: adConnectErrorHooks });
  }

  private get searchBase(): string {
    return this.options.searchBase ?? this.options.baseDn;
  }

  async testConnection(): Promise<void> {
    await this.connections.probe(this.searchBase, (e) => this.searchError(e));
  }

  readSnapshot(options: ReadOptions): AsyncIterable<ConnectorObject[]> {
    return this.read(options, this.filterFor(options.objectType));
  }

  /**
   * Objects of a type changed (or created) after the USN `since`, by uSNChanged; every object when
   * it is undefined. Each page carries the DC's highestCommittedUSN read before the search, so a
   * change committed during the read is read again next time, never lost.
   *
   * Hazards: USNs belong to one DC, so a watermark is only meaningful against the same DC (point
   * the URL at one DC, not a load-balanced name). Deletions do not show (`deleted` is []): they
   * need a complete read (or the Show Deleted control, which this connector does not use).
   */
  async *readChanges(since: string | undefined, options: ReadOptions): AsyncIterable<ChangePage> {
    const from = since ?? '0';
    if (!/^\d+$/.test(from)) throw new ConnectorError('CONNECTOR.CONFIG', `a USN watermark is a whole number, not "${from}"`, { watermark: from });
    const filter = this.filterFor(options.objectType);
    const watermark = await this.highestCommittedUsn();
    let any = false;
    for await (const objects of this.read(options, `(&${filter}(uSNChanged>=${BigInt(from) + 1n}))`)) {
      any = true;
      yield { objects, deleted: [], watermark };
    }
    if (!any) yield { objects: [], deleted: [], watermark };
  }

  /** The DC's highestCommittedUSN (rootDSE): the watermark for readChanges. */
  async highestCommittedUsn(): Promise<string> {
    const client = await this.connections.connect();
    try {
      const { searchEntries } = await client.search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['highestCommittedUSN'], timeLimit: this.connections.timeLimit() });
      const usn = searchEntries[0]?.highestCommittedUSN;
      if (typeof usn !== 'string' || !/^\d+$/.test(usn)) throw new ConnectorError('AD.NO_USN', `${this.options.url} did not return highestCommittedUSN; is it an Active Directory DC?`, { url: this.options.url });
      return usn;
    } catch (e) {
      throw e instanceof ConnectorError ? e : this.searchError(e);
    } finally {
      await this.connections.release(client);
    }
  }

  /**
   * Every value of a multi-valued attribute (by default a group's `member`), following AD's range
   * retrieval past MaxValRange (1,500 values per search).
   */
  async readAllValues(dn: string, attribute = 'member'): Promise<string[]> {
    const client = await this.connections.connect();
    try {
      return await readRangedAttribute(client, dn, attribute, { rangeSize: this.options.rangeSize ?? DEFAULT_RANGE_SIZE });
    } catch (e) {
      throw this.searchError(e, dn);
    } finally {
      await this.connections.release(client);
    }
  }

  /**
   * Moves and/or renames an object (modifyDN), e.g. between OUs. Idempotent: when `dn` is gone
   * and `newDn` exists, the move is taken to have happened already.
   */
  async move(dn: string, newDn: string): Promise<OperationOutcome> {
    const [outcome] = await this.apply([{ kind: 'rename', dn, newDn, changes: [] }]);
    return outcome;
  }

  /**
   * The schema of each configured object type from the DC's subschema (CN=Aggregate): `user` is the user class with
   * its superclasses and the auxiliary classes its DIT content rule allows (securityPrincipal's sAMAccountName),
   * `group` the group class. objectGUID is the anchor, objectGUID and objectSid are binary. Users also list the
   * connector's pseudo-attributes `password` and `enabled`, which are written but never read back as such.
   *
   * @example
   *   const user = (await ad.discover()).objectTypes.find((t) => t.name === 'user'); // anchor 'objectGUID', key 'dn'
   */
  async discover(): Promise<ConnectorSchema> {
    const client = await this.connections.connect();
    try {
      const filters = { ...DEFAULT_FILTERS, ...this.options.filters };
      const schema = await discoverSchema(client, this.connections.timeLimit(), { filters, anchor: 'objectGUID', serverSet: SERVER_SET, url: this.options.url }, 'AD');
      for (const type of schema.objectTypes) {
        if (type.nativeNames.includes('user')) type.attributes.push(...PSEUDO_ATTRIBUTES.filter((p) => !type.attributes.some((a) => a.name === p.name)));
      }
      return schema;
    } catch (e) {
      throw e instanceof ConnectorError ? e : this.searchError(e);
    } finally {
      await this.connections.release(client);
    }
  }

  /** Scheduled as LdapConnector.apply schedules them: in order per DN, DNs in parallel (see applyInLanes). */
  apply(operations: ConnectorOperation[]): Promise<OperationOutcome[]> {
    return this.connections.apply(operations, {
      create: (client, op) => this.create(client, op),
      update: (client, op) => this.modify(client, op, undefined),
      disable: (client, op) => this.modify(client, op, false),
    });
  }

  /** The objectGUIDs of objects by DN (Connector.readAnchors), as the GUID strings snapshots give. */
  async readAnchors(dns: string[]): Promise<Map<string, string>> {
    const client = await this.connections.connect();
    try {
      return await readEntryAnchors(client, dns, { attribute: 'objectGUID', binary: true, asText: (v) => (Buffer.isBuffer(v) ? guidToString(v) : '') }, this.connections.timeLimit());
    } finally {
      await this.connections.release(client);
    }
  }

  close(): Promise<void> {
    return this.connections.close();
  }

  private filterFor(objectType: string): string {
    const filter = { ...DEFAULT_FILTERS, ...this.options.filters }[objectType];
    // Guessing a filter could match nothing, and an empty destination read plans creates for everyone.
    if (!filter) throw new ConnectorError('CONNECTOR.CONFIG', `no search filter for object type "${objectType}"; add it to the connection's filters`, { objectType });
    return filter;
  }

  private async *read(options: ReadOptions, filter: string): AsyncIterable<ConnectorObject[]> {
    const requested = options.attributes?.length ? options.attributes : undefined;
    const client = await this.connections.connect();
    try {
      const pages = this.connections.searchPages(client, this.searchBase, {
        filter,
        attributes: [...(requested ?? ['*']), 'objectGUID'],
        explicitBufferAttributes: BUFFER_ATTRIBUTES,
        pageSize: options.pageSize ?? this.options.pageSize ?? 500,
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
      await this.connections.release(client);
    }
  }

  /**
   * Adds the object with its password in the same add (AD refuses to enable an account without
   * one), then clears ACCOUNTDISABLE when `enabled` is true. The enable step runs on "already
   * exists" too, so that retrying a create whose enable failed finishes the job.
   */
  private async create(client: Client, op: ConnectorOperation): Promise<OperationOutcome> {
    const refused = refusePseudoModes(op);
    if (refused) return refused;
    const { changes, password, enabled } = splitPseudo(op);
    const entry = entryAttributes(changes, op.objectClasses?.length ? op.objectClasses : ['user']);
    const attributes = Object.entries(entry).map(([type, values]) => new Attribute({ type, values }));
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
   * A change without a mode (replace) is an LDAP replace, never a delete: a replace with no values
   * removes the attribute if it is there and is a no-op if it is not, whereas a delete of a missing
   * attribute fails the whole modify. add and remove (a group's `member`, any multi-valued
   * attribute) are an LDAP add and delete of those values, idempotent: AD's "already a member"
   * (entryAlreadyExists) and "not a member" (unwillingToPerform) count as done, values read back
   * through range retrieval past 1,500 (see modifyValues). `password` and `enabled` take replace only.
   * `forceEnabled` false is the 'disable' kind: it sets ACCOUNTDISABLE whatever the changes say.
   */
  private async modify(client: Client, op: ConnectorOperation, forceEnabled: boolean | undefined): Promise<OperationOutcome> {
    const refused = refusePseudoModes(op);
    if (refused) return refused;
    const { changes, password, enabled: asked } = splitPseudo(op);
    const enabled = forceEnabled ?? asked;
    // An administrator's reset is a replace of unicodePwd; a user's own change would be delete+add of the old and new one.
    const extra = password === undefined ? [] : [new Change({ operation: 'replace', modification: new Attribute({ type: 'unicodePwd', values: [encodeUnicodePwd(password)] }) })];
    if (!changes.length && !extra.length && enabled === undefined) return { status: 'succeeded', message: 'nothing to change' };
    let message: string | undefined;
    try {
      message = unchangedMessage(await modifyValues(client, op.dn, changes, this.modifyOptions, extra));
    } catch (e) {
      // The entry, or a DN among the values (a member that does not exist).
      if (resultCode(e) === ResultCode.noSuchObject && !(await entryExists(client, op.dn))) return { status: 'failed', message: `no such object: ${op.dn}` };
      return { status: toOutcome(e).status, message: this.redact(describe(e), password) };
    }
    if (enabled !== undefined) return this.setEnabled(client, op.dn, enabled);
    return message ? { status: 'succeeded', message } : { status: 'succeeded' };
  }

  private get modifyOptions(): ModifyValuesOptions {
    const rangeSize = this.options.rangeSize ?? DEFAULT_RANGE_SIZE;
    return { refusals: AD_VALUE_REFUSALS, readValues: (client, dn, attribute) => readRangedAttribute(client, dn, attribute, { rangeSize }) };
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

  /** A password must never reach an outcome message, whatever the server chose to echo. */
  private redact(message: string, password: string | undefined): string {
    return password ? message.split(password).join('***') : message;
  }

  private searchError(e: unknown, base = this.searchBase): ConnectorError {
    return searchError(e, { url: this.options.url, base, codePrefix: 'AD', baseWords: `"${base}"` });
  }
}

/**
 * Active Directory refuses an add of a member already there with entryAlreadyExists (68) and a delete of a member not
 * there with unwillingToPerform (53); other attributes answer as RFC 4511 says.
 */
const AD_VALUE_REFUSALS = { add: [ResultCode.attributeOrValueExists, ResultCode.alreadyExists], delete: [ResultCode.noSuchAttribute, 53] };

/** A failed outcome for an add or remove of `password` or `enabled`, which are set, not added to. */
function refusePseudoModes(op: ConnectorOperation): OperationOutcome | undefined {
  const pseudo = op.changes.find((c) => [PASSWORD, ENABLED].includes(c.attribute.toLowerCase()) && modeOf(c) !== 'replace');
  return pseudo && { status: 'failed', message: `"${pseudo.attribute}" is set with replace; it cannot be ${pseudo.mode === 'add' ? 'added to' : 'removed from'}` };
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
