import type { ChangePage, ConnectorObject, ConnectorOperation, ReadOptions } from '@idsync/connector-core';
import { searchAll, startSlapd, type SlapdHandle } from '@idsync/testing';
import { Client } from 'ldapts';
import { readFile } from 'node:fs/promises';
import { LdapConnector } from './ldap.connector';

const person = (dn: string, cn: string): ConnectorOperation => ({ kind: 'create', dn, objectClasses: ['inetOrgPerson'], changes: [{ attribute: 'cn', values: [cn] }, { attribute: 'sn', values: [cn] }] });
const sync = (cookie: string) => `sync:${Buffer.from(cookie).toString('base64')}`;

async function readChanges(ldap: LdapConnector, since: string | undefined, options: Partial<ReadOptions> = {}): Promise<{ pages: ChangePage[]; objects: ConnectorObject[]; deleted: string[]; watermark: string }> {
  const pages: ChangePage[] = [];
  for await (const page of ldap.readChanges(since, { objectType: 'user', ...options })) pages.push(page);
  return { pages, objects: pages.flatMap((p) => p.objects), deleted: pages.flatMap((p) => p.deleted), watermark: pages[pages.length - 1].watermark };
}

const keys = (objects: ConnectorObject[]) => objects.map((o) => o.key).sort();

async function freshOu(slapd: SlapdHandle, name: string): Promise<string> {
  const dn = `ou=${name},${slapd.baseDn}`;
  const c = new Client({ url: slapd.url });
  await c.bind(slapd.bindDn, slapd.password);
  await c.add(dn, { objectClass: ['organizationalUnit'], ou: [name] });
  await c.unbind();
  return dn;
}

async function anchors(slapd: SlapdHandle, base: string): Promise<Record<string, string>> {
  return Object.fromEntries((await searchAll(slapd, base, '(objectClass=inetOrgPerson)')).map((e) => [e.dn, String(e.entryUUID)]));
}

describe('LdapConnector: content sync (RFC 4533) against slapd with syncprov and a session log', () => {
  let slapd: SlapdHandle;
  beforeAll(async () => {
    // Without a session log slapd cannot name deletions; without the reload hint it never answers
    // e-syncRefreshRequired.
    slapd = await startSlapd({ syncprov: { sessionlog: 10000, reloadHint: true } });
  });
  afterAll(() => slapd?.stop());

  const connector = (searchBase: string) => new LdapConnector({ url: slapd.url, bindDn: slapd.bindDn, password: slapd.password, baseDn: slapd.baseDn, searchBase });

  async function contextCsn(): Promise<string> {
    const c = new Client({ url: slapd.url });
    await c.bind(slapd.bindDn, slapd.password);
    const { searchEntries } = await c.search(slapd.baseDn, { scope: 'base', attributes: ['contextCSN'] });
    await c.unbind();
    return String(searchEntries[0].contextCSN);
  }

  it('reads everything first, then exactly what was added, modified, renamed and deleted, then nothing', async () => {
    const ou = await freshOu(slapd, 'sync');
    const ldap = connector(ou);
    await ldap.apply(['a', 'b', 'c', 'd'].map((u) => person(`uid=${u},${ou}`, u)));
    const before = await anchors(slapd, ou);

    const first = await readChanges(ldap, undefined);
    expect(first.watermark).toMatch(/^sync:[A-Za-z0-9+/]+=*$/);
    expect(keys(first.objects)).toEqual(['a', 'b', 'c', 'd'].map((u) => `uid=${u},${ou}`));
    expect(first.objects.every((o) => o.anchor === before[o.key])).toBe(true);
    expect(first.deleted).toEqual([]);

    await ldap.apply([{ kind: 'update', dn: `uid=b,${ou}`, changes: [{ attribute: 'mail', values: ['b@example.org'] }] }, person(`uid=e,${ou}`, 'e'), { kind: 'delete', dn: `uid=c,${ou}`, changes: [] }]);
    expect(await ldap.rename(`uid=d,${ou}`, `uid=d2,${ou}`)).toEqual({ status: 'succeeded' });

    const second = await readChanges(ldap, first.watermark, { attributes: ['mail'] });
    expect(second.watermark).toMatch(/^sync:/);
    expect(second.watermark).not.toBe(first.watermark);
    expect(second.objects.map((o) => [o.key, o.attributes.mail]).sort()).toEqual([
      [`uid=b,${ou}`, ['b@example.org']],
      [`uid=d2,${ou}`, undefined],
      [`uid=e,${ou}`, undefined],
    ]);
    // A rename keeps the entryUUID: the renamed entry comes with its old anchor, under its new key.
    expect(second.objects.find((o) => o.key === `uid=d2,${ou}`)?.anchor).toBe(before[`uid=d,${ou}`]);
    expect(second.deleted).toEqual([before[`uid=c,${ou}`]]);

    const quiet = await readChanges(ldap, second.watermark);
    expect(quiet.pages).toEqual([{ objects: [], deleted: [], watermark: second.watermark }]);
  });

  it('streams pages of pageSize; every page but the last carries the watermark given', async () => {
    const ou = await freshOu(slapd, 'sync-pages');
    const ldap = connector(ou);
    await ldap.apply(Array.from({ length: 25 }, (_, i) => person(`uid=u${i},${ou}`, `u${i}`)));
    const first = await readChanges(ldap, undefined, { pageSize: 10 });
    expect(first.pages.map((p) => p.objects.length)).toEqual([10, 10, 5]);
    expect(first.pages.map((p) => p.watermark.startsWith('sync:'))).toEqual([false, false, true]);
    expect(first.pages.slice(0, 2).map((p) => p.watermark)).toEqual(['', '']);

    const uuids = await anchors(slapd, ou);
    const gone = Array.from({ length: 12 }, (_, i) => `uid=u${i},${ou}`);
    await ldap.apply(gone.map((dn) => ({ kind: 'delete', dn, changes: [] })));
    await ldap.apply([20, 21, 22].map((i) => ({ kind: 'update', dn: `uid=u${i},${ou}`, changes: [{ attribute: 'mail', values: [`u${i}@example.org`] }] })));
    const second = await readChanges(ldap, first.watermark, { pageSize: 5 });
    expect(second.pages.every((p) => p.objects.length <= 5 && p.deleted.length <= 5)).toBe(true);
    expect(second.pages.slice(0, -1).every((p) => p.watermark === first.watermark)).toBe(true);
    expect(second.pages.length).toBeGreaterThanOrEqual(3);
    expect(keys(second.objects)).toEqual([20, 21, 22].map((i) => `uid=u${i},${ou}`));
    expect([...second.deleted].sort()).toEqual(gone.map((dn) => uuids[dn]).sort());
  });

  it('lets a reader stop after any page, and releases the connection', async () => {
    const ou = await freshOu(slapd, 'sync-stop');
    const ldap = connector(ou);
    await ldap.apply(Array.from({ length: 30 }, (_, i) => person(`uid=s${i},${ou}`, `s${i}`)));
    for await (const page of ldap.readChanges(undefined, { objectType: 'user', pageSize: 5 })) {
      expect(page.objects).toHaveLength(5);
      break;
    }
    expect((await readChanges(ldap, undefined)).objects).toHaveLength(30);
    await ldap.close();
  });

  it('takes the watermarks of the earlier schemes: an entryCSN, a modifyTimestamp', async () => {
    const ou = await freshOu(slapd, 'sync-legacy');
    const ldap = connector(ou);
    await ldap.apply([person(`uid=old,${ou}`, 'old'), person(`uid=gone,${ou}`, 'gone')]);
    const uuids = await anchors(slapd, ou);
    const csn = await contextCsn();
    await ldap.apply([person(`uid=new,${ou}`, 'new'), { kind: 'delete', dn: `uid=gone,${ou}`, changes: [] }]);

    const byCsn = await readChanges(ldap, csn);
    expect(keys(byCsn.objects)).toEqual([`uid=new,${ou}`]);
    expect(byCsn.deleted).toEqual([uuids[`uid=gone,${ou}`]]);
    expect(byCsn.watermark).toMatch(/^sync:/);
    expect((await readChanges(ldap, byCsn.watermark)).objects).toEqual([]);

    // A timestamp watermark is read by modifyTimestamp (>=, so everything of this second comes) and gives a cookie.
    const byTime = await readChanges(ldap, '20000101000000Z');
    expect(keys(byTime.objects)).toEqual([`uid=new,${ou}`, `uid=old,${ou}`]);
    expect(byTime.deleted).toEqual([]);
    expect(byTime.watermark).toMatch(/^sync:/);
    expect((await readChanges(ldap, byTime.watermark)).objects).toEqual([]);
  });

  it('restarts a cookie the server cannot refresh from (e-syncRefreshRequired) as a full refresh', async () => {
    const ou = await freshOu(slapd, 'sync-stale');
    const ldap = connector(ou);
    await ldap.apply(['x', 'y'].map((u) => person(`uid=${u},${ou}`, u)));
    const stale = await readChanges(ldap, sync('rid=000,csn=19700101000000.000000Z#000000#000#000000'));
    expect(keys(stale.objects)).toEqual([`uid=x,${ou}`, `uid=y,${ou}`]);
    expect(stale.deleted).toEqual([]);
    expect(stale.watermark).toMatch(/^sync:/);
    expect((await readChanges(ldap, stale.watermark)).objects).toEqual([]);
  });

  it('reads everything for a cookie slapd cannot parse, refuses a future one, and refuses what is no watermark', async () => {
    const ou = await freshOu(slapd, 'sync-garbage');
    const ldap = connector(ou);
    await ldap.apply([person(`uid=z,${ou}`, 'z')]);
    const garbage = await readChanges(ldap, sync('garbage'));
    expect(keys(garbage.objects)).toEqual([`uid=z,${ou}`]);
    expect(garbage.watermark).toMatch(/^sync:/);
    expect(garbage.watermark).not.toBe(sync(''));
    expect((await readChanges(ldap, garbage.watermark)).objects).toEqual([]);

    // The directory's state is older than the cookie's: restored from a backup, say.
    await expect(readChanges(ldap, sync('rid=000,csn=20991231235959.000000Z#000000#000#000000'))).rejects.toMatchObject({ code: 'LDAP.WATERMARK_REFUSED', message: expect.stringMatching(/newer than provider.*without a watermark/) });
    for (const bad of ['(objectClass=*)', 'sync:', 'sync:not base64!']) await expect(readChanges(ldap, bad)).rejects.toMatchObject({ code: 'CONNECTOR.CONFIG' });
  });

  it('declares incremental reads, and maps a missing search base as readSnapshot does', async () => {
    expect(connector(slapd.baseDn).capabilities.incremental).toBe(true);
    await expect(readChanges(connector(`ou=nowhere,${slapd.baseDn}`), undefined)).rejects.toMatchObject({ code: 'LDAP.NO_SUCH_BASE' });
  });
});

describe('LdapConnector: incremental reads against slapd without syncprov', () => {
  let slapd: SlapdHandle;
  beforeAll(async () => (slapd = await startSlapd()));
  afterAll(() => slapd?.stop());

  it('reads by modifyTimestamp and reports no deletions', async () => {
    const ou = await freshOu(slapd, 'plain');
    const ldap = new LdapConnector({ url: slapd.url, bindDn: slapd.bindDn, password: slapd.password, baseDn: slapd.baseDn, searchBase: ou });
    await ldap.apply([person(`uid=a,${ou}`, 'a'), person(`uid=b,${ou}`, 'b')]);
    const first = await readChanges(ldap, undefined);
    expect(first.watermark).toMatch(/^\d{14}Z$/);
    expect(keys(first.objects)).toEqual([`uid=a,${ou}`, `uid=b,${ou}`]);
    await ldap.apply([{ kind: 'delete', dn: `uid=b,${ou}`, changes: [] }]);
    const second = await readChanges(ldap, first.watermark);
    expect(second.deleted).toEqual([]);
    expect(second.pages).toHaveLength(1);

    // A cookie from a server that offered content sync is read by the CSN in it; one without a CSN cannot be.
    const fromSyncprov = await readChanges(ldap, sync(`rid=000,csn=${first.watermark.slice(0, 14)}.000000Z#000000#000#000000`));
    expect(keys(fromSyncprov.objects)).toEqual([`uid=a,${ou}`]);
    expect(fromSyncprov.watermark).toMatch(/^\d{14}Z$/);
    await expect(readChanges(ldap, sync('opaque'))).rejects.toMatchObject({ code: 'CONNECTOR.CONFIG', message: expect.stringMatching(/no longer offers content sync/) });
  });
});

describe('LdapConnector: content sync over TLS', () => {
  let slapd: SlapdHandle;
  beforeAll(async () => (slapd = await startSlapd({ tls: true, syncprov: true })));
  afterAll(() => slapd?.stop());

  // The sync search reads the socket itself: under TLS that must be the TLS socket, not the TCP one below it.
  it.each([
    ['ldaps://', () => ({ url: slapd.ldapsUrl! })],
    ['StartTLS', () => ({ url: slapd.url, startTls: true })],
  ])('reads changes over %s', async (name, transport) => {
    const ca = await readFile(slapd.caFile!, 'utf8');
    const ou = await freshOu(slapd, `sync-${name.replace(/\W/g, '')}`);
    const ldap = new LdapConnector({ bindDn: slapd.bindDn, password: slapd.password, baseDn: slapd.baseDn, searchBase: ou, tls: { ca: [ca] }, ...transport() });
    await ldap.apply([person(`uid=t,${ou}`, 't')]);
    const first = await readChanges(ldap, undefined);
    expect(keys(first.objects)).toEqual([`uid=t,${ou}`]);
    expect(first.watermark).toMatch(/^sync:/);
    await ldap.apply([person(`uid=u,${ou}`, 'u')]);
    expect(keys((await readChanges(ldap, first.watermark)).objects)).toEqual([`uid=u,${ou}`]);
    await ldap.close();
  });
});
