import { ConnectorError, type ChangePage, type ConnectorObject, type ReadOptions } from '@idsync/connector-core';
import type { Client } from 'ldapts';
import type { Duplex } from 'node:stream';
import { contentSyncSearch, SYNC_REFRESH_REQUIRED, SYNC_REQUEST_OID, SyncSearchResultError, type SyncEvent } from './content-sync';
import type { LdapConnections } from './ldap-connections';
import { toConnectorObject } from './ldap-entry';
import { describe } from './ldap-errors';

/** CSNs (`20261123134531.725307Z#000000#000#000000`) sort as text: time first, then counter, server id. */
const CSN = /^\d{14}\.\d{6}Z#[0-9a-f]{6}#[0-9a-f]{3}#[0-9a-f]{6}$/i;
const CSN_IN_COOKIE = /csn=([^,;]+(?:;[^,;]+)*)/;
const TIMESTAMP = /^\d{14}(\.\d+)?Z$/;
/** Watermarks of content sync: the server's cookie, in base64 since RFC 4533 makes it opaque octets. */
const SYNC_PREFIX = 'sync:';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Result codes with which slapd refuses a cookie it cannot use (a state newer than its own, an unparsable one). */
const COOKIE_REFUSALS = new Set([2, 53]);

/** Where readLdapChanges reads, and how it reads a plain (not content sync) set of pages. */
export interface LdapChangeSource {
  connections: LdapConnections;
  url: string;
  /** The suffix: its entry carries contextCSN when slapd runs syncprov. */
  baseDn: string;
  searchBase: string;
  /** readSnapshot's pages for a filter. */
  readPages(filter: string, pageSize: number): AsyncIterable<ConnectorObject[]>;
  searchError(e: unknown): ConnectorError;
}

type Since = { kind: 'start' } | { kind: 'cookie'; cookie: Buffer } | { kind: 'csn'; csn: string } | { kind: 'timestamp'; timestamp: string };

/**
 * A watermark as readLdapChanges understands it: '' or undefined (from the start), `sync:<base64 cookie>`,
 * or one of the earlier schemes (an entryCSN, a modifyTimestamp), which stay valid. Anything else is
 * CONNECTOR.CONFIG.
 */
export function parseWatermark(since: string | undefined): Since {
  if (since === undefined || since === '') return { kind: 'start' };
  if (since.startsWith(SYNC_PREFIX) && BASE64.test(since.slice(SYNC_PREFIX.length))) return { kind: 'cookie', cookie: Buffer.from(since.slice(SYNC_PREFIX.length), 'base64') };
  if (CSN.test(since)) return { kind: 'csn', csn: since };
  if (TIMESTAMP.test(since)) return { kind: 'timestamp', timestamp: since };
  throw new ConnectorError('CONNECTOR.CONFIG', `"${since}" is not a watermark from readChanges (a content sync cookie, an entryCSN or a modifyTimestamp)`, { watermark: since });
}

export function syncWatermark(cookie: Buffer): string {
  return SYNC_PREFIX + cookie.toString('base64');
}

/**
 * slapd's cookie for a state `csn`. slapd ignores a cookie without `rid=` (it then sends
 * everything), so the rid is spelt out as slapd spells it for a client that sent none.
 */
export function cookieFromCsn(csn: string): Buffer {
  return Buffer.from(`rid=000,csn=${csn}`);
}

/** The oldest CSN in a slapd cookie (`rid=000,csn=a;b`), or undefined for a cookie of another server. */
export function csnFromCookie(cookie: Buffer): string | undefined {
  const match = CSN_IN_COOKIE.exec(cookie.toString('latin1'));
  return match?.[1].split(';').filter((c) => CSN.test(c)).sort()[0];
}

/**
 * readChanges of LdapConnector; see its JSDoc for what the pages mean. Each page but the last
 * carries the watermark given (re-reading from it is safe); the last carries the new one.
 */
export async function* readLdapChanges(source: LdapChangeSource, since: string | undefined, options: ReadOptions, filter: string, pageSize: number): AsyncGenerator<ChangePage> {
  const start = parseWatermark(since);
  const startWatermark = since ?? '';
  const requested = options.attributes?.length ? options.attributes : undefined;
  const { connections } = source;
  let client: Client | undefined;
  try {
    const connection = await connections.connectWithSocket();
    client = connection.client;
    const { contentSync, contextCsn } = await capabilities(client, source, connections.timeLimit());
    if (contentSync && contextCsn && start.kind !== 'timestamp') {
      const cookie = start.kind === 'cookie' ? start.cookie : start.kind === 'csn' ? cookieFromCsn(start.csn) : undefined;
      yield* syncPages(connection.socket, source, { cookie, filter, requested, pageSize, startWatermark, contextCsn });
      return;
    }
    // From here on, plain searches: by entryCSN where the suffix has a contextCSN, by modifyTimestamp where not.
    const csn = start.kind === 'csn' ? start.csn : start.kind === 'cookie' ? csnFromCookie(start.cookie) : undefined;
    if (start.kind === 'cookie' && !csn) {
      throw new ConnectorError('CONNECTOR.CONFIG', `the watermark is a content sync cookie, but ${source.url} no longer offers content sync (RFC 4533) for ${source.baseDn}; read changes without a watermark to start again`, { url: source.url, watermark: startWatermark });
    }
    let changed = '';
    let final: string;
    if (contextCsn) {
      // A timestamp watermark (made before syncprov was loaded) is still honoured, by modifyTimestamp.
      changed = csn ? `(&(entryCSN>=${csn})(!(entryCSN=${csn})))` : start.kind === 'timestamp' ? `(modifyTimestamp>=${start.timestamp})` : '';
      final = contentSync ? syncWatermark(cookieFromCsn(contextCsn)) : contextCsn;
    } else {
      const timestamp = start.kind === 'timestamp' ? start.timestamp : csn ? `${csn.slice(0, 14)}Z` : undefined;
      changed = timestamp ? `(modifyTimestamp>=${timestamp})` : '';
      final = await newestModifyTimestamp(client, source, changed ? `(&${filter}${changed})` : filter, timestamp);
    }
    await connections.release(client);
    client = undefined;
    yield* lastPageCarries(source.readPages(changed ? `(&${filter}${changed})` : filter, pageSize), startWatermark, final);
  } catch (e) {
    throw e instanceof ConnectorError ? e : source.searchError(e);
  } finally {
    if (client) await connections.release(client);
  }
}

interface SyncRead {
  cookie?: Buffer;
  filter: string;
  requested?: string[];
  pageSize: number;
  startWatermark: string;
  contextCsn: string;
}

/**
 * One refreshOnly sync search (two after e-syncRefreshRequired), in pages. Entries in state add or
 * modify are the objects; entryUUIDs in a syncIdSet with refreshDeletes (the refreshDelete phase)
 * and entries in state delete are the deletions. A present phase (present entries, or a syncIdSet
 * without refreshDeletes) asks the client to delete what it holds and was not named: a connector
 * holds nothing, so those deletions go unreported, as the core contract allows.
 */
async function* syncPages(socket: Duplex, source: LdapChangeSource, read: SyncRead): AsyncGenerator<ChangePage> {
  const { filter, requested, pageSize, startWatermark } = read;
  // entryUUID is operational: the server sends it only when asked by name.
  const attributes = [...(requested ?? ['*']), 'entryUUID'];
  let cookie = read.cookie;
  let messageId = 1000;
  const objects: ConnectorObject[] = [];
  const deleted: string[] = [];
  for (;;) {
    let done: Extract<SyncEvent, { kind: 'done' }> | undefined;
    const search = contentSyncSearch(socket, { messageId: messageId++, base: source.searchBase, filter, attributes, timeLimit: source.connections.timeLimit(), cookie, idleTimeoutMs: source.connections.timeoutMs, highWater: pageSize });
    for await (const event of search) {
      if (event.kind === 'entry') {
        if (event.state === 'delete') deleted.push(event.entryUUID);
        else if (event.state !== 'present') {
          const object = toConnectorObject(event.entry, requested);
          objects.push(object.anchor ? object : { ...object, anchor: event.entryUUID });
        }
      } else if (event.kind === 'info') {
        if (event.info.kind === 'syncIdSet' && event.info.refreshDeletes) deleted.push(...event.info.uuids);
      } else done = event;
      while (objects.length >= pageSize || deleted.length >= pageSize) yield { objects: objects.splice(0, pageSize), deleted: deleted.splice(0, pageSize), watermark: startWatermark };
    }
    if (!done) throw new Error('the sync search ended without a result');
    if (done.resultCode === SYNC_REFRESH_REQUIRED && cookie) {
      // RFC 4533 3.4.3: the cookie is too old for this server; start again from nothing (a full refresh).
      cookie = undefined;
      continue;
    }
    if (done.resultCode !== 0) {
      const error = new SyncSearchResultError(done.resultCode, done.diagnosticMessage);
      if (cookie && COOKIE_REFUSALS.has(done.resultCode)) {
        // slapd: "consumer state is newer than provider!" after the directory was restored from a backup.
        throw new ConnectorError('LDAP.WATERMARK_REFUSED', `${source.url} refused the watermark: ${describe(error)}; read changes without a watermark to start again`, { url: source.url, watermark: startWatermark });
      }
      throw error;
    }
    if (!done.done) throw new Error(`${source.url} answered the sync search without a Sync Done control`);
    // No cookie: nothing changed since the one sent. An empty one: slapd could not parse the cookie sent and
    // sent everything instead; its state before the search is as good a watermark as any it could have sent.
    const next = done.done.cookie === undefined ? cookie : done.done.cookie.length ? done.done.cookie : cookieFromCsn(read.contextCsn);
    yield { objects: objects.splice(0), deleted: deleted.splice(0), watermark: next ? syncWatermark(next) : '' };
    return;
  }
}

/** Whether the server offers content sync, and the suffix's highest contextCSN (slapd's syncprov keeps one). */
async function capabilities(client: Client, source: LdapChangeSource, timeLimit: number): Promise<{ contentSync: boolean; contextCsn?: string }> {
  const root = await client.search('', { scope: 'base', attributes: ['supportedControl'], timeLimit });
  const contentSync = [root.searchEntries[0]?.supportedControl ?? []].flat().some((c) => String(c) === SYNC_REQUEST_OID);
  const { searchEntries } = await client.search(source.baseDn, { scope: 'base', attributes: ['contextCSN'], timeLimit });
  const values = [searchEntries[0]?.contextCSN ?? []].flat().filter((v): v is string => typeof v === 'string' && CSN.test(v));
  return { contentSync, contextCsn: values.sort().at(-1) };
}

/** The newest modifyTimestamp among the entries the read will return (second granularity), taken before the read. */
async function newestModifyTimestamp(client: Client, source: LdapChangeSource, filter: string, since: string | undefined): Promise<string> {
  let newest = since ?? '19700101000000Z';
  for await (const page of source.connections.searchPages(client, source.searchBase, { filter, attributes: ['modifyTimestamp'], pageSize: 1000 })) {
    for (const e of page.searchEntries) if (typeof e.modifyTimestamp === 'string' && e.modifyTimestamp > newest) newest = e.modifyTimestamp;
  }
  return newest;
}

/** Pages as change pages: each carries `start` but the last (empty when there are none), which carries `final`. */
async function* lastPageCarries(pages: AsyncIterable<ConnectorObject[]>, start: string, final: string): AsyncGenerator<ChangePage> {
  let held: ConnectorObject[] | undefined;
  for await (const page of pages) {
    if (held) yield { objects: held, deleted: [], watermark: start };
    held = page;
  }
  yield { objects: held ?? [], deleted: [], watermark: final };
}
