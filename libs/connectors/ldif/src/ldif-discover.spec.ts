import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LdifConnector } from './ldif.connector';

describe('LdifConnector.discover', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'ldif-discover-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("lists the entries' attributes, multi-valued where an entry holds several values, anchored by entryUUID", async () => {
    const ldif = new LdifConnector({ path: join(dir, 'directory.ldif'), baseDn: 'dc=example,dc=org' });
    expect((await ldif.discover()).objectTypes[0].attributes).toEqual([{ name: 'entryUUID', type: 'string', multiValued: false, required: false, readOnly: true }]);
    await ldif.apply([
      { kind: 'create', dn: 'uid=ada,ou=people,dc=example,dc=org', objectClasses: ['inetOrgPerson'], changes: [{ attribute: 'cn', values: ['Ada'] }, { attribute: 'mail', values: ['ada@x.org'] }] },
      { kind: 'create', dn: 'uid=bob,ou=people,dc=example,dc=org', objectClasses: ['inetOrgPerson'], changes: [{ attribute: 'mail', values: ['bob@x.org', 'b@x.org'] }] },
    ]);
    const schema = await ldif.discover();
    expect(schema.origin).toBe('observed');
    expect(schema.objectTypes).toEqual([
      {
        name: '*',
        nativeNames: ['inetOrgPerson'],
        anchor: 'entryUUID',
        key: 'dn',
        attributes: [
          { name: 'cn', type: 'string', multiValued: false, required: false },
          { name: 'entryUUID', type: 'string', multiValued: false, required: false, readOnly: true },
          { name: 'mail', type: 'string', multiValued: true, required: false },
          { name: 'objectClass', type: 'string', multiValued: false, required: false },
        ],
      },
    ]);
  });
});
