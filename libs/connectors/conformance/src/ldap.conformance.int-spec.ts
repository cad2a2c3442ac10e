import { LdapConnector, childDn } from '@idsync/connector-ldap';
import { freePort, startSlapd, uniqueName, type SlapdHandle } from '@idsync/testing';
import { Client } from 'ldapts';
import { describeConformance } from './conformance.suite';

let slapd: SlapdHandle;
beforeAll(async () => (slapd = await startSlapd()));
afterAll(() => slapd?.stop());

/** A fresh organizational unit per behaviour: one slapd for the file, each behaviour in its own subtree. */
async function freshOu(): Promise<string> {
  const name = uniqueName('conformance');
  const dn = childDn('ou', name, slapd.baseDn);
  const admin = new Client({ url: slapd.url });
  try {
    await admin.bind(slapd.bindDn, slapd.password);
    await admin.add(dn, { objectClass: ['organizationalUnit'], ou: [name] });
  } finally {
    await admin.unbind();
  }
  return dn;
}

describeConformance('ldap (OpenLDAP slapd)', async () => {
  const ou = await freshOu();
  const options = { url: slapd.url, bindDn: slapd.bindDn, password: slapd.password, baseDn: slapd.baseDn, searchBase: ou };
  const connector = new LdapConnector(options);
  const dnOf = (i: number) => childDn('uid', `person${i}`, ou);
  const closedPort = await freePort();
  return {
    connector,
    objectType: 'user',
    create: (i) => ({
      kind: 'create',
      dn: dnOf(i),
      objectClasses: ['inetOrgPerson'],
      changes: [
        { attribute: 'cn', values: [`Person ${i}`] },
        { attribute: 'sn', values: [`Surname ${i}`] },
        { attribute: 'uid', values: [`person${i}`] },
        { attribute: 'mail', values: [`person${i}@example.org`] },
      ],
    }),
    keyOf: (i) => dnOf(i),
    update: (dn, i) => ({ kind: 'update', dn, changes: [{ attribute: 'mail', values: [`person${i}.updated@example.org`] }] }),
    unreachable: () => new LdapConnector({ ...options, url: `ldap://127.0.0.1:${closedPort}`, timeoutMs: 5_000 }),
    cleanup: () => connector.close(),
  };
});
