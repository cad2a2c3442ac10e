import { BerWriter } from 'ldapts';
import { Duplex } from 'node:stream';
import {
  contentSyncSearch,
  decodeMessage,
  decodeSyncDoneValue,
  decodeSyncInfoValue,
  decodeSyncStateValue,
  encodeSyncRequestValue,
  formatUuid,
  LdapMessageFramer,
  SYNC_DONE_OID,
  SYNC_INFO_OID,
  SYNC_STATE_OID,
  SyncRequestControl,
  type SyncEvent,
} from './content-sync';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const UUID_A = 'bcb59104-7b95-1041-9f47-57ae9d2bf13c';
const UUID_B = 'bf7d34e6-7b95-1041-9f4a-57ae9d2bf13c';
const uuidBytes = (uuid: string) => Buffer.from(uuid.replace(/-/g, ''), 'hex');

/** An LDAPMessage: messageID, one protocolOp (tag + content bytes), and controls. */
function message(messageId: number, tag: number, content: Buffer, controls: { type: string; value?: Buffer }[] = []): Buffer {
  const w = new BerWriter();
  w.startSequence();
  w.writeInt(messageId);
  w.writeBuffer(content, tag);
  if (controls.length) {
    w.startSequence(0xa0);
    for (const c of controls) {
      w.startSequence();
      w.writeString(c.type);
      if (c.value) w.writeBuffer(c.value, 0x04);
      w.endSequence();
    }
    w.endSequence();
  }
  w.endSequence();
  return w.buffer;
}

function entryContent(dn: string, attributes: Record<string, string[]>): Buffer {
  const w = new BerWriter();
  w.writeString(dn);
  w.startSequence();
  for (const [type, values] of Object.entries(attributes)) {
    w.startSequence();
    w.writeString(type);
    w.startSequence(0x31);
    for (const v of values) w.writeString(v);
    w.endSequence();
    w.endSequence();
  }
  w.endSequence();
  return w.buffer;
}

function doneContent(resultCode: number, diagnostic = ''): Buffer {
  const w = new BerWriter();
  w.writeEnumeration(resultCode);
  w.writeString('');
  w.writeString(diagnostic);
  return w.buffer;
}

function intermediateContent(name: string, value: Buffer): Buffer {
  const w = new BerWriter();
  w.writeString(name, 0x80);
  w.writeBuffer(value, 0x81);
  return w.buffer;
}

const stateValue = (state: number, uuid: string) => Buffer.concat([hex('3015 0a01'), Buffer.from([state]), hex('0410'), uuidBytes(uuid)]);

describe('RFC 4533 values', () => {
  describe('syncRequestValue', () => {
    it('encodes refreshOnly without a cookie as SEQUENCE { ENUMERATED 1 }', () => {
      expect(encodeSyncRequestValue({ mode: 'refreshOnly' })).toEqual(hex('3003 0a0101'));
    });

    it('encodes the cookie as an OCTET STRING and leaves a FALSE reloadHint out (DER)', () => {
      expect(encodeSyncRequestValue({ mode: 'refreshOnly', cookie: Buffer.from('rid=000'), reloadHint: false })).toEqual(hex('300c 0a0101 0407 7269643d303030'));
    });

    it('encodes refreshAndPersist and a TRUE reloadHint', () => {
      expect(encodeSyncRequestValue({ mode: 'refreshAndPersist', cookie: Buffer.from([0, 255]), reloadHint: true })).toEqual(hex('300a 0a0103 040200ff 0101ff'));
    });

    it('writes a critical Sync Request Control with the value as its OCTET STRING', () => {
      const w = new BerWriter();
      new SyncRequestControl({ mode: 'refreshOnly' }).write(w);
      const oid = Buffer.from('1.3.6.1.4.1.4203.1.9.1.1');
      expect(w.buffer).toEqual(Buffer.concat([hex('3024 0418'), oid, hex('0101ff 0405 3003 0a0101')]));
    });
  });

  describe('syncStateValue', () => {
    it("decodes slapd's add state with the entryUUID as text", () => {
      expect(decodeSyncStateValue(Buffer.from('MBUKAQEEELy1kQR7lRBBn0dXrp0r8Tw=', 'base64'))).toEqual({ state: 'add', entryUUID: UUID_A });
    });

    it('decodes every state and an optional cookie', () => {
      expect([0, 1, 2, 3].map((s) => decodeSyncStateValue(stateValue(s, UUID_B)).state)).toEqual(['present', 'add', 'modify', 'delete']);
      const withCookie = Buffer.concat([hex('301a 0a0102 0410'), uuidBytes(UUID_B), hex('0403 616263')]);
      expect(decodeSyncStateValue(withCookie)).toEqual({ state: 'modify', entryUUID: UUID_B, cookie: Buffer.from('abc') });
    });

    it('refuses an unknown state, a UUID that is not 16 octets and a value cut short', () => {
      expect(() => decodeSyncStateValue(stateValue(7, UUID_A))).toThrow(/state out of range/);
      expect(() => decodeSyncStateValue(hex('3006 0a0101 0401ff'))).toThrow(/16 octets/);
      expect(() => decodeSyncStateValue(hex('3015 0a0101 0410 ffff'))).toThrow(/malformed/);
    });
  });

  describe('syncDoneValue', () => {
    it("decodes slapd's cookie and refreshDeletes TRUE", () => {
      const value = Buffer.from('MDkENHJpZD0wMDAsY3NuPTIwMjYxMTIzMTQyNzIwLjc1NjU4M1ojMDAwMDAwIzAwMCMwMDAwMDABAf8=', 'base64');
      expect(decodeSyncDoneValue(value)).toEqual({ cookie: Buffer.from('rid=000,csn=20261123142720.756583Z#000000#000#000000'), refreshDeletes: true });
    });

    it('keeps an empty cookie apart from none, and defaults refreshDeletes to FALSE', () => {
      expect(decodeSyncDoneValue(hex('3005 0400 0101ff'))).toEqual({ cookie: Buffer.alloc(0), refreshDeletes: true });
      expect(decodeSyncDoneValue(hex('3000'))).toEqual({ refreshDeletes: false });
      expect(decodeSyncDoneValue(Buffer.alloc(0))).toEqual({ refreshDeletes: false });
    });
  });

  describe('syncInfoValue', () => {
    it('decodes newcookie [0]', () => {
      expect(decodeSyncInfoValue(hex('8003 616263'))).toEqual({ kind: 'newCookie', cookie: Buffer.from('abc') });
    });

    it('decodes refreshDelete [1] and refreshPresent [2], refreshDone defaulting to TRUE', () => {
      expect(decodeSyncInfoValue(hex('a100'))).toEqual({ kind: 'refreshDelete', refreshDone: true });
      expect(decodeSyncInfoValue(hex('a208 0403 616263 010100'))).toEqual({ kind: 'refreshPresent', cookie: Buffer.from('abc'), refreshDone: false });
    });

    it('decodes syncIdSet [3] with a cookie, refreshDeletes and the UUIDs', () => {
      const value = Buffer.concat([hex('a32e 0403 616263 0101ff 3124 0410'), uuidBytes(UUID_A), hex('0410'), uuidBytes(UUID_B)]);
      expect(decodeSyncInfoValue(value)).toEqual({ kind: 'syncIdSet', cookie: Buffer.from('abc'), refreshDeletes: true, uuids: [UUID_A, UUID_B] });
      const present = Buffer.concat([hex('a314 3112 0410'), uuidBytes(UUID_B)]);
      expect(decodeSyncInfoValue(present)).toEqual({ kind: 'syncIdSet', refreshDeletes: false, uuids: [UUID_B] });
    });

    it('refuses an unknown choice', () => {
      expect(() => decodeSyncInfoValue(hex('a400'))).toThrow(/unknown choice tag 0xa4/);
    });
  });

  it('formats a syncUUID as entryUUID text', () => {
    expect(formatUuid(uuidBytes(UUID_A))).toBe(UUID_A);
  });
});

describe('LdapMessageFramer', () => {
  it('cuts a stream into whole messages whatever the chunks', () => {
    const a = message(2, 0x65, doneContent(0));
    const long = message(3, 0x64, entryContent('uid=x', { description: ['x'.repeat(300)] }));
    expect(long[1]).toBe(0x82);
    const stream = Buffer.concat([a, long, a]);
    const framer = new LdapMessageFramer();
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 7) out.push(...framer.push(stream.subarray(i, i + 7)));
    expect(out).toEqual([a, long, a]);
    expect(framer.buffered).toBe(0);
  });

  it('refuses what is not an LDAPMessage', () => {
    expect(() => new LdapMessageFramer().push(hex('0401ff'))).toThrow(/starts with 0x30/);
    expect(() => new LdapMessageFramer().push(hex('3080'))).toThrow(/definite length/);
  });
});

describe('decodeMessage', () => {
  it('decodes an entry with its Sync State control', () => {
    const bytes = message(5, 0x64, entryContent('uid=a,dc=x', { cn: ['A'], entryUUID: [UUID_A] }), [{ type: SYNC_STATE_OID, value: stateValue(1, UUID_A) }]);
    const decoded = decodeMessage(bytes);
    expect(decoded).toMatchObject({ kind: 'entry', messageId: 5, controls: [{ type: SYNC_STATE_OID, critical: false, value: stateValue(1, UUID_A) }] });
    expect(decoded.kind === 'entry' && decoded.entry.toObject([], [])).toEqual({ dn: 'uid=a,dc=x', cn: 'A', entryUUID: UUID_A });
  });

  it('decodes an IntermediateResponse (0x79), which ldapts cannot', () => {
    const value = hex('a100');
    expect(decodeMessage(message(5, 0x79, intermediateContent(SYNC_INFO_OID, value)))).toEqual({ kind: 'intermediate', messageId: 5, name: SYNC_INFO_OID, value });
  });

  it('decodes a SearchResultDone with its Sync Done control, and a notice of disconnection', () => {
    const done = message(5, 0x65, doneContent(4096, 'sync cookie is stale'), [{ type: SYNC_DONE_OID, value: hex('3000') }]);
    expect(decodeMessage(done)).toEqual({ kind: 'done', messageId: 5, resultCode: 4096, matchedDN: '', diagnosticMessage: 'sync cookie is stale', controls: [{ type: SYNC_DONE_OID, critical: false, value: hex('3000') }] });
    expect(decodeMessage(message(0, 0x78, doneContent(52, 'shutting down')))).toEqual({ kind: 'notice', messageId: 0, resultCode: 52, diagnosticMessage: 'shutting down' });
  });

  it('refuses a protocolOp a search is not answered with', () => {
    expect(() => decodeMessage(message(5, 0x61, doneContent(0)))).toThrow(/unexpected protocolOp 0x61/);
  });
});

describe('contentSyncSearch', () => {
  /** A socket whose server side is `serve`: what the search writes is kept, what the test pushes is read. */
  function fakeSocket() {
    const written: Buffer[] = [];
    const socket = new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        written.push(chunk);
        callback();
      },
    });
    // What ldapts would have attached: the search must take it off.
    const ldaptsReader = jest.fn();
    socket.on('data', ldaptsReader);
    return { socket, written, ldaptsReader };
  }
  const search = { messageId: 7, base: 'ou=people,dc=x', filter: '(objectClass=inetOrgPerson)', attributes: ['*', 'entryUUID'], timeLimit: 10, idleTimeoutMs: 2_000 };
  const entry = (uuid: string, state = 1) => message(7, 0x64, entryContent(`entryUUID=${uuid},dc=x`, { entryUUID: [uuid] }), [{ type: SYNC_STATE_OID, value: stateValue(state, uuid) }]);
  const done = (code = 0, value = hex('3005 0403 616263')) => message(7, 0x65, doneContent(code), [{ type: SYNC_DONE_OID, value }]);

  async function all(events: AsyncIterable<SyncEvent>): Promise<SyncEvent[]> {
    const out: SyncEvent[] = [];
    for await (const e of events) out.push(e);
    return out;
  }

  it('sends the search with the control and yields entries, infos and the result in order', async () => {
    const { socket, written, ldaptsReader } = fakeSocket();
    const events = all(contentSyncSearch(socket, search));
    const deletes = message(7, 0x79, intermediateContent(SYNC_INFO_OID, Buffer.concat([hex('a317 0101ff 3112 0410'), uuidBytes(UUID_B)]).subarray(0)));
    const stream = Buffer.concat([entry(UUID_A), deletes, done()]);
    socket.push(stream.subarray(0, 10));
    socket.push(stream.subarray(10));
    const out = await events;
    expect(out).toEqual([
      { kind: 'entry', state: 'add', entryUUID: UUID_A, entry: { dn: `entryUUID=${UUID_A},dc=x`, entryUUID: UUID_A, '*': [] } },
      { kind: 'info', info: { kind: 'syncIdSet', refreshDeletes: true, uuids: [UUID_B] } },
      { kind: 'done', resultCode: 0, diagnosticMessage: '', done: { cookie: Buffer.from('abc'), refreshDeletes: false } },
    ]);
    expect(ldaptsReader).not.toHaveBeenCalled();
    const request = Buffer.concat(written);
    expect(request.includes(Buffer.concat([Buffer.from('1.3.6.1.4.1.4203.1.9.1.1'), hex('0101ff 0405 3003 0a0101')]))).toBe(true);
    expect(socket.listenerCount('data')).toBe(0);
  });

  it('passes the cookie and reports a result code in the done event', async () => {
    const { socket, written } = fakeSocket();
    const events = all(contentSyncSearch(socket, { ...search, cookie: Buffer.from('rid=000') }));
    socket.push(message(7, 0x65, doneContent(4096, 'sync cookie is stale')));
    expect(await events).toEqual([{ kind: 'done', resultCode: 4096, diagnosticMessage: 'sync cookie is stale' }]);
    expect(Buffer.concat(written).includes(hex('300c 0a0101 0407 7269643d303030'))).toBe(true);
  });

  it('pauses the socket past highWater until the reader catches up', async () => {
    const { socket } = fakeSocket();
    const iterator = contentSyncSearch(socket, { ...search, highWater: 4 });
    const first = iterator.next();
    socket.push(Buffer.concat(Array.from({ length: 10 }, () => entry(UUID_A))));
    await first;
    expect(socket.isPaused()).toBe(true);
    for (let i = 0; i < 8; i++) await iterator.next();
    expect(socket.isPaused()).toBe(false);
    socket.push(done());
    const rest: SyncEvent[] = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) rest.push(r.value);
    expect(rest.map((e) => e.kind)).toEqual(['entry', 'done']);
  });

  it('fails on a closed connection, a timeout, a notice of disconnection and an entry without Sync State', async () => {
    const closed = fakeSocket();
    const a = all(contentSyncSearch(closed.socket, search));
    closed.socket.push(entry(UUID_A));
    closed.socket.destroy();
    await expect(a).rejects.toThrow(/connection closed before the sync search finished/);

    await expect(all(contentSyncSearch(fakeSocket().socket, { ...search, idleTimeoutMs: 50 }))).rejects.toThrow(/timed out/);

    const notice = fakeSocket();
    const b = all(contentSyncSearch(notice.socket, search));
    notice.socket.push(message(0, 0x78, doneContent(52, 'shutting down')));
    await expect(b).rejects.toThrow(/ended the connection: shutting down/);

    const bare = fakeSocket();
    const c = all(contentSyncSearch(bare.socket, search));
    bare.socket.push(message(7, 0x64, entryContent('uid=a', {})));
    await expect(c).rejects.toThrow(/without a Sync State control/);
  });
});
