import { fail } from '../errors';
import { properCase } from '../text/case';
import { normalizeDiacritics } from '../text/diacritics';
import { base64Utf16le, utf8Hex } from '../text/encoding';
import { mapText, toInteger, toText, type Value } from '../values';
import { eager, type FunctionDef } from './function';

/**
 * String functions. A string transform applied to a multi-valued attribute transforms each
 * value; applied to no value it gives no value.
 */

function flatten(values: (Value | undefined)[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    if (Array.isArray(v)) out.push(...v);
    else {
      const s = toText(v);
      if (s !== null) out.push(s);
    }
  }
  return out;
}

function lower(s: string, culture: string | null): string {
  return culture ? s.toLocaleLowerCase(culture) : s.toLowerCase();
}

function upper(s: string, culture: string | null): string {
  return culture ? s.toLocaleUpperCase(culture) : s.toUpperCase();
}

function culture(v: Value | undefined): string | null {
  const c = toText(v);
  if (!c) return null;
  try {
    return Intl.getCanonicalLocales(c)[0];
  } catch {
    return fail(`unknown culture "${c}"`);
  }
}

export const textFunctions: FunctionDef[] = [
  eager('Append', 2, 2, ([source, suffix]) => {
    const tail = toText(suffix) ?? '';
    return mapText(source, (s) => s + tail);
  }),

  // Null and empty sources are skipped, so Join(", ", "", [sn], [givenName]) gives "Doe, John".
  eager('Join', 2, Infinity, ([separator, ...sources]) =>
    flatten(sources)
      .filter((s) => s !== '')
      .join(toText(separator) ?? ''),
  ),

  eager('ToLower', 1, 2, ([source, c]) => {
    const cult = culture(c);
    return mapText(source, (s) => lower(s, cult));
  }),

  eager('ToUpper', 1, 2, ([source, c]) => {
    const cult = culture(c);
    return mapText(source, (s) => upper(s, cult));
  }),

  eager('NormalizeDiacritics', 1, 1, ([source]) => mapText(source, normalizeDiacritics)),

  eager('StripSpaces', 1, 1, ([source]) => mapText(source, (s) => s.replaceAll(' ', ''))),

  eager('PCase', 1, 2, ([source, separators]) => {
    // An empty separator list means the default ones, as when none is given.
    const seps = toText(separators) || undefined;
    return mapText(source, (s) => properCase(s, seps));
  }),

  eager('Left', 2, 2, ([source, numChars]) => {
    const n = toInteger(numChars, 'a whole number of characters') ?? 0;
    // Documented: no string gives "", a negative count gives the whole string.
    return mapText(source ?? '', (s) => (n < 0 ? s : s.slice(0, n))) ?? '';
  }),

  eager('Mid', 3, 3, ([source, start, length]) => {
    const from = toInteger(start, 'a start position (1 or more)') ?? 1;
    const len = toInteger(length, 'a length') ?? 0;
    if (from < 1) fail(`start must be 1 or more, got ${from}`);
    if (len < 0) fail(`length must be 0 or more, got ${len}`);
    return mapText(source, (s) => s.slice(from - 1, from - 1 + len));
  }),

  eager('Word', 3, 3, ([source, wordNumber, delimiters]) => {
    const n = toInteger(wordNumber, 'a word number') ?? 0;
    const delims = toText(delimiters) ?? '';
    const pick = (s: string) => {
      if (n < 1) return '';
      const words = splitOnAny(s, delims).filter((w) => w !== '');
      return words[n - 1] ?? '';
    };
    return mapText(source ?? '', pick) ?? '';
  }),

  // Parts are trimmed: the documented example splits "PermissionSetOne, PermissionSetTwo" on ","
  // into "PermissionSetOne" and "PermissionSetTwo".
  eager('Split', 2, 2, ([source, delimiter]) => {
    const d = toText(delimiter) ?? '';
    if (source === null || source === undefined) return null;
    const values = Array.isArray(source) ? source : [toText(source)!];
    return values.flatMap((s) => (d === '' ? [s] : s.split(d)).map((p) => p.trim()));
  }),

  eager('InStr', 2, 4, ([value1, value2, start, compareType]) => {
    const haystack = toText(value1);
    const needle = toText(value2) ?? '';
    if (haystack === null) return null;
    const from = toInteger(start, 'a start position (1 or more)') ?? 1;
    if (from < 1) fail(`start must be 1 or more, got ${from}`);
    const text = compareMode(compareType) === 'text';
    const h = text ? haystack.toLowerCase() : haystack;
    const n = text ? needle.toLowerCase() : needle;
    if (from > h.length + 1) return 0;
    return h.indexOf(n, from - 1) + 1;
  }),

  eager('ConvertToBase64', 1, 1, ([source]) => mapText(source, base64Utf16le)),

  eager('ConvertToUTF8Hex', 1, 1, ([source]) => mapText(source, utf8Hex)),
];

function splitOnAny(s: string, delimiters: string): string[] {
  if (!delimiters) return [s];
  const words: string[] = [];
  let current = '';
  for (const c of s) {
    if (delimiters.includes(c)) {
      words.push(current);
      current = '';
    } else current += c;
  }
  words.push(current);
  return words;
}

// vbBinaryCompare (0) is case-sensitive, vbTextCompare (1) is not; names are accepted as text too.
function compareMode(v: Value | undefined): 'binary' | 'text' {
  if (v === undefined || v === null) return 'binary';
  const s = toText(v)!.trim().toLowerCase();
  if (s === '0' || s === 'vbbinarycompare') return 'binary';
  if (s === '1' || s === 'vbtextcompare') return 'text';
  return fail(`compare type must be vbBinaryCompare or vbTextCompare, got "${toText(v)}"`);
}
