import type { Entry, SearchOptions, SearchResult } from 'ldapts';

/** AD's default MaxValRange: the most values of one attribute a DC returns per search. */
export const DEFAULT_RANGE_SIZE = 1500;

/** A `member;range=1500-2999` attribute name, split; `end` is undefined for `*` (the last range). */
export interface RangedName {
  attribute: string;
  start: number;
  end: number | undefined;
}

/** Splits `attr;range=<start>-<end|*>`; undefined for any other attribute name. */
export function parseRangedName(name: string): RangedName | undefined {
  const m = /^(.+);range=(\d+)-(\d+|\*)$/i.exec(name);
  if (!m) return undefined;
  return { attribute: m[1], start: Number(m[2]), end: m[3] === '*' ? undefined : Number(m[3]) };
}

/** The part of ldapts's Client the range helper needs (a search), so a test can stand in for it. */
export interface RangeSearcher {
  search(baseDN: string, options?: SearchOptions): Promise<SearchResult>;
}

/**
 * Every value of a multi-valued attribute (a group's `member`) of one entry, following AD's
 * range retrieval: a DC returns at most MaxValRange values per search, as `member;range=0-1499`,
 * and the client asks for the next range (`member;range=1500-2999`) until one ends in `*`.
 *
 * `from` continues a read: pass the values and the ranged name a search already returned.
 * `rangeSize` is the window asked for each time; a DC with a smaller MaxValRange answers with
 * smaller ranges, which are followed the same way.
 *
 * @example
 *   const members = await readRangedAttribute(client, 'CN=staff,OU=groups,DC=example,DC=org', 'member');
 */
export async function readRangedAttribute(
  client: RangeSearcher,
  dn: string,
  attribute: string,
  options: { rangeSize?: number; from?: { values: string[]; range: RangedName } } = {},
): Promise<string[]> {
  const size = options.rangeSize ?? DEFAULT_RANGE_SIZE;
  const values = [...(options.from?.values ?? [])];
  let start = options.from ? options.from.range.end : 0;
  if (start === undefined) return values;
  if (options.from) start += 1;
  for (;;) {
    const { searchEntries } = await client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes: [`${attribute};range=${start}-${start + size - 1}`] });
    const entry = searchEntries[0];
    if (!entry) throw new Error(`${dn} disappeared while its ${attribute} values were read`);
    const found = rangedValues(entry, attribute);
    // A server without range retrieval answers with the plain attribute: that is every value.
    if (found.plain) return start === 0 ? found.plain : values;
    if (!found.range) return values;
    values.push(...found.values);
    if (found.range.end === undefined) return values;
    // A range that does not move forward would loop for ever; AD never sends one, but say so if it does.
    if (found.range.end < start) throw new Error(`${dn} answered ${attribute};range=${found.range.start}-${found.range.end} to a request from ${start}`);
    start = found.range.end + 1;
  }
}

/** The values of `attribute` in an entry, ranged or plain. */
export function rangedValues(entry: Entry, attribute: string): { values: string[]; range?: RangedName; plain?: string[] } {
  const wanted = attribute.toLowerCase();
  for (const [name, raw] of Object.entries(entry)) {
    const values = (Array.isArray(raw) ? raw : [raw]).map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v));
    if (name.toLowerCase() === wanted) {
      // ldapts adds every requested attribute the server did not send, with no values.
      if (values.length) return { values, plain: values };
      continue;
    }
    const range = parseRangedName(name);
    // Empty: either a range past the last value, or ldapts's placeholder for the range we asked
    // for when the server answered with another name. Neither holds values to follow.
    if (range && range.attribute.toLowerCase() === wanted && values.length) return { values, range };
  }
  return { values: [] };
}
