import { compileExpression } from '../compiler';
import type { EvaluationContext } from '../context';

const ev = (text: string, ctx?: EvaluationContext) => compileExpression(text)({}, ctx);
const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

describe('generated values', () => {
  it('Guid: a new random GUID', () => {
    const a = ev('Guid()');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ev('Guid()')).not.toBe(a);
    expect(ev('Guid()', { newGuid: () => '00aa00aa-bb11-cc22-dd33-44ee44ee44ee' })).toBe('00aa00aa-bb11-cc22-dd33-44ee44ee44ee');
  });

  it('RandomString(6,3,0,0,3): three numbers and three lower-case letters', () => {
    for (let i = 0; i < 20; i++) {
      const s = ev('RandomString(6,3,0,0,3)') as string;
      expect(s).toHaveLength(6);
      expect(count(s, /[0-9]/g)).toBe(3);
      expect(count(s, /[a-z]/g)).toBe(3);
    }
  });

  it('RandomString(10,2,2,2,1,"?,"): minimums met, excluded characters absent', () => {
    for (let i = 0; i < 50; i++) {
      const s = ev('RandomString(10,2,2,2,1,"?,")') as string;
      expect(s).toHaveLength(10);
      expect(count(s, /[0-9]/g)).toBeGreaterThanOrEqual(2);
      expect(count(s, /[A-Z]/g)).toBeGreaterThanOrEqual(2);
      expect(count(s, /[a-z]/g)).toBeGreaterThanOrEqual(1);
      expect(count(s, /[^0-9A-Za-z]/g)).toBeGreaterThanOrEqual(2);
      expect(s).not.toMatch(/[?,]/);
    }
  });

  it('RandomString: repeatable with a given random source; refuses impossible requests', () => {
    const ctx = { randomInt: () => 0 };
    expect(ev('RandomString(4,1,1,1,1)', ctx)).toBe(ev('RandomString(4,1,1,1,1)', ctx));
    expect(() => ev('RandomString(3,2,2,0,0)')).toThrow('at 0: RandomString: the minimums add up to 4, more than the length 3');
    expect(() => ev('RandomString(300,0,0,0,0)')).toThrow('length must be between 1 and 256, got 300');
    expect(() => ev('RandomString(2,1,0,0,0,"0123456789")')).toThrow('CharactersToAvoid excludes a whole class that has a minimum');
    const everything = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz~!@#$%^&*_-+=`|\\\\(){}[]:;\\"\'<>,.?/';
    expect(() => ev(`RandomString(2,0,0,0,0,"${everything}")`)).toThrow('CharactersToAvoid excludes every character');
  });

  it('Redact: the value flows, the expression says it is secret', () => {
    expect(ev('Redact("StringToBeRedacted")')).toBe('StringToBeRedacted');
    expect(compileExpression('Redact([userPrincipalName])')({ userPrincipalName: ['u@c.com'] })).toBe('u@c.com');
    expect(compileExpression('Redact(RandomString(6,3,0,0,3))').redacted).toBe(true);
    expect(compileExpression('[userPrincipalName]').redacted).toBe(false);
  });
});
