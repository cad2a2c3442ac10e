import { Ber, BerReader, BerWriter, Control, FilterParser, ResultCodeError, SearchEntry, SearchRequest, type Entry } from 'ldapts';
import type { Duplex } from 'node:stream';

/**
 * LDAP Content Synchronization (RFC 4533), refreshOnly mode, over a connection ldapts has bound.
 *
 * ldapts 9 sends any Control, but it cannot deliver what a sync search answers with: its message
 * parser rejects IntermediateResponse (tag 0x79, the Sync Info messages that carry deleted
 * entryUUIDs), hands every entry's controls to one shared request control (so a Sync State per
 * entry is lost), and buffers a whole search before returning it. So this file writes the search
 * request with ldapts's own classes and reads the answer itself, message by message, from the
 * socket (see LdapConnections.connectWithSocket).
 */

export const SYNC_REQUEST_OID = '1.3.6.1.4.1.4203.1.9.1.1';
export const SYNC_STATE_OID = '1.3.6.1.4.1.4203.1.9.1.2';
export const SYNC_DONE_OID = '1.3.6.1.4.1.4203.1.9.1.3';
export const SYNC_INFO_OID = '1.3.6.1.4.1.4203.1.9.1.4';
/** e-syncRefreshRequired: the server cannot refresh from the cookie; the client must start again without one. */
export const SYNC_REFRESH_REQUIRED = 4096;

/** LDAP protocol operation tags (RFC 4511, [APPLICATION n]). */
const Tag = { searchEntry: 0x64, searchDone: 0x65, extendedResponse: 0x78, searchReference: 0x73, intermediate: 0x79, controls: 0xa0 } as const;

export type SyncState = 'present' | 'add' | 'modify' | 'delete';
const STATES: SyncState[] = ['present', 'add', 'modify', 'delete'];

export interface SyncRequestValue {
  mode: 'refreshOnly' | 'refreshAndPersist';
  cookie?: Buffer;
  reloadHint?: boolean;
}

export interface SyncStateValue {
  state: SyncState;
  /** The entry's entryUUID, as text (`bcb59104-7b95-1041-9f47-57ae9d2bf13c`). */
  entryUUID: string;
  cookie?: Buffer;
}

export interface SyncDoneValue {
  cookie?: Buffer;
  refreshDeletes: boolean;
}

export type SyncInfoValue =
  | { kind: 'newCookie'; cookie: Buffer }
  | { kind: 'refreshDelete' | 'refreshPresent'; cookie?: Buffer; refreshDone: boolean }
  | { kind: 'syncIdSet'; cookie?: Buffer; refreshDeletes: boolean; uuids: string[] };

/**
 * syncRequestValue ::= SEQUENCE { mode ENUMERATED { refreshOnly (1), refreshAndPersist (3) },
 * cookie syncCookie OPTIONAL, reloadHint BOOLEAN DEFAULT FALSE }, in DER (a FALSE reloadHint is left out).
 */
export function encodeSyncRequestValue(value: SyncRequestValue): Buffer {
  const w = new BerWriter();
  w.startSequence();
  w.writeEnumeration(value.mode === 'refreshOnly' ? 1 : 3);
  if (value.cookie) w.writeBuffer(value.cookie, Ber.OctetString);
  if (value.reloadHint) w.writeBoolean(true);
  w.endSequence();
  return w.buffer;
}

/** The Sync Request Control, critical: a server that cannot honour it must refuse the search, not answer a plain one. */
export class SyncRequestControl extends Control {
  constructor(readonly value: SyncRequestValue) {
    super(SYNC_REQUEST_OID, { critical: true });
  }

  protected override writeControl(writer: BerWriter): void {
    writer.writeBuffer(encodeSyncRequestValue(this.value), Ber.OctetString);
  }
}

/** syncStateValue ::= SEQUENCE { state ENUMERATED, entryUUID syncUUID, cookie syncCookie OPTIONAL } */
export function decodeSyncStateValue(value: Buffer): SyncStateValue {
  const r = new BerReader(value);
  const end = sequence(r, 0x30, 'syncStateValue');
  const state = STATES[need(r.readEnumeration(), 'syncStateValue state')];
  if (!state) throw malformed('syncStateValue state out of range');
  const entryUUID = formatUuid(need(r.readString(Ber.OctetString, true), 'syncStateValue entryUUID'));
  const cookie = r.offset < end && r.peek() === Ber.OctetString ? need(r.readString(Ber.OctetString, true), 'syncStateValue cookie') : undefined;
  return { state, entryUUID, ...(cookie && { cookie }) };
}

/** syncDoneValue ::= SEQUENCE { cookie syncCookie OPTIONAL, refreshDeletes BOOLEAN DEFAULT FALSE } */
export function decodeSyncDoneValue(value: Buffer): SyncDoneValue {
  // An absent value is all defaults.
  if (!value.length) return { refreshDeletes: false };
  const r = new BerReader(value);
  const end = sequence(r, 0x30, 'syncDoneValue');
  const cookie = r.offset < end && r.peek() === Ber.OctetString ? need(r.readString(Ber.OctetString, true), 'syncDoneValue cookie') : undefined;
  const refreshDeletes = r.offset < end && r.peek() === Ber.Boolean ? need(r.readBoolean(), 'syncDoneValue refreshDeletes') : false;
  return { ...(cookie && { cookie }), refreshDeletes };
}

/**
 * syncInfoValue ::= CHOICE { newcookie [0] syncCookie, refreshDelete [1] SEQUENCE { cookie OPTIONAL,
 * refreshDone BOOLEAN DEFAULT TRUE }, refreshPresent [2] SEQUENCE { same }, syncIdSet [3] SEQUENCE {
 * cookie OPTIONAL, refreshDeletes BOOLEAN DEFAULT FALSE, syncUUIDs SET OF syncUUID } } (implicit tags).
 */
export function decodeSyncInfoValue(value: Buffer): SyncInfoValue {
  const r = new BerReader(value);
  const tag = r.peek();
  if (tag === 0x80) return { kind: 'newCookie', cookie: need(r.readString(0x80, true), 'syncInfoValue newcookie') };
  if (tag === 0xa1 || tag === 0xa2) {
    const end = sequence(r, tag, 'syncInfoValue refresh');
    const cookie = r.offset < end && r.peek() === Ber.OctetString ? need(r.readString(Ber.OctetString, true), 'syncInfoValue cookie') : undefined;
    const refreshDone = r.offset < end && r.peek() === Ber.Boolean ? need(r.readBoolean(), 'syncInfoValue refreshDone') : true;
    return { kind: tag === 0xa1 ? 'refreshDelete' : 'refreshPresent', ...(cookie && { cookie }), refreshDone };
  }
  if (tag === 0xa3) {
    sequence(r, 0xa3, 'syncInfoValue syncIdSet');
    const cookie = r.peek() === Ber.OctetString ? need(r.readString(Ber.OctetString, true), 'syncIdSet cookie') : undefined;
    const refreshDeletes = r.peek() === Ber.Boolean ? need(r.readBoolean(), 'syncIdSet refreshDeletes') : false;
    const setEnd = sequence(r, 0x31, 'syncIdSet syncUUIDs');
    const uuids: string[] = [];
    while (r.offset < setEnd) uuids.push(formatUuid(need(r.readString(Ber.OctetString, true), 'syncIdSet syncUUID')));
    return { kind: 'syncIdSet', ...(cookie && { cookie }), refreshDeletes, uuids };
  }
  throw malformed(`syncInfoValue with unknown choice tag 0x${(tag ?? 0).toString(16)}`);
}

/** A syncUUID (16 octets, RFC 4122 order) in the text form entryUUID has. */
export function formatUuid(bytes: Buffer): string {
  if (bytes.length !== 16) throw malformed(`a syncUUID has 16 octets, not ${bytes.length}`);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface LdapControlValue {
  type: string;
  critical: boolean;
  value?: Buffer;
}

/** One response of a sync search, decoded. */
export type SyncMessage =
  | { kind: 'entry'; messageId: number; entry: SearchEntry; controls: LdapControlValue[] }
  | { kind: 'reference'; messageId: number }
  | { kind: 'intermediate'; messageId: number; name?: string; value?: Buffer }
  | { kind: 'done'; messageId: number; resultCode: number; matchedDN: string; diagnosticMessage: string; controls: LdapControlValue[] }
  | { kind: 'notice'; messageId: number; resultCode: number; diagnosticMessage: string };

/**
 * Splits a byte stream into whole LDAPMessages (each a BER SEQUENCE with a definite length). Bytes
 * of a message not yet complete are kept for the next push.
 */
export class LdapMessageFramer {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const messages: Buffer[] = [];
    for (;;) {
      const size = messageSize(this.pending);
      if (size === undefined || this.pending.length < size) break;
      messages.push(this.pending.subarray(0, size));
      this.pending = this.pending.subarray(size);
    }
    return messages;
  }

  /** Bytes received that do not make a whole message yet. */
  get buffered(): number {
    return this.pending.length;
  }
}

/** The whole size of the message at the start of `b`, or undefined while its header is incomplete. */
function messageSize(b: Buffer): number | undefined {
  if (b.length < 2) return undefined;
  if (b[0] !== 0x30) throw malformed(`an LDAPMessage starts with 0x30, not 0x${b[0].toString(16)}`);
  const first = b[1];
  if (first < 0x80) return 2 + first;
  const octets = first & 0x7f;
  if (octets === 0 || octets > 4) throw malformed('an LDAPMessage needs a definite length of at most 4 octets');
  if (b.length < 2 + octets) return undefined;
  let length = 0;
  for (let i = 0; i < octets; i++) length = length * 256 + b[2 + i];
  return 2 + octets + length;
}

/** Decodes one LDAPMessage of the kinds a search is answered with. */
export function decodeMessage(message: Buffer): SyncMessage {
  const r = new BerReader(message);
  sequence(r, 0x30, 'LDAPMessage');
  const messageId = need(r.readInt(), 'messageID');
  const tag = r.peek();
  if (tag === null) throw malformed('LDAPMessage without a protocolOp');
  const end = sequence(r, tag, 'protocolOp');
  let decoded: SyncMessage;
  switch (tag) {
    case Tag.searchEntry: {
      const entry = new SearchEntry({ messageId });
      entry.parseMessage(r);
      decoded = { kind: 'entry', messageId, entry, controls: [] };
      break;
    }
    case Tag.searchReference:
      decoded = { kind: 'reference', messageId };
      break;
    case Tag.searchDone: {
      const resultCode = need(r.readEnumeration(), 'resultCode');
      const matchedDN = need(r.readString(), 'matchedDN');
      const diagnosticMessage = need(r.readString(), 'diagnosticMessage');
      decoded = { kind: 'done', messageId, resultCode, matchedDN, diagnosticMessage, controls: [] };
      break;
    }
    case Tag.intermediate: {
      const name = r.offset < end && r.peek() === 0x80 ? need(r.readString(0x80), 'responseName') : undefined;
      const value = r.offset < end && r.peek() === 0x81 ? need(r.readString(0x81, true), 'responseValue') : undefined;
      decoded = { kind: 'intermediate', messageId, ...(name !== undefined && { name }), ...(value && { value }) };
      break;
    }
    case Tag.extendedResponse: {
      // Unsolicited (messageID 0): the server is about to close the connection (RFC 4511 4.4.1).
      const resultCode = need(r.readEnumeration(), 'resultCode');
      need(r.readString(), 'matchedDN');
      decoded = { kind: 'notice', messageId, resultCode, diagnosticMessage: need(r.readString(), 'diagnosticMessage') };
      break;
    }
    default:
      throw malformed(`unexpected protocolOp 0x${tag.toString(16)} in a search`);
  }
  // Skips what is not needed here (a referral, an extended response's name and value).
  r.offset = end;
  if ((decoded.kind === 'entry' || decoded.kind === 'done') && r.offset < message.length && r.peek() === Tag.controls) decoded.controls = readControls(r);
  return decoded;
}

/** Controls ::= SEQUENCE OF Control { controlType LDAPOID, criticality BOOLEAN DEFAULT FALSE, controlValue OCTET STRING OPTIONAL } */
function readControls(r: BerReader): LdapControlValue[] {
  const end = sequence(r, Tag.controls, 'controls');
  const controls: LdapControlValue[] = [];
  while (r.offset < end) {
    const controlEnd = sequence(r, 0x30, 'Control');
    const type = need(r.readString(), 'controlType');
    const critical = r.offset < controlEnd && r.peek() === Ber.Boolean ? need(r.readBoolean(), 'criticality') : false;
    const value = r.offset < controlEnd && r.peek() === Ber.OctetString ? need(r.readString(Ber.OctetString, true), 'controlValue') : undefined;
    controls.push({ type, critical, ...(value && { value }) });
    r.offset = controlEnd;
  }
  return controls;
}

/** The RFC 4511 / RFC 4533 names of result codes a sync search may end with. */
const RESULT_NAMES: Record<number, string> = {
  1: 'operationsError',
  2: 'protocolError',
  3: 'timeLimitExceeded',
  4: 'sizeLimitExceeded',
  11: 'adminLimitExceeded',
  12: 'unavailableCriticalExtension',
  32: 'noSuchObject',
  50: 'insufficientAccessRights',
  51: 'busy',
  52: 'unavailable',
  53: 'unwillingToPerform',
  [SYNC_REFRESH_REQUIRED]: 'e-syncRefreshRequired',
};

/** A search's result code other than success, as the ResultCodeError the rest of the connector maps. */
export class SyncSearchResultError extends ResultCodeError {
  constructor(code: number, diagnosticMessage: string) {
    super(code, diagnosticMessage);
    this.name = RESULT_NAMES[code] ?? 'resultCode';
    Object.setPrototypeOf(this, SyncSearchResultError.prototype);
  }
}

export interface ContentSyncSearch {
  messageId: number;
  base: string;
  filter: string;
  attributes: string[];
  /** The server's own limit, in seconds. */
  timeLimit: number;
  cookie?: Buffer;
  /** How long to wait for the next bytes from the server before failing with "timed out". */
  idleTimeoutMs: number;
  /** Decoded messages kept before the socket is paused until the reader catches up; default 1000. */
  highWater?: number;
}

/** What a sync search yields, in the order the server sent it. The last is always `done`. */
export type SyncEvent =
  | { kind: 'entry'; state: SyncState; entryUUID: string; entry: Entry }
  | { kind: 'info'; info: SyncInfoValue }
  | { kind: 'done'; resultCode: number; diagnosticMessage: string; done?: SyncDoneValue };

/**
 * Sends a refreshOnly sync search on `socket` and yields its answer as it arrives. The socket must be
 * bound and otherwise idle, and belongs to this search until it ends: ldapts's own reader is taken
 * off it. Memory is bounded: while `highWater` decoded messages wait to be yielded, the socket is paused.
 * Throws on a lost connection, a malformed message or an idle timeout (the message says "timed out");
 * a result code is reported in the `done` event, not thrown.
 *
 * @example
 *   for await (const event of contentSyncSearch(socket, { messageId: 1000, base, filter, attributes: ['*', 'entryUUID'], timeLimit: 30, idleTimeoutMs: 30_000 })) {
 *     if (event.kind === 'entry') console.log(event.state, event.entryUUID, event.entry.dn);
 *   }
 */
export async function* contentSyncSearch(socket: Duplex, search: ContentSyncSearch): AsyncGenerator<SyncEvent> {
  const highWater = search.highWater ?? 1000;
  const attributes = search.attributes;
  const framer = new LdapMessageFramer();
  const queue: SyncEvent[] = [];
  let failure: Error | undefined;
  let finished = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const onData = (chunk: Buffer) => {
    if (failure) return;
    try {
      for (const bytes of framer.push(chunk)) {
        const event = toEvent(decodeMessage(bytes), search.messageId, attributes);
        if (!event) continue;
        queue.push(event);
        if (event.kind === 'done') finished = true;
      }
    } catch (e) {
      failure ??= e instanceof Error ? e : new Error(String(e));
    }
    if (queue.length >= highWater) socket.pause();
    notify();
  };
  const onClose = () => {
    if (!finished) failure ??= new Error('the connection closed before the sync search finished');
    notify();
  };
  const onError = (e: Error) => {
    failure ??= e;
    notify();
  };
  // ldapts's reader would reject the intermediate responses; this search reads the socket alone.
  socket.removeAllListeners('data');
  socket.on('data', onData);
  socket.on('close', onClose);
  socket.on('error', onError);
  try {
    const request = new SearchRequest({
      messageId: search.messageId,
      baseDN: search.base,
      scope: 'sub',
      filter: FilterParser.parseString(search.filter),
      attributes,
      timeLimit: search.timeLimit,
      controls: [new SyncRequestControl({ mode: 'refreshOnly', ...(search.cookie && { cookie: search.cookie }) })],
    });
    socket.write(request.write());
    for (;;) {
      const event = queue.shift();
      if (event) {
        if (queue.length < highWater / 2 && socket.isPaused()) socket.resume();
        yield event;
        if (event.kind === 'done') return;
        continue;
      }
      if (failure) throw failure;
      await waitFor(search.idleTimeoutMs, (resolve) => (wake = resolve));
    }
  } finally {
    socket.off('data', onData);
    socket.off('close', onClose);
    socket.off('error', onError);
  }
}

function waitFor(timeoutMs: number, register: (resolve: () => void) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sync search timed out: nothing from the server for ${timeoutMs} ms`)), timeoutMs);
    register(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function toEvent(message: SyncMessage, messageId: number, attributes: string[]): SyncEvent | undefined {
  if (message.kind === 'notice') throw new Error(`the server ended the connection: ${message.diagnosticMessage || `result ${message.resultCode}`}`);
  if (message.messageId !== messageId) throw malformed(`a response to message ${message.messageId} during sync search ${messageId}`);
  switch (message.kind) {
    case 'entry': {
      const control = message.controls.find((c) => c.type === SYNC_STATE_OID);
      if (!control?.value) throw malformed(`entry ${message.entry.name} came without a Sync State control`);
      const { state, entryUUID } = decodeSyncStateValue(control.value);
      return { kind: 'entry', state, entryUUID, entry: message.entry.toObject(attributes, []) };
    }
    case 'intermediate':
      // Other intermediate responses are not ours to read (RFC 4511 4.13: a client ignores unknown ones).
      return message.name === SYNC_INFO_OID && message.value ? { kind: 'info', info: decodeSyncInfoValue(message.value) } : undefined;
    case 'done': {
      const control = message.controls.find((c) => c.type === SYNC_DONE_OID);
      return { kind: 'done', resultCode: message.resultCode, diagnosticMessage: message.diagnosticMessage, ...(control && { done: decodeSyncDoneValue(control.value ?? Buffer.alloc(0)) }) };
    }
    case 'reference':
      return undefined;
  }
}

/** Reads a constructed element's header and returns where its content ends. */
function sequence(r: BerReader, tag: number, what: string): number {
  if (r.readSequence(tag) === null) throw malformed(`${what} is cut short`);
  const end = r.offset + r.length;
  if (end > r.buffer.length) throw malformed(`${what} is cut short`);
  return end;
}

function need<T>(value: T | null, what: string): T {
  if (value === null) throw malformed(`${what} is missing or cut short`);
  return value;
}

function malformed(message: string): Error {
  return new Error(`malformed LDAP content sync message: ${message}`);
}
