import { compileExpression } from '../compiler';
import type { AttributeValues } from '../values';

const ev = (text: string, attrs: AttributeValues = {}) => compileExpression(text)(attrs);

describe('multi-valued attribute functions', () => {
  const proxyAddresses = ['SMTP:a@contoso.com', 'smtp:b@contoso.com', 'smtp:b@contoso.com'];

  it('Count: number of values', () => {
    expect(ev('Count([proxyAddresses])', { proxyAddresses })).toBe(3);
    expect(ev('Count([proxyAddresses])', { proxyAddresses: ['x'] })).toBe(1);
    expect(ev('Count([proxyAddresses])')).toBe(0);
  });

  it('Item: Item([proxyAddresses], 1) is the first value', () => {
    expect(ev('Item([proxyAddresses], 1)', { proxyAddresses })).toBe('SMTP:a@contoso.com');
    expect(ev('Item([proxyAddresses], 4)', { proxyAddresses })).toBeNull();
    expect(ev('Item([proxyAddresses], 0)', { proxyAddresses })).toBeNull();
  });

  it('RemoveDuplicates: each value once, case-sensitively', () => {
    expect(ev('RemoveDuplicates([proxyAddresses])', { proxyAddresses })).toEqual(['SMTP:a@contoso.com', 'smtp:b@contoso.com']);
    expect(ev('RemoveDuplicates([proxyAddresses])', { proxyAddresses: ['x'] })).toBe('x');
  });

  it('string functions apply to each value; single-value functions refuse several', () => {
    expect(ev('ToLower([proxyAddresses])', { proxyAddresses })).toEqual(['smtp:a@contoso.com', 'smtp:b@contoso.com', 'smtp:b@contoso.com']);
    expect(() => ev('InStr([proxyAddresses], "a")', { proxyAddresses })).toThrow('at 0: InStr: expects a single value, got 3 values');
  });
});
