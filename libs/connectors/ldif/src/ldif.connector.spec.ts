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

  it('keeps non-ASCII values intact through base64 and names the line of a syntax error', async () => {
    const text = 'version: 1\n\ndn: uid=a,dc=x\ncn:: ' + Buffer.from('Zoë').toString('base64') + '\ndescription: long\n  line\n';
    expect([...parseLdif(text)]).toEqual([{ dn: 'uid=a,dc=x', attributes: { cn: ['Zoë'], description: ['long line'] } }]);
    await writeFile(join(dir, 'bad.ldif'), 'dn: uid=a,dc=x\nthis is not ldif\n');
    const c = new LdifConnector({ path: join(dir, 'bad.ldif'), baseDn: 'dc=x' });
    await expect(c.apply([])).rejects.toMatchObject({ code: 'LDIF.MALFORMED', message: expect.stringContaining('line 2') });
  });
});
