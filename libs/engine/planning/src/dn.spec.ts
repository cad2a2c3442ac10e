import { escapeDnValue, namingAttribute, normalizeDn, splitDn, topDownKey } from './dn';

describe('escapeDnValue (RFC 4514)', () => {
  it.each([
    ['John Smith', 'John Smith'],
    ['Smith, John', 'Smith\\, John'],
    ['a+b', 'a\\+b'],
    ['x;y<z>', 'x\\;y\\<z\\>'],
    ['say "hi"', 'say \\"hi\\"'],
    ['back\\slash', 'back\\\\slash'],
    ['#first', '\\#first'],
    ['mid#dle', 'mid#dle'],
    [' lead', '\\ lead'],
    ['trail ', 'trail\\ '],
    [' ', '\\ '],
    ['nul\u0000', 'nul\\00'],
    ['line\nbreak', 'line\\0abreak'],
    ['a=b', 'a=b'],
    ['Zoë Ångström', 'Zoë Ångström'],
  ])('%j becomes %j', (value, escaped) => {
    expect(escapeDnValue(value)).toBe(escaped);
  });

  it('keeps an injected component inside the value', () => {
    const dn = `uid=${escapeDnValue('x,ou=admins')},ou=people,dc=example,dc=org`;
    expect(splitDn(dn)).toEqual(['uid=x\\,ou=admins', 'ou=people', 'dc=example', 'dc=org']);
  });
});

describe('DN helpers', () => {
  it('normalizeDn ignores case and spaces around separators', () => {
    expect(normalizeDn('UID=JDoe, OU=People,dc=Example,dc=org')).toBe(normalizeDn('uid=jdoe,ou=people,dc=example,dc=org'));
    expect(normalizeDn('cn=Smith\\, John,dc=x')).toBe('cn=smith\\, john,dc=x');
  });

  it('topDownKey puts parents before children', () => {
    const dns = ['uid=b,ou=people,dc=x', 'ou=people,dc=x', 'uid=a,ou=people,dc=x', 'uid=z,ou=admins,dc=x', 'ou=admins,dc=x'];
    const sorted = [...dns].sort((a, b) => (topDownKey(a) < topDownKey(b) ? -1 : 1));
    expect(sorted).toEqual(['ou=admins,dc=x', 'uid=z,ou=admins,dc=x', 'ou=people,dc=x', 'uid=a,ou=people,dc=x', 'uid=b,ou=people,dc=x']);
  });

  it('namingAttribute is the first RDN type', () => {
    expect(namingAttribute('UID=jdoe,ou=people,dc=x')).toBe('uid');
    expect(namingAttribute('')).toBeUndefined();
  });
});
