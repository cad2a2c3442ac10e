import type { ChangePage, ConnectorObject, ConnectorOperation, ReadOptions } from '@idsync/connector-core';
import { freePort, searchAll, startSlapd, type SlapdHandle } from '@idsync/testing';
import { Client } from 'ldapts';
import { childDn, escapeFilterValue } from './ldap-escape';
import { LdapConnector, type LdapConnectorOptions } from './ldap.connector';

const HOSTILE = ["O'Brien, Jr. (Admin)*", '#hash first', ' leading and trailing ', 'a+b', 'say "hi"', 'back\\slash', '<angle>', 'semi;colon', 'x=y', 'Zoë Ångström'];

describe('LdapConnector against slapd', () => {
  let slapd: SlapdHandle;
  beforeAll(async () => (slapd = await startSlapd()));
  afterAll(() => slapd?.stop());

  const connector = (extra: Partial<LdapConnectorOptions> = {}) => new LdapConnector({ url: slapd.url, bindDn: slapd.bindDn, password: slapd.password, baseDn: slapd.baseDn, ...extra });

  /** A fresh organizational unit per test, so tests share one server without seeing each other's entries. */
  async function freshOu(name: string): Promise<string> {
    const dn = `ou=${name},${slapd.baseDn}`;
    const c = new Client({ url: slapd.url });
    await c.bind(slapd.bindDn, slapd.password);
    await c.add(dn, { objectClass: ['organizationalUnit'], ou: [name] });
    await c.unbind();
    return dn;
  }

  async function read(c: LdapConnector, options: Partial<ReadOptions> = {}): Promise<ConnectorObject[][]> {
    const pages: ConnectorObject[][] = [];
    for await (const p of c.readSnapshot({ objectType: 'user', ...options })) pages.push(p);
    return pages;
  }

  const person = (dn: string, cn: string, extra: Record<string, string[]> = {}): ConnectorOperation => ({
    kind: 'create',
    dn,
    objectClasses: ['inetOrgPerson'],
    changes: [{ attribute: 'cn', values: [cn] }, { attribute: 'sn', values: [cn] }, ...Object.entries(extra).map(([attribute, values]) => ({ attribute, values }))],
  });

  it('binds, and reads an empty directory as no objects', async () => {
    const ldap = connector();
    await expect(ldap.testConnection()).resolves.toBeUndefined();
    expect(await read(ldap)).toEqual([]);
  });

  it('reads entries keyed by DN with entryUUID as anchor and text attributes as arrays', async () => {
    const ou = await freshOu('read');
    const ldap = connector({ searchBase: ou });
    const dn = `uid=ada,${ou}`;
    expect(await ldap.apply([person(dn, 'Ada Lovelace', { uid: ['ada'], mail: ['ada@example.org', 'ada@math.org'], userPassword: ['secret'] })])).toEqual([{ status: 'succeeded' }]);
    const [[ada]] = await read(ldap);
    const [entry] = await searchAll(slapd, ou, '(uid=ada)');
    expect(ada).toEqual({
      key: dn,
      anchor: entry.entryUUID,
      attributes: { objectClass: ['inetOrgPerson'], cn: ['Ada Lovelace'], sn: ['Ada Lovelace'], uid: ['ada'], mail: ['ada@example.org', 'ada@math.org'] },
    });
    expect(ada.anchor).toMatch(/^[0-9a-f-]{36}$/);
    const [[narrow]] = await read(ldap, { attributes: ['MAIL'] });
    expect(narrow.attributes).toEqual({ MAIL: ['ada@example.org', 'ada@math.org'] });
    expect(narrow.anchor).toBe(ada.anchor);
  });

  it('streams a large directory in pages of pageSize', async () => {
    const ou = await freshOu('many');
    const ldap = connector({ searchBase: ou, pageSize: 100 });
    const creates = Array.from({ length: 1200 }, (_, i) => person(`uid=u${i},${ou}`, `User ${i}`, { uid: [`u${i}`] }));
    const outcomes = await ldap.apply(creates);
    expect(outcomes.filter((o) => o.status === 'succeeded')).toHaveLength(1200);
    const pages = await read(ldap);
    expect(pages.map((p) => p.length)).toEqual(Array(12).fill(100));
    const keys = new Set(pages.flat().map((o) => o.key));
    expect(keys.size).toBe(1200);
    expect(keys.has(`uid=u1199,${ou}`)).toBe(true);
    expect((await read(ldap, { pageSize: 500 })).map((p) => p.length)).toEqual([500, 500, 200]);
  });

  it('applies create, update, disable and delete idempotently', async () => {
    const ou = await freshOu('idempotent');
    const ldap = connector({ searchBase: ou });
    const dn = `uid=grace,${ou}`;
    const create = person(dn, 'Grace Hopper', { uid: ['grace'], title: ['Rear Admiral'] });
    expect(await ldap.apply([create])).toEqual([{ status: 'succeeded' }]);
    expect(await ldap.apply([create])).toEqual([{ status: 'succeeded', message: 'already exists' }]);

    const update: ConnectorOperation = { kind: 'update', dn, changes: [{ attribute: 'mail', values: ['grace@navy.mil', 'g@navy.mil'] }, { attribute: 'title', values: [] }, { attribute: 'description', values: [] }] };
    expect(await ldap.apply([update])).toEqual([{ status: 'succeeded' }]);
    expect(await ldap.apply([update])).toEqual([{ status: 'succeeded' }]);
    const disable: ConnectorOperation = { kind: 'disable', dn, changes: [{ attribute: 'employeeType', values: ['disabled'] }] };
    expect(await ldap.apply([disable, disable])).toEqual([{ status: 'succeeded' }, { status: 'succeeded' }]);
    const [entry] = await searchAll(slapd, ou, '(uid=grace)');
    expect(entry.mail).toEqual(['grace@navy.mil', 'g@navy.mil']);
    expect(entry.employeeType).toBe('disabled');
    expect(entry.title).toBeUndefined();

    const del: ConnectorOperation = { kind: 'delete', dn, changes: [] };
    expect(await ldap.apply([del])).toEqual([{ status: 'succeeded' }]);
    expect(await ldap.apply([del])).toEqual([{ status: 'succeeded', message: 'no such object' }]);
    expect(await searchAll(slapd, ou, '(uid=grace)')).toEqual([]);
  });

  it("reports the server's refusal as failed, per operation, and skips later operations on that DN", async () => {
    const ou = await freshOu('failures');
    const ldap = connector({ searchBase: ou, concurrency: 2 });
    const noSn: ConnectorOperation = { kind: 'create', dn: `uid=nosn,${ou}`, objectClasses: ['inetOrgPerson'], changes: [{ attribute: 'cn', values: ['No Surname'] }] };
    const thenUpdate: ConnectorOperation = { kind: 'update', dn: `uid=nosn,${ou}`, changes: [{ attribute: 'mail', values: ['x@y.org'] }] };
    const missing: ConnectorOperation = { kind: 'update', dn: `uid=ghost,${ou}`, changes: [{ attribute: 'mail', values: ['x@y.org'] }] };
    const badAttr: ConnectorOperation = { kind: 'update', dn: `uid=ok,${ou}`, changes: [{ attribute: 'noSuchAttributeType', values: ['v'] }] };
    const outcomes = await ldap.apply([noSn, person(`uid=ok,${ou}`, 'Okay'), thenUpdate, missing, badAttr]);
    expect(outcomes).toEqual([
      { status: 'failed', message: expect.stringMatching(/ObjectClassViolationError \(65\).*sn/) },
      { status: 'succeeded' },
      { status: 'failed', message: expect.stringContaining('not tried') },
      { status: 'failed', message: `no such object: uid=ghost,${ou}` },
      { status: 'failed', message: expect.stringContaining('UndefinedTypeError (17)') },
    ]);
  });

  it('round-trips hostile values through DNs and filters', async () => {
    const ou = await freshOu('hostile');
    const ldap = connector({ searchBase: ou });
    const dns = HOSTILE.map((v) => childDn('cn', v, ou));
    expect(await ldap.apply(HOSTILE.map((v, i) => person(dns[i], v, { description: [v] })))).toEqual(HOSTILE.map(() => ({ status: 'succeeded' })));

    const objects = (await read(ldap)).flat();
    expect(objects.map((o) => o.key).sort()).toEqual([...dns].sort());
    for (const [i, v] of HOSTILE.entries()) {
      expect(objects.find((o) => o.key === dns[i])?.attributes.description).toEqual([v]);
      const found = await searchAll(slapd, ou, `(description=${escapeFilterValue(v)})`);
      expect(found.map((e) => e.description)).toEqual([v]);
    }
    // A wildcard in the data must not act as one: the escaped filter matches only the literal value.
    expect(await searchAll(slapd, ou, `(cn=${escapeFilterValue('*')})`)).toEqual([]);

    // The keys read back are the DNs we built, so they address the same entries.
    const updates = objects.map((o): ConnectorOperation => ({ kind: 'update', dn: o.key, changes: [{ attribute: 'mail', values: ['same@example.org'] }] }));
    expect((await ldap.apply(updates)).every((o) => o.status === 'succeeded')).toBe(true);
    expect(await searchAll(slapd, ou, '(mail=same@example.org)')).toHaveLength(HOSTILE.length);
    expect(await ldap.apply(dns.map((dn) => ({ kind: 'delete', dn, changes: [] })))).toEqual(HOSTILE.map(() => ({ status: 'succeeded' })));
    expect(await searchAll(slapd, ou, '(objectClass=inetOrgPerson)')).toEqual([]);
  });

  it('rejects a wrong password as CONNECTOR.AUTH_FAILED on every entry point', async () => {
    const ldap = connector({ password: 'wrong' });
    const auth = { code: 'CONNECTOR.AUTH_FAILED', retryable: false };
    await expect(ldap.testConnection()).rejects.toMatchObject(auth);
    await expect(read(ldap)).rejects.toMatchObject(auth);
    await expect(ldap.apply([{ kind: 'delete', dn: `uid=x,${slapd.baseDn}`, changes: [] }])).rejects.toMatchObject(auth);
  });

  it('names a missing search base and an unknown object type', async () => {
    await expect(connector({ searchBase: `ou=nowhere,${slapd.baseDn}` }).testConnection()).rejects.toMatchObject({ code: 'LDAP.NO_SUCH_BASE' });
    await expect(read(connector({ searchBase: `ou=nowhere,${slapd.baseDn}` }))).rejects.toMatchObject({ code: 'LDAP.NO_SUCH_BASE' });
    await expect(read(connector(), { objectType: 'printer' })).rejects.toMatchObject({ code: 'CONNECTOR.CONFIG' });
  });

  it('reads changes by modifyTimestamp, second by second, when the server keeps no contextCSN', async () => {
    const ou = await freshOu('changes-by-time');
    const ldap = connector({ searchBase: ou });
    await ldap.apply([person(`uid=old,${ou}`, 'old')]);
    const changes = async (since: string | undefined) => {
      const pages: ChangePage[] = [];
      for await (const p of ldap.readChanges(since, { objectType: 'user' })) pages.push(p);
      expect(pages.every((p) => p.deleted.length === 0)).toBe(true);
      return { keys: pages.flatMap((p) => p.objects.map((o) => o.key)).sort(), watermark: pages[pages.length - 1].watermark };
    };
    const first = await changes(undefined);
    expect(first.watermark).toMatch(/^\d{14}Z$/);
    expect(first.keys).toEqual([`uid=old,${ou}`]);
    // modifyTimestamp has whole seconds: wait for the next one so that the old entry falls before the watermark.
    await new Promise((r) => setTimeout(r, 1100));
    await ldap.apply([person(`uid=new,${ou}`, 'new')]);
    const second = await changes(first.watermark);
    expect(second.watermark > first.watermark).toBe(true);
    // >= the watermark: entries of the watermark's own second come again (old), never fewer.
    expect(second.keys).toEqual([`uid=new,${ou}`, `uid=old,${ou}`]);
    expect((await changes(second.watermark)).keys).toEqual([`uid=new,${ou}`]);
  });

  it('works again after the server restarts', async () => {
    const ou = await freshOu('restart');
    const ldap = connector({ searchBase: ou });
    expect(await ldap.apply([person(`uid=before,${ou}`, 'Before')])).toEqual([{ status: 'succeeded' }]);
    await slapd.restart();
    expect(await ldap.apply([person(`uid=after,${ou}`, 'After')])).toEqual([{ status: 'succeeded' }]);
    expect((await read(ldap)).flat().map((o) => o.key).sort()).toEqual([`uid=after,${ou}`, `uid=before,${ou}`]);
  });
});

describe('LdapConnector without a server', () => {
  const unreachable = { code: 'CONNECTOR.UNREACHABLE', retryable: true };
  const connector = (url: string) => new LdapConnector({ url, bindDn: 'cn=admin,dc=example,dc=org', password: 'x', baseDn: 'dc=example,dc=org', timeoutMs: 5_000 });

  it('throws CONNECTOR.UNREACHABLE for a stopped slapd', async () => {
    const slapd = await startSlapd();
    await slapd.stop();
    const ldap = connector(slapd.url);
    await expect(ldap.testConnection()).rejects.toMatchObject(unreachable);
    await expect(ldap.apply([{ kind: 'delete', dn: 'uid=x,dc=example,dc=org', changes: [] }])).rejects.toMatchObject(unreachable);
  });

  it('throws CONNECTOR.UNREACHABLE for a closed port, from a read too', async () => {
    const ldap = connector(`ldap://127.0.0.1:${await freePort()}`);
    await expect(ldap.testConnection()).rejects.toMatchObject(unreachable);
    await expect((async () => {
      for await (const _ of ldap.readSnapshot({ objectType: 'user' })) throw new Error('no page expected');
    })()).rejects.toMatchObject(unreachable);
    expect(await ldap.apply([])).toEqual([]);
  });
});
