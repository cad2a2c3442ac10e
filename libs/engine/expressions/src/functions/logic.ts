import { fail } from '../errors';
import { isEmpty, mapText, toBoolean, toNumber, toText, type Value } from '../values';
import { eager, type FunctionDef } from './function';

/**
 * Conditions, tests and conversions. IIF, Switch and Coalesce evaluate an argument only when
 * its value is needed, so `IIF(..., RandomString(...), ...)` draws nothing on the other branch.
 */

/** Thrown by a nested IgnoreFlowIfNullOrEmpty; the evaluator turns it into IGNORE_FLOW. */
export class IgnoreFlowSignal {}
const IGNORE = new IgnoreFlowSignal();

// Keys compare as text, case-sensitively as Entra documents; no value matches "".
function switchKey(v: Value | undefined): string {
  return toText(v) ?? '';
}

function isTrue(v: Value | undefined): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  return typeof v === 'string' && v.trim().toLowerCase() === 'true';
}

export const logicFunctions: FunctionDef[] = [
  {
    name: 'IIF',
    minArgs: 3,
    maxArgs: 3,
    call: ([condition, ifTrue, ifFalse], s) => (toBoolean(condition(s)) ? ifTrue(s) : ifFalse(s)) ?? null,
  },
  // Not in Entra, asked for by its users (IIF has no AND or OR; nesting IIFs is the workaround):
  // each condition reads as IIF's does, evaluated left to right and only as far as needed.
  {
    name: 'And',
    minArgs: 2,
    maxArgs: Infinity,
    call: (conditions, s) => conditions.every((c) => toBoolean(c(s))),
  },
  {
    name: 'Or',
    minArgs: 2,
    maxArgs: Infinity,
    call: (conditions, s) => conditions.some((c) => toBoolean(c(s))),
  },
  {
    name: 'Switch',
    minArgs: 4,
    maxArgs: Infinity,
    checkArgCount: (n) => (n % 2 === 0 ? undefined : 'an even number of arguments: source, default, then key and value pairs'),
    call: ([source, defaultValue, ...pairs], s) => {
      const key = switchKey(source(s));
      for (let i = 0; i < pairs.length; i += 2) {
        if (switchKey(pairs[i](s)) === key) return pairs[i + 1](s) ?? null;
      }
      return defaultValue(s) ?? null;
    },
  },
  {
    // Empty strings are passed over like nulls: file sources deliver a missing cell as "".
    name: 'Coalesce',
    minArgs: 1,
    maxArgs: Infinity,
    call: (args, s) => {
      for (const a of args) {
        const v = a(s);
        if (!isEmpty(v)) return v!;
      }
      return null;
    },
  },
  eager('IsNull', 1, 1, ([v]) => v === null || v === undefined || (Array.isArray(v) && v.length === 0)),
  eager('IsNullOrEmpty', 1, 1, ([v]) => isEmpty(v)),
  eager('IsPresent', 1, 1, ([v]) => !isEmpty(v)),
  eager('IsString', 1, 1, ([v]) => typeof v === 'string' || (Array.isArray(v) && v.length > 0)),
  eager('Not', 1, 1, ([v]) => !isTrue(v)),
  eager('CBool', 1, 1, ([v]) => toBoolean(v)),
  eager('CStr', 1, 1, ([v]) => mapText(v, (x) => x)),
  eager('BitAnd', 2, 2, ([a, b]) => {
    const x = toNumber(a, 'a whole number');
    const y = toNumber(b, 'a whole number');
    if (x === null || y === null) return null;
    // BigInt: JavaScript's & truncates to 32 bits.
    return Number(BigInt(Math.trunc(x)) & BigInt(Math.trunc(y)));
  }),
  {
    name: 'IgnoreFlowIfNullOrEmpty',
    minArgs: 1,
    maxArgs: 1,
    call: ([expression], s) => {
      const v = expression(s);
      if (isEmpty(v)) throw IGNORE;
      return v!;
    },
  },
  {
    name: 'SelectUniqueValue',
    minArgs: 2,
    maxArgs: Infinity,
    topLevelOnly: true,
    call: (rules, s) => {
      const isUnique = s.ctx.isUnique;
      if (!isUnique) return fail('needs the caller to say which values are taken (isUnique in the evaluation context)', 'EXPRESSION.NOT_SUPPORTED');
      const tried: string[] = [];
      for (const rule of rules) {
        const v = toText(rule(s));
        if (!v) continue;
        if (isUnique(v)) return v;
        tried.push(v);
      }
      return fail(`every candidate is already taken: ${tried.map((t) => `"${t}"`).join(', ') || 'no rule gave a value'}`, 'EXPRESSION.NO_UNIQUE_VALUE');
    },
  },
];
