import { ConnectorError, objectTypeSchema, type AttributeSchema } from '@idsync/connector-core';
import { freePort, startSlapd, type SlapdHandle } from '@idsync/testing';
import { LdapConnector, type LdapConnectorOptions } from './ldap.connector';

describe('LdapConnector.discover against slapd', () => {
  let slapd: SlapdHandle;
  beforeAll(async () => (slapd = await startSlapd()));
  afterAll(() => slapd?.stop());

  const connector = (extra: Partial<LdapConnectorOptions> = {}) => new LdapConnector({ url: slapd.url, bindDn: slapd.bindDn, password: slapd.password, baseDn: slapd.baseDn, ...extra });
  const byName = (attributes: AttributeSchema[]) => Object.fromEntries(attributes.map((a) => [a.name, a]));

  it('describes users as inetOrgPerson and its superclasses, from cn=Subschema', async () => {
    const ldap = connector();
    try {
      const schema = await ldap.discover();
      expect(schema.origin).toBe('peer');
      const user = objectTypeSchema(schema, 'user');
      expect(user).toMatchObject({ nativeNames: ['inetOrgPerson', 'organizationalPerson', 'person', 'top'], anchor: 'entryUUID', key: 'dn' });
      const a = byName(user.attributes);
      expect(a.mail).toEqual({ name: 'mail', type: 'string', multiValued: true, required: false });
      expect(a.uid).toEqual({ name: 'uid', type: 'string', multiValued: true, required: false });
      expect(a.cn).toMatchObject({ required: true, multiValued: true });
      expect(a.sn).toMatchObject({ required: true });
      expect(a.employeeNumber).toMatchObject({ multiValued: false });
      expect(a.manager).toMatchObject({ type: 'dn' });
      expect(a.jpegPhoto).toMatchObject({ type: 'binary' });
      expect(a.objectClass).toMatchObject({ required: false });
      expect(a.entryUUID).toEqual({ name: 'entryUUID', type: 'string', multiValued: false, required: false, readOnly: true });
    } finally {
      await ldap.close();
    }
  });

  it('describes groups as groupOfNames or groupOfUniqueNames, and a configured type by its filter', async () => {
    const ldap = connector({ filters: { account: '(&(objectClass=account)(objectClass=posixAccount))' } });
    try {
      const schema = await ldap.discover();
      const group = byName(objectTypeSchema(schema, 'group').attributes);
      expect(group.cn.required).toBe(true);
      expect(group.member).toMatchObject({ type: 'dn', multiValued: true, required: false });
      expect(group.uniqueMember).toMatchObject({ type: 'dn', required: false });
      const account = byName(objectTypeSchema(schema, 'account').attributes);
      // Both classes at once: the MUST of each is required (uid from account, uidNumber and homeDirectory from posixAccount).
      expect(account.uid.required).toBe(true);
      expect(account.uidNumber).toMatchObject({ type: 'integer', multiValued: false, required: true });
      expect(account.homeDirectory.required).toBe(true);
      expect(() => objectTypeSchema(schema, 'device')).toThrow(expect.objectContaining({ code: 'CONNECTOR.CONFIG' }));
    } finally {
      await ldap.close();
    }
  });

  it('rejects with CONNECTOR.UNREACHABLE when the server cannot be reached', async () => {
    const ldap = connector({ url: `ldap://127.0.0.1:${await freePort()}`, timeoutMs: 5_000 });
    try {
      const error = await ldap.discover().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectorError);
      expect(error).toMatchObject({ code: 'CONNECTOR.UNREACHABLE' });
    } finally {
      await ldap.close();
    }
  });
});
