import type { ChangePage, ConnectorObject, ConnectorOperation, ReadOptions } from '@idsync/connector-core';
import { searchAll, startSlapd, type SlapdHandle } from '@idsync/testing';
import { Client } from 'ldapts';
import { childDn } from './ldap-escape';
import { LdapConnector } from './ldap.connector';

const HOSTILE = ["O'Brien, Jr. (Admin)*", '#hash first', ' leading and trailing ', 'a+b', 'say "hi"', 'back\\slash', '<angle>', 'semi;colon', 'x=y', 'Zoë Ångström'];

describe('LdapConnector: incremental reads, groups and renames against slapd', () => {
  let slapd: SlapdHandle;
  beforeAll(async () => (slapd = await startSlapd({ syncprov: true })));
  afterAll(() => slapd?.stop());

  const connector = (searchBase: string) => new LdapConnector({ url: slapd.url, bindDn: slapd.bindDn, password: slapd.password, baseDn: slapd.baseDn, searchBase });

  async function freshOu(name: string, parent = slapd.baseDn): Promise<string> {
    const dn = `ou=${name},${parent}`;
    const c = new Client({ url: slapd.url });
    await c.bind(slapd.bindDn, slapd.password);
    await c.add(dn, { objectClass: ['organizationalUnit'], ou: [name] });
    await c.unbind();
    return dn;
  }

  async function collect(pages: AsyncIterable<ConnectorObject[]>): Promise<ConnectorObject[]> {
    const all: ConnectorObject[] = [];
    for await (const page of pages) all.push(...page);
    return all;
  }

  /** Every page of one readChanges, and the watermark to keep (the last page's). */
  async function readChanges(ldap: LdapConnector, since: string | undefined, options: Partial<ReadOptions> = {}): Promise<{ objects: ConnectorObject[]; deleted: string[]; watermark: string }> {
    const pages: ChangePage[] = [];
    for await (const page of ldap.readChanges(since, { objectType: 'user', ...options })) pages.push(page);
    return { objects: pages.flatMap((p) => p.objects), deleted: pages.flatMap((p) => p.deleted), watermark: pages[pages.length - 1].watermark };
  }

  const person = (dn: string, cn: string): ConnectorOperation => ({ kind: 'create', dn, objectClasses: ['inetOrgPerson'], changes: [{ attribute: 'cn', values: [cn] }, { attribute: 'sn', values: [cn] }] });

  describe('readChanges', () => {
    it('declares incremental reads', () => {
      expect(connector(slapd.baseDn).capabilities.incremental).toBe(true);
      expect(slapd.ldapsUrl).toBeUndefined();
    });

    it('returns the entries changed after a watermark and nothing else', async () => {
      const ou = await freshOu('changes');
      const ldap = connector(ou);
      await ldap.apply(['a', 'b', 'c'].map((u) => person(`uid=${u},${ou}`, u)));

      // syncprov offers content sync (RFC 4533): the watermark is its cookie.
      const first = await readChanges(ldap, undefined);
      expect(first.watermark).toMatch(/^sync:[A-Za-z0-9+/]+=*$/);
      expect(first.objects.map((o) => o.key).sort()).toEqual([`uid=a,${ou}`, `uid=b,${ou}`, `uid=c,${ou}`]);

      const quiet = await readChanges(ldap, first.watermark);
      expect(quiet).toEqual({ objects: [], deleted: [], watermark: first.watermark });

      await ldap.apply([{ kind: 'update', dn: `uid=b,${ou}`, changes: [{ attribute: 'mail', values: ['b@example.org'] }] }, person(`uid=d,${ou}`, 'd'), { kind: 'delete', dn: `uid=c,${ou}`, changes: [] }]);
      const second = await readChanges(ldap, first.watermark, { attributes: ['mail'] });
      expect(second.watermark).not.toBe(first.watermark);
      // Without a session log syncprov answers with a present phase: the deletion of c is not reported, only a full snapshot shows it.
      expect(second.deleted).toEqual([]);
      expect(second.objects.map((o) => [o.key, o.attributes.mail]).sort()).toEqual([
        [`uid=b,${ou}`, ['b@example.org']],
        [`uid=d,${ou}`, undefined],
      ]);
      expect((await readChanges(ldap, second.watermark)).objects).toEqual([]);
    });

    it('refuses a watermark it did not make, and an unknown object type', async () => {
      const ldap = connector(slapd.baseDn);
      await expect(readChanges(ldap, '(objectClass=*)')).rejects.toMatchObject({ code: 'CONNECTOR.CONFIG' });
      await expect(readChanges(ldap, undefined, { objectType: 'printer' })).rejects.toMatchObject({ code: 'CONNECTOR.CONFIG' });
    });
  });

  describe('groups', () => {
    it('reads groupOfNames and groupOfUniqueNames, with member DNs spelled as keys', async () => {
      const ou = await freshOu('groups-read');
      const ldap = connector(ou);
      const members = HOSTILE.map((v) => childDn('cn', v, ou));
      expect(await ldap.apply(HOSTILE.map((v, i) => person(members[i], v)))).toEqual(HOSTILE.map(() => ({ status: 'succeeded' })));
      const names = childDn('cn', 'Admins, (all)', ou);
      const unique = childDn('cn', 'Unique #1', ou);
      expect(
        await ldap.apply([
          { kind: 'create', dn: names, objectClasses: ['groupOfNames'], changes: [{ attribute: 'cn', values: ['Admins, (all)'] }, { attribute: 'member', values: members }] },
          { kind: 'create', dn: unique, objectClasses: ['groupOfUniqueNames'], changes: [{ attribute: 'cn', values: ['Unique #1'] }, { attribute: 'uniqueMember', values: members.slice(0, 3) }] },
        ]),
      ).toEqual([{ status: 'succeeded' }, { status: 'succeeded' }]);
      const groups = await collect(ldap.readSnapshot({ objectType: 'group' }));
      expect(groups.map((g) => g.key).sort()).toEqual([names, unique].sort());
      const userKeys = (await collect(ldap.readSnapshot({ objectType: 'user' }))).map((u) => u.key);
      expect(groups.find((g) => g.key === names)?.attributes.member?.sort()).toEqual([...userKeys].sort());
      expect(groups.find((g) => g.key === unique)?.attributes.uniqueMember?.sort()).toEqual(members.slice(0, 3).sort());
    });

    it.each([
      ['groupOfNames', 'member'],
      ['groupOfUniqueNames', 'uniqueMember'],
    ])('adds and removes %s members idempotently, keeping the others', async (objectClass, attribute) => {
      const ou = await freshOu(`members-${objectClass}`);
      const ldap = connector(ou);
      const [a, b, c, d] = HOSTILE.slice(0, 4).map((v) => childDn('cn', v, ou));
      const group = childDn('cn', `team (${objectClass})`, ou);
      await ldap.apply([{ kind: 'create', dn: group, objectClasses: [objectClass], changes: [{ attribute: 'cn', values: [`team (${objectClass})`] }, { attribute, values: [a] }] }]);
      const members = async () => ((await searchAll(slapd, group, '(objectClass=*)'))[0][attribute] as string[] | string | undefined) ?? [];
      const count = async () => [await members()].flat().length;

      expect(await ldap.addMembers(group, [b, c])).toEqual({ status: 'succeeded' });
      expect(await count()).toBe(3);
      expect(await ldap.addMembers(group, [a, d])).toEqual({ status: 'succeeded', message: '1 of 2 already members' });
      expect(await count()).toBe(4);
      expect(await ldap.addMembers(group, [a, b])).toEqual({ status: 'succeeded', message: '2 of 2 already members' });

      expect(await ldap.removeMembers(group, [b, d])).toEqual({ status: 'succeeded' });
      expect(await ldap.removeMembers(group, [b, c])).toEqual({ status: 'succeeded', message: '1 of 2 not members' });
      expect(await count()).toBe(1);
      const [left] = await collect(ldap.readSnapshot({ objectType: 'group' }));
      expect(left.attributes[attribute]).toEqual([a]);

      // A full list through apply() replaces the members.
      expect(await ldap.apply([{ kind: 'update', dn: group, changes: [{ attribute, values: [c, d] }] }])).toEqual([{ status: 'succeeded' }]);
      expect(await count()).toBe(2);
    });

    it.each([
      ['groupOfNames', 'member'],
      ['groupOfUniqueNames', 'uniqueMember'],
    ])('changes %s members through apply with add and remove, idempotently and in order', async (objectClass, attribute) => {
      const ou = await freshOu(`modes-${objectClass}`);
      const ldap = connector(ou);
      const [a, b, c, d] = HOSTILE.slice(4, 8).map((v) => childDn('cn', v, ou));
      await ldap.apply([a, b, c, d].map((dn, i) => person(dn, HOSTILE[4 + i])));
      const group = childDn('cn', `modes (${objectClass})`, ou);
      const update = (...changes: ConnectorOperation['changes']): ConnectorOperation => ({ kind: 'update', dn: group, changes });
      const members = async () => {
        const groups = await collect(ldap.readSnapshot({ objectType: 'group' }));
        return [...(groups[0].attributes[attribute] ?? [])].sort();
      };
      expect(await ldap.apply([{ kind: 'create', dn: group, objectClasses: [objectClass], changes: [{ attribute: 'cn', values: [`modes (${objectClass})`] }, { attribute, mode: 'add', values: [a] }] }])).toEqual([{ status: 'succeeded' }]);

      expect(await ldap.apply([update({ attribute, mode: 'add', values: [a, b, c] })])).toEqual([{ status: 'succeeded', message: `${attribute}: 1 of 3 already there` }]);
      expect(await ldap.apply([update({ attribute, mode: 'add', values: [a, b, c] })])).toEqual([{ status: 'succeeded', message: `${attribute}: 3 of 3 already there` }]);
      expect(await members()).toEqual([a, b, c].sort());
      expect(await ldap.apply([update({ attribute, mode: 'remove', values: [b, d] })])).toEqual([{ status: 'succeeded', message: `${attribute}: 1 of 2 not there` }]);
      expect(await ldap.apply([update({ attribute, mode: 'remove', values: [b, d] })])).toEqual([{ status: 'succeeded', message: `${attribute}: 2 of 2 not there` }]);
      expect(await members()).toEqual([a, c].sort());
      // Several changes of one operation keep their order, the description's and the members' alike.
      expect(
        await ldap.apply([update({ attribute: 'description', mode: 'add', values: ['x'] }, { attribute, mode: 'add', values: [d] }, { attribute, mode: 'remove', values: [a, d] }, { attribute: 'description', mode: 'remove', values: ['x', 'y'] })]),
      ).toEqual([expect.objectContaining({ status: 'succeeded' })]);
      expect(await members()).toEqual([c]);
      const [left] = await collect(ldap.readSnapshot({ objectType: 'group' }));
      expect(left.attributes.description).toBeUndefined();
      // An add of a value spelled differently from the stored one (case) is still no duplicate.
      expect((await ldap.apply([update({ attribute, mode: 'add', values: [c.toUpperCase()] })]))[0].status).toBe('succeeded');
      expect(await members()).toEqual([c]);
      if (objectClass === 'groupOfNames') {
        // The schema requires a member: the server's own words say so.
        expect(await ldap.apply([update({ attribute, mode: 'remove', values: [c] })])).toEqual([{ status: 'failed', message: expect.stringMatching(/objectClassViolation.*member/i) }]);
      }
      expect(await ldap.apply([{ kind: 'update', dn: `cn=missing,${ou}`, changes: [{ attribute, mode: 'add', values: [a] }] }])).toEqual([{ status: 'failed', message: `no such object: cn=missing,${ou}` }]);
    });

    it('refuses to empty a groupOfNames, and names a missing or non-group entry', async () => {
      const ou = await freshOu('members-refusals');
      const ldap = connector(ou);
      const member = childDn('cn', 'only', ou);
      const group = childDn('cn', 'small', ou);
      await ldap.apply([person(member, 'only'), { kind: 'create', dn: group, objectClasses: ['groupOfNames'], changes: [{ attribute: 'cn', values: ['small'] }, { attribute: 'member', values: [member] }] }]);
      expect(await ldap.removeMembers(group, [member])).toMatchObject({ status: 'failed', message: expect.stringMatching(/objectClass|member/i) });
      expect(await ldap.addMembers(`cn=missing,${ou}`, [member])).toEqual({ status: 'failed', message: `no such group: cn=missing,${ou}` });
      expect(await ldap.addMembers(member, [group])).toMatchObject({ status: 'failed', message: expect.stringMatching(/neither a groupOfNames nor a groupOfUniqueNames/) });
      expect(await ldap.addMembers(group, [])).toEqual({ status: 'succeeded', message: 'nothing to change' });
    });
  });

  describe('rename', () => {
    it('renames within an OU and moves between OUs, keeping entryUUID, idempotently', async () => {
      const root = await freshOu('rename');
      const from = await freshOu('from', root);
      const to = await freshOu('to', root);
      const ldap = connector(root);
      const original = childDn('cn', "O'Brien, Jr.", from);
      await ldap.apply([person(original, "O'Brien, Jr.")]);
      const [before] = await searchAll(slapd, from, '(sn=*)');

      const renamed = childDn('cn', 'Dr. O\'Brien + "Jr"', from);
      expect(await ldap.rename(original, renamed)).toEqual({ status: 'succeeded' });
      const moved = childDn('cn', 'Dr. O\'Brien + "Jr"', to);
      expect(await ldap.rename(renamed, moved)).toEqual({ status: 'succeeded' });
      expect(await ldap.rename(renamed, moved)).toEqual({ status: 'succeeded', message: 'already renamed' });

      const users = await collect(ldap.readSnapshot({ objectType: 'user' }));
      expect(users).toHaveLength(1);
      expect(users[0].key).toBe(moved);
      expect(users[0].anchor).toBe(before.entryUUID);
      // deleteOldRdn: the old RDN value is gone, the new one is there.
      expect(users[0].attributes.cn).toEqual(['Dr. O\'Brien + "Jr"']);
      expect(await searchAll(slapd, from, '(sn=*)')).toEqual([]);
    });

    it('fails when neither the entry nor the new name exists, or the new name is taken', async () => {
      const ou = await freshOu('rename-refusals');
      const ldap = connector(ou);
      await ldap.apply([person(`cn=a,${ou}`, 'a'), person(`cn=b,${ou}`, 'b')]);
      expect(await ldap.rename(`cn=ghost,${ou}`, `cn=ghost2,${ou}`)).toMatchObject({ status: 'failed', message: expect.stringMatching(/32/) });
      expect(await ldap.rename(`cn=a,${ou}`, `cn=b,${ou}`)).toMatchObject({ status: 'failed', message: expect.stringMatching(/68/) });
    });
  });
});
