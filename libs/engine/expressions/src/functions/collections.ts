import { toInteger, type Value } from '../values';
import { eager, type FunctionDef } from './function';

/** Functions over multi-valued attributes. A single value counts as a list of one. */

function list(v: Value | undefined): Value[] {
  if (v === null || v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

export const collectionFunctions: FunctionDef[] = [
  eager('Count', 1, 1, ([v]) => list(v).length),

  // 1-based, as documented; an index outside the list (including 0) gives no value.
  eager('Item', 2, 2, ([v, index]) => {
    const i = toInteger(index, 'a whole-number index');
    return i === null ? null : (list(v)[i - 1] ?? null);
  }),

  // Case-sensitive: proxyAddresses "SMTP:" and "smtp:" values mean different things.
  eager('RemoveDuplicates', 1, 1, ([v]) => (Array.isArray(v) ? [...new Set(v)] : (v ?? null))),
];
