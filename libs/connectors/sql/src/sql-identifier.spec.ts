import { checkIdentifier, isIdentifier, parseTableName } from './sql-identifier';

describe('SQL identifiers', () => {
  it('accepts plain names and refuses anything that would need quoting', () => {
    for (const ok of ['people', 'People_2', '_x', 'a$b', 'x'.repeat(63)]) expect(isIdentifier(ok)).toBe(true);
    for (const bad of ['', '1a', 'a b', 'a;DROP TABLE x', 'a"', 'a`', "a'", 'a-b', 'a.b', 'x'.repeat(64), 'é']) expect(isIdentifier(bad)).toBe(false);
  });

  it('splits schema.table and checks both parts', () => {
    expect(parseTableName('people')).toEqual({ name: 'people' });
    expect(parseTableName('hr.people')).toEqual({ schema: 'hr', name: 'people' });
    expect(() => parseTableName('a.b.c')).toThrow(expect.objectContaining({ code: 'SQL.INVALID_IDENTIFIER' }));
    expect(() => parseTableName('hr.people"; --')).toThrow(expect.objectContaining({ code: 'SQL.INVALID_IDENTIFIER', details: { table: 'people"; --' } }));
    expect(() => checkIdentifier('id) OR 1=1', 'keyColumn')).toThrow(expect.objectContaining({ details: { keyColumn: 'id) OR 1=1' } }));
  });
});
