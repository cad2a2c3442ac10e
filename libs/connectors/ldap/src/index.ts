/**
 * @idsync/connector-ldap — an LDAP directory (OpenLDAP) as a source or destination, plus the
 * RFC 4514 / RFC 4515 escaping helpers every DN and filter built from data must go through.
 *
 * @example
 *   const ldap = new LdapConnector({ url: 'ldap://127.0.0.1:389', bindDn: 'cn=admin,dc=example,dc=org', password, baseDn: 'dc=example,dc=org' });
 *   const dn = childDn('cn', "O'Brien, Jr.", 'ou=people,dc=example,dc=org'); // cn=O'Brien\, Jr.,ou=people,...
 *   await ldap.apply([{ kind: 'create', dn, objectClasses: ['inetOrgPerson'], changes: [{ attribute: 'sn', values: ["O'Brien"] }, { attribute: 'cn', values: ["O'Brien, Jr."] }] }]);
 */
export * from './ldap.connector';
export * from './ldap-escape';
// Schema discovery from a subschema subentry (RFC 4512), shared with other directories (Active Directory).
export { discoverSchema, type SchemaSource } from './ldap-discover';
export * from './ldap-schema';
// For directories that speak LDAP with their own twists (Active Directory): the same scheduling and error mapping.
export { applyInLanes, type LaneOptions } from './apply-in-lanes';
export { deleteEntry, entryExists, LdapConnections, readEntryAnchors, type LdapConnectionOptions } from './ldap-connections';
export { entryAttributes, LDAP_VALUE_REFUSALS, looseValue, modifyValues, readLdapValues, unchangedMessage, type ModifyValuesOptions, type Unchanged, type ValueRefusals } from './ldap-modify';
export { connectError, describe as describeLdapError, isConnectionError, isTlsError, ResultCode, resultCode, searchError, toOutcome, type ConnectErrorHooks } from './ldap-errors';
