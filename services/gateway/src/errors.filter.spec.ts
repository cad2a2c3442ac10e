import { statusOf } from './errors.filter';

describe('statusOf', () => {
  it.each([
    ['RUN.NOT_FOUND', 404],
    ['CONNECTION.NOT_FOUND', 404],
    ['SERVICE.UNAVAILABLE', 503],
    ['RUN.INVALID_TRANSITION', 409],
    ['RUN.SELF_APPROVAL', 409],
    ['RUN.INVALID_MODE', 400],
    ['REQUEST.INVALID', 400],
    ['EXPRESSION.SYNTAX', 400],
    ['CONNECTOR.UNREACHABLE', 502],
    ['CONNECTOR.AUTH_FAILED', 502],
    ['CONNECTOR.TLS_FAILED', 502],
    ['CONNECTOR.READ_FAILED', 500],
    ['INTERNAL', 500],
  ])('%s → %i', (code, status) => {
    expect(statusOf(code)).toBe(status);
  });
});
