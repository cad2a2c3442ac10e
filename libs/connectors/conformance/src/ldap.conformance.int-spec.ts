import { LdapConnector, childDn } from '@idsync/connector-ldap';
import { freePort, startSlapd, uniqueName, type SlapdHandle } from '@idsync/testing';
import { describeConformance } from './conformance.suite';
import { addOu, inetOrgPersonCreate, mailUpdate } from './fixtures';

let slapd: SlapdHandle;
beforeAll(async () => (slapd = await startSlapd()));
afterAll(() => slapd?.stop());

/** A fresh organizational unit per behaviour: one slapd for the file, each behaviour in its own subtree. */
function freshOu(): Promise<string> {
  const name = uniqueName('conformance');
  return addOu({ url: slapd.url }, { dn: slapd.bindDn, password: slapd.password }, childDn('ou', name, slapd.baseDn), name);
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
    create: (i) => inetOrgPersonCreate(dnOf(i), i),
    keyOf: (i) => dnOf(i),
    renamedKeyOf: (i) => childDn('uid', `renamed${i}`, ou),
    update: mailUpdate,
    discovered: { attribute: 'mail', multiValued: true },
    valueModes: { attribute: 'description', multiValued: true, values: ['first', 'second'] },
    unreachable: () => new LdapConnector({ ...options, url: `ldap://127.0.0.1:${closedPort}`, timeoutMs: 5_000 }),
    cleanup: () => connector.close(),
  };
});
