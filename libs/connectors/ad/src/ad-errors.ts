import { ConnectorError, type OperationOutcome } from '@idsync/connector-core';
import { ResultCodeError } from 'ldapts';

/** LDAP result codes (RFC 4511 appendix A) the connector treats specially. */
export const ResultCode = {
  timeLimitExceeded: 3,
  adminLimitExceeded: 11,
  noSuchAttribute: 16,
  noSuchObject: 32,
  invalidCredentials: 49,
  busy: 51,
  unavailable: 52,
  alreadyExists: 68,
} as const;

/** The server is alive but cannot take the request now: the same request may succeed later. */
const RETRYABLE_CODES = new Set<number>([ResultCode.timeLimitExceeded, ResultCode.adminLimitExceeded, ResultCode.busy, ResultCode.unavailable]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

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

export function resultCode(e: unknown): number | undefined {
  return e instanceof ResultCodeError ? e.code : undefined;
}

/**
 * True for failures of the connection rather than answers from the server. ldapts reports a
 * dropped socket, a timeout or a TLS failure as a plain Error, hence the message test.
 */
export function isConnectionError(e: unknown): boolean {
  if (e instanceof ResultCodeError) return false;
  const err = e as NodeJS.ErrnoException;
  if (err?.code && NETWORK_CODES.has(err.code)) return true;
  return /socket|connection|timed out|timeout/i.test(err?.message ?? '');
}

/**
 * The server's own words, with the result name and code. AD's diagnostic message is the useful
 * part: "0000052D: Constraint violation - check_password_restrictions: the password is too short".
 */
export function describe(e: unknown): string {
  if (e instanceof ResultCodeError) {
    // ldapts appends " Code: 0x13"; the name and decimal code already say it.
    const text = e.message.replace(/\s*Code: 0x[0-9a-f]+$/i, '').trim();
    return `${e.name} (${e.code})${text ? `: ${text}` : ''}`;
  }
  const err = e as NodeJS.ErrnoException;
  return err?.message || String(e);
}

/** One operation's failure as an outcome: retryable when trying again later could work. */
export function toOutcome(e: unknown): OperationOutcome {
  const code = resultCode(e);
  const retryable = code === undefined ? isConnectionError(e) : RETRYABLE_CODES.has(code);
  return { status: retryable ? 'retryable' : 'failed', message: describe(e) };
}

/** What AD's bind diagnostic says about the account, or '' when it says nothing specific. */
export function bindFailureReason(e: unknown): string {
  const data = /\bdata ([0-9a-f]{3}),/i.exec(e instanceof Error ? e.message : '')?.[1]?.toLowerCase();
  return (data && BIND_DATA[data]) ?? '';
}

/** A failure to connect or bind, as the codes callers switch on. */
export function connectError(e: unknown, url: string, bindDn: string): ConnectorError {
  const code = resultCode(e);
  if (code !== undefined && !RETRYABLE_CODES.has(code)) {
    const reason = bindFailureReason(e);
    return new ConnectorError('CONNECTOR.AUTH_FAILED', `${url} refused the bind as "${bindDn}"${reason ? ` (${reason})` : ''}: ${describe(e)}; check the bind DN and password`, { url, bindDn });
  }
  return new ConnectorError('CONNECTOR.UNREACHABLE', `cannot reach ${url}: ${describe(e)}; check the URL, the server and its TLS certificate`, { url }, true);
}
