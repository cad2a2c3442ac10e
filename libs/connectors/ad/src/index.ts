/**
 * @idsync/connector-ad — Active Directory as a source or destination over LDAPS: objectGUID
 * anchors, passwords through unicodePwd, enable/disable through userAccountControl, moves between
 * OUs, ranged reads of large groups and incremental reads by uSNChanged.
 *
 * @example
 *   const ad = new ActiveDirectoryConnector({ url: 'ldaps://dc1.example.org', bindDn: 'svc-idsync@example.org', password, baseDn: 'DC=example,DC=org', tlsOptions: { ca } });
 *   const dn = childDn('CN', 'Ada Lovelace', 'OU=Staff,DC=example,DC=org');
 *   await ad.apply([{ kind: 'create', dn, changes: [{ attribute: 'sAMAccountName', values: ['ada'] }, { attribute: 'password', values: [initial] }, { attribute: 'enabled', values: ['true'] }] }]);
 *   await ad.move(dn, childDn('CN', 'Ada Lovelace', 'OU=Leavers,DC=example,DC=org'));
 */
export * from './ad.connector';
export { readRangedAttribute, parseRangedName, DEFAULT_RANGE_SIZE, type RangedName, type RangeSearcher } from './ad-range';
export { guidToString, guidToBytes, sidToString, encodeUnicodePwd, withAccountDisabled, ACCOUNTDISABLE, NORMAL_ACCOUNT } from './ad-values';
// The DN and filter escaping is LDAP's, unchanged for AD; re-exported so callers need one import.
export { childDn, escapeDnValue, escapeFilterValue, normalizeDn, unescapeDnValue } from '@idsync/connector-ldap';
