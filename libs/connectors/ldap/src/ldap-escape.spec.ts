import { childDn, escapeDnValue, escapeFilterValue, normalizeDn, unescapeDnValue } from './ldap-escape';

const HOSTILE = ["O'Brien, Jr. (Admin)*", '#1 first', ' padded ', 'a+b', 'say "hi"', 'back\\slash', '<tag>', 'semi;colon', 'x=y', 'Zoë Ångström', 'nul\0byte', ' ', '#'];

describe('escapeDnValue (RFC 4514)', () => {
  it.each([
    ["O'Brien, Jr. (Admin)*", "O'Brien\\, Jr. (Admin)*"],
    ['#1 first', '\\#1 first'],
    ['a#b', 'a#b'],
    [' padded ', '\\ padded\\ '],
    ['in side', 'in side'],
    ['a+b', 'a\\+b'],
    ['say "hi"', 'say \\"hi\\"'],
    ['back\\slash', 'back\\\\slash'],
    ['<tag>;x', '\\<tag\\>\\;x'],
    ['x=y', 'x\\=y'],
    ['Zoë Ångström', 'Zoë Ångström'],
    ['nul\0', 'nul\\00'],
    [' ', '\\ '],
    ['', ''],
  ])('%j → %j', (value, escaped) => {
    expect(escapeDnValue(value)).toBe(escaped);
  });

  it.each(HOSTILE)('round-trips %j through unescapeDnValue', (value) => {
    expect(unescapeDnValue(escapeDnValue(value))).toBe(value);
  });

  it('never leaves a separator that would split the DN', () => {
    for (const v of HOSTILE) expect(escapeDnValue(v)).not.toMatch(/(^|[^\\])(\\\\)*[,+;]/);
  });
});

describe('unescapeDnValue', () => {
  it('decodes hex escapes as UTF-8 bytes, as servers send them', () => {
    expect(unescapeDnValue('Zo\\C3\\AB\\2C Jr\\20')).toBe('Zoë, Jr ');
    expect(unescapeDnValue('a\\,b\\\\c')).toBe('a,b\\c');
  });
});

describe('normalizeDn', () => {
  it("rewrites a server's hex escapes into escapeDnValue's spelling", () => {
    expect(normalizeDn("cn=O'Brien\\2C Jr. (Admin)*,ou=people,dc=example,dc=org")).toBe(`${childDn('cn', "O'Brien, Jr. (Admin)*", 'ou=people')},dc=example,dc=org`);
    expect(normalizeDn('cn=\\20lead\\20,ou=p')).toBe('cn=\\ lead\\ ,ou=p');
    expect(normalizeDn('cn=a\\2Bb\\22c\\5Cd\\3Ce\\3Ef\\3Bg\\3Dh,ou=p')).toBe(`cn=${escapeDnValue('a+b"c\\d<e>f;g=h')},ou=p`);
  });

  it('keeps multi-valued RDNs and BER (#) values, and is idempotent', () => {
    expect(normalizeDn('cn=a\\2Cb+uid=x,ou=p')).toBe('cn=a\\,b+uid=x,ou=p');
    expect(normalizeDn('uid=#04024869,ou=p')).toBe('uid=#04024869,ou=p');
    const dn = `${childDn('cn', HOSTILE.join(''), 'ou=p')}`;
    expect(normalizeDn(dn)).toBe(dn);
  });
});

describe('escapeFilterValue (RFC 4515)', () => {
  it('escapes the filter metacharacters and NUL', () => {
    expect(escapeFilterValue("O'Brien, Jr. (Admin)*")).toBe("O'Brien, Jr. \\28Admin\\29\\2a");
    expect(escapeFilterValue('a\\b\0')).toBe('a\\5cb\\00');
  });

  it('leaves non-ASCII and DN specials alone (ldapts would decode \\xx per byte)', () => {
    expect(escapeFilterValue('Zoë Ångström, #1 + "x" <y>;=')).toBe('Zoë Ångström, #1 + "x" <y>;=');
  });
});
