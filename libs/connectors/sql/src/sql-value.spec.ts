import { toText } from './sql-value';

describe('toText', () => {
  it('turns column values into attribute text, NULL into nothing', () => {
    expect(toText(null)).toBeUndefined();
    expect(toText(undefined)).toBeUndefined();
    expect(toText('')).toBe('');
    expect(toText(42)).toBe('42');
    expect(toText('12345678901234567890')).toBe('12345678901234567890');
    expect(toText(true)).toBe('true');
    expect(toText(new Date(Date.UTC(2026, 1, 3, 4, 5, 6, 7)))).toBe('2026-02-03T04:05:06.007Z');
    expect(toText(Buffer.from('hi'))).toBe('aGk=');
    expect(toText({ a: [1] })).toBe('{"a":[1]}');
  });
});
