import type { ConnectorError } from '@idsync/connector-core';
import { connectError as ldapConnectError, type ConnectErrorHooks } from '@idsync/connector-ldap';

/**
 * The `data <hex>` of AD's bind diagnostics ("80090308: LdapErr: ..., data 52e, v4563"), in
 * words a user can act on. 52e is the plain wrong password and needs no gloss.
 */
const BIND_DATA: Record<string, string> = {
  '525': 'the account does not exist',
  '530': 'logons are not permitted at this time',
  '531': 'logons are not permitted from this workstation',
  '532': 'the password has expired',
  '533': 'the account is disabled',
  '701': 'the account has expired',
  '773': 'the password must be changed before the first logon',
  '775': 'the account is locked out',
};

/** What AD's bind diagnostic says about the account, or '' when it says nothing specific. */
export function bindFailureReason(e: unknown): string {
  const data = /\bdata ([0-9a-f]{3}),/i.exec(e instanceof Error ? e.message : '')?.[1]?.toLowerCase();
  return (data && BIND_DATA[data]) ?? '';
}

/** AD's account problems named and, since AD is reached over LDAPS, the TLS certificate among the things to check. */
export const adConnectErrorHooks: ConnectErrorHooks = { bindFailureReason, unreachableAdvice: 'check the URL, the server and its TLS certificate' };

/** LDAP's connect and bind failure mapping with adConnectErrorHooks. */
export function connectError(e: unknown, url: string, bindDn: string): ConnectorError {
  return ldapConnectError(e, url, bindDn, adConnectErrorHooks);
}
