/**
 * Entra's PCase. Without separators it behaves like .NET ToTitleCase applied to the lower-cased
 * text: any character that is not a letter, mark, digit or apostrophe starts a new word, and an
 * apostrophe stays inside its word (O'neil). With separators, only those characters split words.
 */

const WORD_CHAR = /[\p{L}\p{M}\p{N}'\u2019]/u;

export function properCase(s: string, separators?: string): string {
  const isSeparator = separators === undefined ? (c: string) => !WORD_CHAR.test(c) : (c: string) => separators.includes(c);
  let out = '';
  let startOfWord = true;
  for (const c of s) {
    if (isSeparator(c)) {
      out += c;
      startOfWord = true;
    } else {
      out += startOfWord ? c.toUpperCase() : c.toLowerCase();
      startOfWord = false;
    }
  }
  return out;
}
