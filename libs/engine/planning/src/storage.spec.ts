import { IGNORE_FLOW } from '@idsync/expressions';
import type { MappedValues } from './mapping';
import { packValues, unpackValues } from './packed-values';
import { StringArena } from './string-arena';
import { StringIndex } from './string-index';

describe('compact storage', () => {
  it('packValues keeps every value, IGNORE_FLOW and empty attributes, in one string', () => {
    const values: MappedValues[] = [['zoë.ångström'], [], IGNORE_FLOW, ['a', 'b', 'Łukasz'], ['']];
    const packed = packValues(values);
    expect(typeof packed).toBe('string');
    expect(unpackValues(packed, values.length)).toEqual(values);
  });

  it('packValues keeps the arrays of a value too long to pack', () => {
    const values = [['x'.repeat(300)]];
    expect(packValues(values)).toBe(values);
    expect(unpackValues(packValues(values), 1)).toEqual(values);
  });

  it('StringArena gives back what it was given, narrow, wide or longer than a buffer', () => {
    const arena = new StringArena();
    const strings = ['uid=zoë,dc=org', 'y'.repeat(100_000), 'Łukasz 東京', '', 'x'.repeat(5_000_000), 'after'];
    for (let i = 0; i < 40_000; i++) strings.push(`uid=u${i},ou=people,dc=example,dc=org`);
    const at = strings.map((s) => arena.add(s));
    expect(at.map((a) => arena.get(a))).toEqual(strings);
  });

  it('StringIndex finds positions by key, across growth and hash collisions alike', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `uid=u${i},dc=org`);
    const index = new StringIndex((i) => keys[i]);
    keys.forEach((k, i) => index.set(k, i));
    expect(keys.every((k, i) => index.get(k) === i)).toBe(true);
    expect(index.get('uid=nobody,dc=org')).toBe(-1);
  });
});
