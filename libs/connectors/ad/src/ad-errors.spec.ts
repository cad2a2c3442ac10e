import { ConstraintViolationError, InvalidCredentialsError, UnavailableError } from 'ldapts';
import { toOutcome } from '@idsync/connector-ldap';
import { bindFailureReason, connectError } from './ad-errors';

const adBind = (data: string) => new InvalidCredentialsError(`80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data ${data}, v1db1`);

describe('AD error mapping', () => {
  it('names the account problem behind an AD bind refusal', () => {
    expect(bindFailureReason(adBind('533'))).toBe('the account is disabled');
    expect(bindFailureReason(adBind('775'))).toBe('the account is locked out');
    expect(bindFailureReason(adBind('52e'))).toBe('');
    const e = connectError(adBind('533'), 'ldaps://dc', 'bob@example.org');
    expect(e).toMatchObject({ code: 'CONNECTOR.AUTH_FAILED', retryable: false });
    expect(e.message).toContain('(the account is disabled)');
  });

  it('keeps AD\'s diagnostic message in a failed outcome', () => {
    const e = new ConstraintViolationError('0000052D: Constraint violation - check_password_restrictions: the password is too short.');
    expect(toOutcome(e)).toEqual({ status: 'failed', message: 'ConstraintViolationError (19): 0000052D: Constraint violation - check_password_restrictions: the password is too short.' });
  });

  it('makes a busy DC and a dropped connection retryable', () => {
    expect(toOutcome(new UnavailableError('')).status).toBe('retryable');
    expect(toOutcome(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).status).toBe('retryable');
    expect(connectError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'ldaps://dc', 'x')).toMatchObject({ code: 'CONNECTOR.UNREACHABLE', retryable: true });
  });
});
