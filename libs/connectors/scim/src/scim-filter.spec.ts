import { eqFilter, escapeFilterValue, parseEqFilter } from './scim-filter';

describe('eqFilter (RFC 7644 §3.4.2.2)', () => {
  it.each([
    ['ada', 'userName eq "ada"'],
    ['say "hi"', 'userName eq "say \\"hi\\""'],
    ['back\\slash', 'userName eq "back\\\\slash"'],
    ["O'Brien (Admin) and x or y", 'userName eq "O\'Brien (Admin) and x or y"'],
    ['tab\there', 'userName eq "tab\\there"'],
    ['Zoë', 'userName eq "Zoë"'],
  ])('%j → %s', (value, filter) => {
    expect(eqFilter('userName', value)).toBe(filter);
  });

  it.each(['say "hi"', 'back\\slash', '"', '\\"', 'a\nb', ''])('round-trips %j through parseEqFilter', (value) => {
    expect(parseEqFilter(eqFilter('userName', value))).toEqual({ attribute: 'userName', value });
  });

  it('escapes without the surrounding quotes', () => {
    expect(escapeFilterValue('a"b')).toBe('a\\"b');
  });
});

describe('parseEqFilter', () => {
  it('accepts any case for eq and extra spaces', () => {
    expect(parseEqFilter('  externalId  EQ  "x" ')).toEqual({ attribute: 'externalId', value: 'x' });
  });

  it.each(['userName sw "a"', 'userName eq "a" and active eq true', 'userName eq a', 'userName eq "unterminated'])('rejects %j', (filter) => {
    expect(parseEqFilter(filter)).toBeUndefined();
  });
});
