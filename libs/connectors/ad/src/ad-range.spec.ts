import type { SearchOptions, SearchResult } from 'ldapts';
import { parseRangedName, readRangedAttribute, type RangeSearcher } from './ad-range';

/** A DC holding `count` members that answers ranges the way Windows does, capped at `maxValRange`. */
function fakeDc(count: number, maxValRange: number): RangeSearcher & { asked: string[] } {
  const all = Array.from({ length: count }, (_, i) => `CN=m${i},DC=x`);
  const asked: string[] = [];
  return {
    asked,
    async search(dn: string, options?: SearchOptions): Promise<SearchResult> {
      const attr = options?.attributes?.[0] ?? '';
      asked.push(attr);
      const r = parseRangedName(attr);
      if (!r) return { searchEntries: [{ dn, member: all }], searchReferences: [] };
      const end = Math.min(r.end ?? Infinity, r.start + maxValRange - 1, count - 1);
      const name = end >= count - 1 ? `member;range=${r.start}-*` : `member;range=${r.start}-${end}`;
      // ldapts adds the requested name with no values when the server answers with another one.
      const entry = { dn, [name]: all.slice(r.start, end + 1), ...(name === attr ? {} : { [attr]: [] }) };
      return { searchEntries: [entry], searchReferences: [] };
    },
  };
}

describe('parseRangedName', () => {
  it('splits ranged names and ignores the rest', () => {
    expect(parseRangedName('member;range=0-1499')).toEqual({ attribute: 'member', start: 0, end: 1499 });
    expect(parseRangedName('Member;Range=1500-*')).toEqual({ attribute: 'Member', start: 1500, end: undefined });
    expect(parseRangedName('member')).toBeUndefined();
  });
});

describe('readRangedAttribute', () => {
  it('follows ranges until one ends in *', async () => {
    const dc = fakeDc(3_200, 1_500);
    const values = await readRangedAttribute(dc, 'CN=g,DC=x', 'member');
    expect(values).toHaveLength(3_200);
    expect(new Set(values).size).toBe(3_200);
    expect(dc.asked).toEqual(['member;range=0-1499', 'member;range=1500-2999', 'member;range=3000-4499']);
  });

  it('follows the smaller ranges of a DC with a lower MaxValRange', async () => {
    const dc = fakeDc(1_000, 400);
    expect(await readRangedAttribute(dc, 'CN=g,DC=x', 'member')).toHaveLength(1_000);
    expect(dc.asked).toEqual(['member;range=0-1499', 'member;range=400-1899', 'member;range=800-2299']);
  });

  it('continues from values a search already returned', async () => {
    const dc = fakeDc(2_000, 1_500);
    const first = Array.from({ length: 1_500 }, (_, i) => `CN=m${i},DC=x`);
    const values = await readRangedAttribute(dc, 'CN=g,DC=x', 'member', { from: { values: first, range: { attribute: 'member', start: 0, end: 1499 } } });
    expect(values).toHaveLength(2_000);
    expect(dc.asked).toEqual(['member;range=1500-2999']);
  });

  it('stops at an exact multiple of the range size', async () => {
    const dc = fakeDc(1_500, 1_500);
    expect(await readRangedAttribute(dc, 'CN=g,DC=x', 'member')).toHaveLength(1_500);
  });

  it('takes a plain answer as every value', async () => {
    const dc: RangeSearcher = { search: async (dn) => ({ searchEntries: [{ dn, member: ['CN=a', 'CN=b'] }], searchReferences: [] }) };
    expect(await readRangedAttribute(dc, 'CN=g,DC=x', 'member')).toEqual(['CN=a', 'CN=b']);
  });

  it('returns nothing for an empty group', async () => {
    const dc: RangeSearcher = { search: async (dn) => ({ searchEntries: [{ dn, 'member;range=0-1499': [] }], searchReferences: [] }) };
    expect(await readRangedAttribute(dc, 'CN=g,DC=x', 'member')).toEqual([]);
  });
});
