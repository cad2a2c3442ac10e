/**
 * @idsync/connector-ldif — a directory kept in an LDIF file (no server needed).
 *
 * @example
 *   const dir = new LdifConnector({ path: 'directory.ldif', baseDn: 'dc=example,dc=org' });
 *   await dir.apply([{ kind: 'create', dn: 'uid=ada,ou=people,dc=example,dc=org', objectClasses: ['inetOrgPerson'], changes: [{ attribute: 'cn', values: ['Ada'] }] }]);
 */
export * from './ldif.connector';
export * from './ldif-format';
