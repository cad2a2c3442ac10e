import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LdifConnector } from './ldif.connector';
import { parseLdif } from './ldif-format';

describe('LdifConnector', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'ldif-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('creates, updates, disables and deletes idempotently, and reads back', async () => {
    const c = new LdifConnector({ path: join(dir, 'd.ldif'), baseDn: 'dc=example,dc=org' });
    const dn = 'uid=zoe,ou=people,dc=example,dc=org';
    const create = { kind: 'create' as const, dn, objectClasses: ['inetOrgPerson'], changes: [{ attribute: 'cn', values: ['Zoë Ångström'] }, { attribute: 'sn', values: ['Ångström'] }] };
    expect(await c.apply([create])).toEqual([{ status: 'succeeded' }]);
    expect((await c.apply([create]))[0]).toMatchObject({ status: 'succeeded', message: 'already exists' });
    await c.apply([{ kind: 'update', dn, changes: [{ attribute: 'CN', values: ['Zoe A'] }, { attribute: 'sn', values: [] }] }]);
    const pages = [];
    for await (const p of c.readSnapshot({ objectType: 'user' })) pages.push(...p);
    expect(pages).toHaveLength(1);
    expect(pages[0].attributes).toEqual({ objectClass: ['inetOrgPerson'], cn: ['Zoe A'] });
    expect(await c.apply([{ kind: 'update', dn: 'uid=nobody,dc=example,dc=org', changes: [] }])).toEqual([{ status: 'failed', message: 'no such object: uid=nobody,dc=example,dc=org' }]);
    await c.apply([{ kind: 'delete', dn, changes: [] }, { kind: 'delete', dn, changes: [] }]);
    expect(await readFile(join(dir, 'd.ldif'), 'utf8')).toBe('version: 1\n\n');
  });

  it('adds and removes values within an entry, idempotently and in the order of the changes', async () => {
    const c = new LdifConnector({ path: join(dir, 'd.ldif'), baseDn: 'dc=example,dc=org' });
    const dn = 'cn=team,ou=groups,dc=example,dc=org';
    const members = async () => {
      const all = [];
      for await (const p of c.readSnapshot({ objectType: 'group' })) all.push(...p);
      return all[0].attributes.member;
    };
    const update = (mode: 'add' | 'remove', ...values: string[]) => ({ kind: 'update' as const, dn, changes: [{ attribute: 'MEMBER', mode, values }] });
    await c.apply([{ kind: 'create', dn, objectClasses: ['groupOfNames'], changes: [{ attribute: 'member', mode: 'add', values: ['uid=a'] }] }]);
    expect(await c.apply([update('add', 'uid=a', 'uid=b'), update('add', 'uid=b')])).toEqual([{ status: 'succeeded' }, { status: 'succeeded' }]);
    expect(await members()).toEqual(['uid=a', 'uid=b']);
    expect(await c.apply([update('remove', 'uid=a', 'uid=x'), update('remove', 'uid=a')])).toEqual([{ status: 'succeeded' }, { status: 'succeeded' }]);
    expect(await members()).toEqual(['uid=b']);
    await c.apply([{ kind: 'update', dn, changes: [{ attribute: 'member', mode: 'add', values: ['uid=c'] }, { attribute: 'member', mode: 'remove', values: ['uid=b', 'uid=c'] }, { attribute: 'member', mode: 'add', values: ['uid=d'] }] }]);
    expect(await members()).toEqual(['uid=d']);
  });

  it('keeps non-ASCII values intact through base64 and names the line of a syntax error', async () => {
    const text = 'version: 1\n\ndn: uid=a,dc=x\ncn:: ' + Buffer.from('Zoë').toString('base64') + '\ndescription: long\n  line\n';
    expect([...parseLdif(text)]).toEqual([{ dn: 'uid=a,dc=x', attributes: { cn: ['Zoë'], description: ['long line'] } }]);
    await writeFile(join(dir, 'bad.ldif'), 'dn: uid=a,dc=x\nthis is not ldif\n');
    const c = new LdifConnector({ path: join(dir, 'bad.ldif'), baseDn: 'dc=x' });
    await expect(c.apply([])).rejects.toMatchObject({ code: 'LDIF.MALFORMED', message: expect.stringContaining('line 2') });
  });
});
