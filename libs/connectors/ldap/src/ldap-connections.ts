import { ConnectorError, type ConnectorOperation, type OperationOutcome } from '@idsync/connector-core';
import { Client, type SearchResult } from 'ldapts';
import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { applyInLanes } from './apply-in-lanes';
import { connectError, describe, ResultCode, resultCode, toOutcome, type ConnectErrorHooks } from './ldap-errors';

export type LdapOperationHandler = (client: Client, op: ConnectorOperation) => Promise<OperationOutcome>;

/**
 * How each kind of operation is applied on a connection; `delete` defaults to deleteEntry. A
 * handler may throw: the error becomes the operation's outcome through toOutcome.
 */
export type LdapOperationHandlers = Record<'create' | 'update' | 'disable', LdapOperationHandler> & { delete?: LdapOperationHandler };

export interface LdapConnectionOptions {
  url: string;
  bindDn: string;
  password: string;
  /** For ldaps:// or StartTLS, e.g. `{ ca }`. */
  tlsOptions?: ConnectionOptions;
  /** Upgrade an ldap:// connection with StartTLS before the bind. */
  startTls?: boolean;
  /** Connections apply() uses in parallel; default 4. */
  concurrency?: number;
  /** Per operation and per connect; default 30 s. */
  timeoutMs?: number;
  /** How connect failures are worded for this kind of directory. */
  connectErrorHooks?: ConnectErrorHooks;
}

/**
 * The bound ldapts connections of one connector: opened on demand, all tracked so that close()
 * leaves none behind, and the pool apply() schedules operations on.
 *
 * @example
 *   const connections = new LdapConnections({ url, bindDn, password });
 *   const client = await connections.connect();
 *   try { await client.search(base, { scope: 'base', timeLimit: connections.timeLimit() }); } finally { await connections.release(client); }
 *   await connections.apply(operations, { create, update: modify, disable: modify });
 *   await connections.close();
 */
export class LdapConnections {
  private readonly open = new Set<Client>();

  constructor(private readonly options: LdapConnectionOptions) {}

  get timeoutMs(): number {
    return this.options.timeoutMs ?? 30_000;
  }

  /** Seconds, for the server side of a search; the client side is `timeout`. */
  timeLimit(): number {
    return Math.ceil(this.timeoutMs / 1000);
  }

  /** A bound connection, or CONNECTOR.UNREACHABLE / CONNECTOR.AUTH_FAILED / CONNECTOR.CONFIG. */
  async connect(): Promise<Client> {
    return (await this.openConnection()).client;
  }

  /**
   * A bound connection and the socket that carries its LDAP messages (the TLS socket under
   * ldaps:// or StartTLS), for a request ldapts cannot read the answer of (see content-sync.ts).
   * Release it as any other; whoever reads the socket must leave it idle or close it.
   */
  async connectWithSocket(): Promise<{ client: Client; socket: Duplex }> {
    const { client, socket } = await this.openConnection(true);
    if (!socket) {
      await this.release(client);
      throw new Error('the LDAP connection has no socket');
    }
    return { client, socket };
  }

  private async openConnection(captureSocket = false): Promise<{ client: Client; socket?: Duplex }> {
    const { url, bindDn, password, tlsOptions, startTls } = this.options;
    let client: Client;
    let host = '';
    // The newest socket ldapts opened: the TCP one, then the TLS one over it after StartTLS.
    let socket: Duplex | undefined;
    const capture = captureSocket
      ? {
          createConnection: ((...args: Parameters<typeof netConnect>) => (socket = netConnect(...args))) as typeof netConnect,
          createSecureConnection: ((...args: Parameters<typeof tlsConnect>) => (socket = tlsConnect(...args))) as typeof tlsConnect,
        }
      : {};
    try {
      host = new URL(url).hostname.replace(/^\[|\]$/g, '');
      if (startTls && !url.toLowerCase().startsWith('ldap://')) throw new Error('StartTLS needs an ldap:// URL (ldaps:// is TLS from the start)');
      // ldapts opens a TLS socket from the start whenever tlsOptions are given, so StartTLS gets them only at the upgrade.
      // autoRebind: after ldapts reconnects a dropped socket, later operations must not run anonymously.
      client = new Client({ url, timeout: this.timeoutMs, connectTimeout: this.timeoutMs, autoRebind: true, tlsOptions: startTls ? undefined : tlsOptions, ...capture });
    } catch (e) {
      throw new ConnectorError('CONNECTOR.CONFIG', `invalid LDAP URL "${url}": ${describe(e)}`, { url });
    }
    try {
      // host: what Node checks the certificate's names against when no servername is given.
      if (startTls) await client.startTLS({ host, ...tlsOptions });
      await client.bind(bindDn, password);
    } catch (e) {
      await client.unbind().catch(() => undefined);
      throw connectError(e, url, bindDn, this.options.connectErrorHooks);
    }
    this.open.add(client);
    return { client, socket };
  }

  async release(client: Client): Promise<void> {
    this.open.delete(client);
    await client.unbind().catch(() => undefined);
  }

  /**
   * Binds and reads `base` itself, the cheapest proof that the server, the credentials and the
   * base are right. Connect failures are thrown as they are; a failed search goes through `searchError`.
   */
  async probe(base: string, searchError: (e: unknown) => Error): Promise<void> {
    const client = await this.connect();
    try {
      await client.search(base, { scope: 'base', attributes: ['1.1'], timeLimit: this.timeLimit() });
    } catch (e) {
      throw searchError(e);
    } finally {
      await this.release(client);
    }
  }

  /**
   * A subtree search of `base`, page by page (the server's paged results control), with the
   * server-side time limit of these connections. Never add a client sizeLimit: ldapts then takes
   * the server's sizeLimitExceeded as success, and a read cut short would end quietly.
   */
  searchPages(client: Client, base: string, search: { filter: string; attributes: string[]; pageSize: number; explicitBufferAttributes?: string[] }): AsyncIterable<SearchResult> {
    const { filter, attributes, pageSize, explicitBufferAttributes } = search;
    return client.searchPaginated(base, { scope: 'sub', filter, attributes, explicitBufferAttributes, paged: { pageSize }, timeLimit: this.timeLimit() });
  }

  /** The operations on up to `concurrency` connections, in lanes by DN (see applyInLanes), each by the handler of its kind. */
  apply(operations: ConnectorOperation[], handlers: LdapOperationHandlers): Promise<OperationOutcome[]> {
    const applyOne = async (client: Client, op: ConnectorOperation): Promise<OperationOutcome> => {
      const handler =
        op.kind === 'delete' ? (handlers.delete ?? ((c, o) => deleteEntry(c, o.dn))) : op.kind === 'rename' ? (c: Client, o: ConnectorOperation) => renameEntry(c, o, handlers.update) : handlers[op.kind];
      if (!handler) return { status: 'failed', message: `unknown operation kind "${op.kind}"` };
      try {
        return await handler(client, op);
      } catch (e) {
        return toOutcome(e);
      }
    };
    return applyInLanes(operations, { concurrency: this.options.concurrency ?? 4, connect: () => this.connect(), release: (client) => this.release(client), applyOne });
  }

  async close(): Promise<void> {
    await Promise.all([...this.open].map((c) => this.release(c)));
  }
}

/**
 * Renames or moves an entry (modifyDN: the old RDN value is removed, the entryUUID or objectGUID
 * kept), then applies the operation's changes at the new DN with `update`. Idempotent: when the old
 * DN is gone and the new one exists, the rename happened already. Other failures are thrown.
 */
export async function renameEntry(client: Client, op: ConnectorOperation, update: LdapOperationHandler): Promise<OperationOutcome> {
  const newDn = op.newDn;
  if (!newDn) return { status: 'failed', message: `a rename of ${op.dn} needs the new DN` };
  let renamed: OperationOutcome = { status: 'succeeded' };
  try {
    // ldapts splits newDn at its first unescaped comma into the new RDN and the new superior.
    await client.modifyDN(op.dn, newDn);
  } catch (e) {
    if (resultCode(e) !== ResultCode.noSuchObject || !(await entryExists(client, newDn))) throw e;
    renamed = { status: 'succeeded', message: 'already renamed' };
  }
  if (!op.changes.length) return renamed;
  return update(client, { ...op, kind: 'update', dn: newDn });
}

/**
 * The value of `attribute` (entryUUID; objectGUID, `binary`, as text through `asText`) of each entry,
 * read by one base search per DN on one connection; a DN with no entry gives none.
 */
export async function readEntryAnchors(
  client: Client,
  dns: string[],
  anchor: { attribute: string; binary?: boolean; asText: (value: unknown) => string },
  timeLimit: number,
): Promise<Map<string, string>> {
  const { attribute, asText } = anchor;
  const anchors = new Map<string, string>();
  for (const dn of dns) {
    try {
      const { searchEntries } = await client.search(dn, { scope: 'base', attributes: [attribute], explicitBufferAttributes: anchor.binary ? [attribute] : [], timeLimit });
      const value = searchEntries[0]?.[attribute];
      const text = value === undefined ? '' : asText(Array.isArray(value) ? value[0] : value);
      if (text) anchors.set(dn, text);
    } catch (e) {
      if (resultCode(e) !== ResultCode.noSuchObject) throw e;
    }
  }
  return anchors;
}

/** Whether an entry exists at `dn`. */
export async function entryExists(client: Client, dn: string): Promise<boolean> {
  try {
    const { searchEntries } = await client.search(dn, { scope: 'base', attributes: ['1.1'] });
    return searchEntries.length > 0;
  } catch (e) {
    if (resultCode(e) === ResultCode.noSuchObject) return false;
    throw e;
  }
}

/** Deletes an entry; "no such object" counts as deleted. Other failures are thrown. */
export async function deleteEntry(client: Client, dn: string): Promise<OperationOutcome> {
  try {
    await client.del(dn);
    return { status: 'succeeded' };
  } catch (e) {
    if (resultCode(e) === ResultCode.noSuchObject) return { status: 'succeeded', message: 'no such object' };
    throw e;
  }
}
