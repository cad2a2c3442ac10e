/**
 * Entra's NormalizeDiacritics: Latin letters with accents become their plain letters
 * (Zoë → Zoe, Ångström → Angstrom), and a few letters without a decomposition are spelled
 * out as Entra's table does (æ → ae, ø → oe, ß → ss, ł → l).
 */

// Letters Unicode does not decompose into base + accent, mapped as in Entra's table.
const SPELLED: Record<string, string> = {
  æ: 'ae', Æ: 'AE', ø: 'oe', Ø: 'OE', œ: 'oe', Œ: 'OE', ß: 'ss',
  ł: 'l', Ł: 'L', ı: 'i', đ: 'd', Đ: 'D', ħ: 'h', Ħ: 'H',
};
const SPELLED_RE = new RegExp(`[${Object.keys(SPELLED).join('')}]`, 'g');

// Only marks that follow a Latin letter are removed: stripping marks from other scripts
// (the breve of Cyrillic й, Devanagari vowel signs) would change the letters, not the accents.
const LATIN_MARKS = /(\p{Script=Latin})[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+/gu;

export function normalizeDiacritics(s: string): string {
  // Most names are plain ASCII: skip the Unicode work for them.
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  return s
    .normalize('NFD')
    .replace(LATIN_MARKS, '$1')
    .replace(SPELLED_RE, (c) => SPELLED[c])
    .normalize('NFC');
}
