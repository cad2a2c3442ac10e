import type { EvaluationContext } from '../context';
import type { AttributeValues, Value } from '../values';

export interface Scope {
  attrs: AttributeValues;
  ctx: EvaluationContext;
}

/** A compiled argument. `undefined` means the argument was left empty: `Switch([a], , ...)`. */
export type Arg = (scope: Scope) => Value | undefined;

export interface FunctionDef {
  readonly name: string;
  readonly minArgs: number;
  /** Infinity for repeating arguments (Join, Coalesce, Switch...). */
  readonly maxArgs: number;
  /** A rule beyond min/max; returns what was expected when the count breaks it. */
  readonly checkArgCount?: (count: number) => string | undefined;
  /** Entra allows it only as the whole expression (SelectUniqueValue). */
  readonly topLevelOnly?: boolean;
  /** Arguments are evaluated by the function itself, only when needed (IIF, Switch). */
  readonly call: (args: Arg[], scope: Scope) => Value;
}

/** A function that needs all its arguments' values. */
export function eager(
  name: string,
  minArgs: number,
  maxArgs: number,
  body: (values: (Value | undefined)[], scope: Scope) => Value,
  extra: Partial<Pick<FunctionDef, 'checkArgCount' | 'topLevelOnly'>> = {},
): FunctionDef {
  return {
    name,
    minArgs,
    maxArgs,
    ...extra,
    call: (args, scope) => body(args.map((a) => a(scope)), scope),
  };
}
