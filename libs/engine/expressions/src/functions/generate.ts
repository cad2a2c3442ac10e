import { fail } from '../errors';
import { toInteger, toText } from '../values';
import { eager, type FunctionDef, type Scope } from './function';

/** Functions that make values up: GUIDs, random strings (passwords), and Redact. */

const DIGITS = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
// The special characters of Windows' password complexity rules, which Entra refers to.
const SPECIAL = '~!@#$%^&*_-+=`|\\(){}[]:;"\'<>,.?/';

function randomInt(scope: Scope, maxExclusive: number): number {
  if (scope.ctx.randomInt) return scope.ctx.randomInt(maxExclusive);
  // Rejection sampling keeps every character equally likely: these strings become passwords.
  const limit = Math.floor(0x1_0000_0000 / maxExclusive) * maxExclusive;
  const buf = new Uint32Array(1);
  do crypto.getRandomValues(buf);
  while (buf[0] >= limit);
  return buf[0] % maxExclusive;
}

export const generateFunctions: FunctionDef[] = [
  eager('Guid', 0, 0, (_, scope) => (scope.ctx.newGuid ? scope.ctx.newGuid() : crypto.randomUUID())),

  /**
   * RandomString(Length, MinimumNumbers, MinimumSpecialCharacters, MinimumCapital, MinimumLowerCase, CharactersToAvoid).
   * Characters beyond the minimums are drawn from the classes that have a minimum above zero
   * (all four when every minimum is zero), so asking for 0 special characters gives none.
   */
  eager('RandomString', 5, 6, ([length, numbers, special, capital, lowerCase, avoid], scope) => {
    const len = toInteger(length, 'a length') ?? 0;
    const mins = [numbers, special, capital, lowerCase].map((v) => toInteger(v, 'a whole-number minimum') ?? 0);
    if (len < 1 || len > 256) fail(`length must be between 1 and 256, got ${len}`);
    if (mins.some((m) => m < 0)) fail('minimums must be 0 or more');
    const total = mins.reduce((a, b) => a + b, 0);
    if (total > len) fail(`the minimums add up to ${total}, more than the length ${len}`);
    const excluded = toText(avoid) ?? '';
    const classes = [DIGITS, SPECIAL, UPPER, LOWER].map((c) => [...c].filter((ch) => !excluded.includes(ch)).join(''));
    const chars: string[] = [];
    classes.forEach((cls, i) => {
      if (mins[i] > 0 && !cls) fail('CharactersToAvoid excludes a whole class that has a minimum');
      for (let k = 0; k < mins[i]; k++) chars.push(cls[randomInt(scope, cls.length)]);
    });
    const pool = classes.filter((cls, i) => cls && (total === 0 || mins[i] > 0)).join('');
    if (!pool) fail('CharactersToAvoid excludes every character');
    while (chars.length < len) chars.push(pool[randomInt(scope, pool.length)]);
    for (let i = chars.length - 1; i > 0; i--) {
      const j = randomInt(scope, i + 1);
      [chars[i], chars[j]] = [chars[j], chars[i]];
    }
    return chars.join('');
  }),

  // The value flows unchanged; a compiled expression reports `redacted` so that logs and plan
  // views can mask what it produces.
  eager('Redact', 1, 1, ([v]) => v ?? null),
];
