import { AlreadyExistsError, BusyError, ConstraintViolationError, InvalidCredentialsError, UnavailableError } from 'ldapts';
import { connectError, isConnectionError, isTlsError, toOutcome } from './ldap-errors';

describe('ldap error mapping', () => {
  it('retries what may work later: busy, unavailable, dropped or refused connections, timeouts', () => {
    expect(toOutcome(new BusyError('try later')).status).toBe('retryable');
    expect(toOutcome(new UnavailableError()).status).toBe('retryable');
    expect(toOutcome(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })).status).toBe('retryable');
    expect(toOutcome(new Error('Connection closed before message response was received.')).status).toBe('retryable');
    expect(toOutcome(new Error('ModifyRequest: Operation timed out')).status).toBe('retryable');
  });

  it("fails what will fail again, with the server's message", () => {
    expect(toOutcome(new ConstraintViolationError('mail: value too long'))).toEqual({ status: 'failed', message: 'ConstraintViolationError (19): mail: value too long' });
    expect(toOutcome(new AlreadyExistsError('')).status).toBe('failed');
    expect(toOutcome(new TypeError('x is not a function')).status).toBe('failed');
    expect(isConnectionError(new InvalidCredentialsError('socket'))).toBe(false);
  });

  it('tells a refused bind from an unreachable server', () => {
    expect(connectError(new InvalidCredentialsError(''), 'ldap://h', 'cn=a')).toMatchObject({ code: 'CONNECTOR.AUTH_FAILED', retryable: false, details: { url: 'ldap://h', bindDn: 'cn=a' } });
    expect(connectError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), 'ldap://h', 'cn=a')).toMatchObject({ code: 'CONNECTOR.UNREACHABLE', retryable: true });
    expect(connectError(new BusyError(''), 'ldap://h', 'cn=a')).toMatchObject({ code: 'CONNECTOR.UNREACHABLE', retryable: true });
  });

  it('tells a refused certificate from an unreachable server, and names the reason', () => {
    const untrusted = Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' });
    expect(isTlsError(untrusted)).toBe(true);
    expect(isTlsError(Object.assign(new Error('Hostname/IP does not match'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }))).toBe(true);
    expect(isTlsError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isTlsError(new InvalidCredentialsError('CERT_HAS_EXPIRED'))).toBe(false);
    expect(connectError(untrusted, 'ldaps://h', 'cn=a')).toMatchObject({ code: 'CONNECTOR.UNREACHABLE' });
    expect(connectError(untrusted, 'ldaps://h', 'cn=a', { tlsFailed: true })).toMatchObject({
      code: 'CONNECTOR.TLS_FAILED',
      retryable: false,
      details: { url: 'ldaps://h', reason: 'SELF_SIGNED_CERT_IN_CHAIN: self-signed certificate in certificate chain' },
    });
  });
});
