import { ConnectorError, type OperationOutcome } from '@idsync/connector-core';
import { ResultCodeError } from 'ldapts';

/** LDAP result codes (RFC 4511 appendix A) that the connector treats specially. */
export const ResultCode = {
  timeLimitExceeded: 3,
  sizeLimitExceeded: 4,
  adminLimitExceeded: 11,
  noSuchAttribute: 16,
  attributeOrValueExists: 20,
  noSuchObject: 32,
  invalidCredentials: 49,
  busy: 51,
  unavailable: 52,
  alreadyExists: 68,
} as const;

/** The server is alive but cannot take the request now: the same request may succeed later. */
const RETRYABLE_CODES = new Set<number>([ResultCode.timeLimitExceeded, ResultCode.adminLimitExceeded, ResultCode.busy, ResultCode.unavailable]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** Node's codes for a refused TLS handshake: an untrusted or expired certificate, a name mismatch, a protocol failure. */
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_|INVALID_CA|INVALID_PURPOSE|PATH_LENGTH_EXCEEDED)/;

/** True when the TLS handshake (ldaps:// or StartTLS) failed, rather than the network or the server. */
export function isTlsError(e: unknown): boolean {
  if (e instanceof ResultCodeError) return false;
  const err = e as NodeJS.ErrnoException;
  return typeof err?.code === 'string' && TLS_CODE.test(err.code);
}

export function resultCode(e: unknown): number | undefined {
  return e instanceof ResultCodeError ? e.code : undefined;
}

/**
 * True for failures of the connection rather than answers from the server. ldapts reports a
 * dropped socket, a timeout or a TLS failure as a plain Error without a code, hence the message test.
 */
export function isConnectionError(e: unknown): boolean {
  if (e instanceof ResultCodeError) return false;
  const err = e as NodeJS.ErrnoException;
  if (err?.code && NETWORK_CODES.has(err.code)) return true;
  return /socket|connection|timed out|timeout/i.test(err?.message ?? '');
}

/**
 * The server's own words, with the result name and code, for humans reading an outcome. Active
 * Directory's diagnostic message is the useful part there: "0000052D: Constraint violation -
 * check_password_restrictions: the password is too short".
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

/** How a directory flavour refines connectError's messages (Active Directory explains its bind refusals). */
export interface ConnectErrorHooks {
  /** Words about the account behind a refused bind ("the account is disabled"), or '' when there are none. */
  bindFailureReason?: (e: unknown) => string;
  /** What to check when the server cannot be reached; default "check the URL and that the server is running". */
  unreachableAdvice?: string;
  /**
   * Report a refused TLS handshake as CONNECTOR.TLS_FAILED (not retryable) instead of
   * CONNECTOR.UNREACHABLE; default false, for connectors that document the latter.
   */
  tlsFailed?: boolean;
}

/**
 * A failure to connect, negotiate TLS or bind, as the codes callers switch on: CONNECTOR.TLS_FAILED
 * (with `hooks.tlsFailed`), CONNECTOR.AUTH_FAILED or CONNECTOR.UNREACHABLE.
 *
 * @example
 *   throw connectError(e, url, bindDn, { bindFailureReason: (e) => (/data 533,/.test(String(e)) ? 'the account is disabled' : '') });
 */
export function connectError(e: unknown, url: string, bindDn: string, hooks: ConnectErrorHooks = {}): ConnectorError {
  if (hooks.tlsFailed && isTlsError(e)) {
    // Not retryable: a certificate the client does not trust stays untrusted until someone changes the CA or the name.
    const reason = `${(e as NodeJS.ErrnoException).code}: ${describe(e)}`;
    return new ConnectorError('CONNECTOR.TLS_FAILED', `TLS with ${url} failed (${reason}); check the CA certificates (tls.ca) and that the URL's host name is in the server certificate`, { url, reason });
  }
  const code = resultCode(e);
  if (code !== undefined && !RETRYABLE_CODES.has(code)) {
    const reason = hooks.bindFailureReason?.(e) ?? '';
    return new ConnectorError('CONNECTOR.AUTH_FAILED', `${url} refused the bind as "${bindDn}"${reason ? ` (${reason})` : ''}: ${describe(e)}; check the bind DN and password`, { url, bindDn });
  }
  const advice = hooks.unreachableAdvice ?? 'check the URL and that the server is running';
  return new ConnectorError('CONNECTOR.UNREACHABLE', `cannot reach ${url}: ${describe(e)}; ${advice}`, { url }, true);
}

/**
 * A failed search as the codes callers switch on: CONNECTOR.UNREACHABLE for a lost connection,
 * <prefix>.NO_SUCH_BASE when the base is missing, <prefix>.SIZE_LIMIT_EXCEEDED and
 * <prefix>.TIME_LIMIT_EXCEEDED (retryable) when a server limit cut the read short,
 * <prefix>.SEARCH_FAILED for anything else.
 */
export function searchError(e: unknown, where: { url: string; base: string; codePrefix: string; baseWords: string }): ConnectorError {
  const { url, base, codePrefix, baseWords } = where;
  if (isConnectionError(e)) return new ConnectorError('CONNECTOR.UNREACHABLE', `lost ${url} during the read: ${describe(e)}`, { url }, true);
  const code = resultCode(e);
  if (code === ResultCode.noSuchObject) {
    return new ConnectorError(`${codePrefix}.NO_SUCH_BASE`, `${baseWords} does not exist on ${url}; create it or fix searchBase`, { url, searchBase: base });
  }
  // The entries before the limit came back, but a read cut short is not the directory: say so, never end quietly.
  if (code === ResultCode.sizeLimitExceeded) {
    return new ConnectorError(
      `${codePrefix}.SIZE_LIMIT_EXCEEDED`,
      `${url} stopped the read of ${base} at its size limit for the bind DN (${describe(e)}), so the read is incomplete; raise that limit for the bind DN (OpenLDAP: limits size.hard / size.prtotal; Active Directory: MaxResultSetSize) or narrow the search`,
      { url, searchBase: base },
    );
  }
  if (code === ResultCode.timeLimitExceeded) {
    return new ConnectorError(
      `${codePrefix}.TIME_LIMIT_EXCEEDED`,
      `${url} stopped the read of ${base} at its time limit (${describe(e)}), so the read is incomplete; trying again may work, and if it keeps failing raise the server's time limit for the bind DN (OpenLDAP: limits time.hard) or timeoutMs`,
      { url, searchBase: base },
      true,
    );
  }
  const outcome = toOutcome(e);
  return new ConnectorError(`${codePrefix}.SEARCH_FAILED`, `searching ${base} on ${url} failed: ${outcome.message}`, { url, searchBase: base }, outcome.status === 'retryable');
}
