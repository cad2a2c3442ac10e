import { changedSingleValue, changedValues } from './value-changes';

const change = (mode: 'replace' | 'add' | 'remove' | undefined, ...values: string[]) => ({ attribute: 'x', values, ...(mode ? { mode } : {}) });

describe('changedValues', () => {
  it('replaces by default, adds values not there once each, removes values there', () => {
    expect(changedValues(['a'], change(undefined, 'b'))).toEqual(['b']);
    expect(changedValues(['a'], change('add', 'a', 'b', 'b'))).toEqual(['a', 'b']);
    expect(changedValues(['a', 'b'], change('remove', 'a', 'c'))).toEqual(['b']);
    expect(changedValues([], change('remove', 'a'))).toEqual([]);
  });
});

describe('changedSingleValue', () => {
  const what = 'column "mail"';
  it('adds to an empty value, keeps the same value, refuses a second one', () => {
    expect(changedSingleValue(undefined, change('add', 'a'), what)).toEqual({ value: 'a' });
    expect(changedSingleValue('a', change('add', 'a', 'a'), what)).toEqual({ value: 'a' });
    expect(changedSingleValue('a', change('add', 'b'), what)).toEqual({ error: 'column "mail" holds "a"; adding "b" would give it a second value, and it holds one' });
    expect(changedSingleValue(undefined, change('add', 'a', 'b'), what)).toEqual({ error: 'column "mail" holds one value; got 2' });
    expect(changedSingleValue('a', change('add'), what)).toEqual({ value: 'a' });
  });

  it('removes its own value, and nothing else', () => {
    expect(changedSingleValue('a', change('remove', 'b', 'a'), what)).toEqual({ value: undefined });
    expect(changedSingleValue('a', change('remove', 'b'), what)).toEqual({ value: 'a' });
    expect(changedSingleValue(undefined, change('remove', 'a'), what)).toEqual({ value: undefined });
  });

  it('replaces with one value or none', () => {
    expect(changedSingleValue('a', change(undefined, 'b'), what)).toEqual({ value: 'b' });
    expect(changedSingleValue('a', change('replace'), what)).toEqual({ value: undefined });
    expect(changedSingleValue('a', change('replace', 'b', 'c'), what)).toEqual({ error: 'column "mail" holds one value; got 2' });
  });
});
