import { referencedAttributes, usesFunction, type ComparisonOperator, type Expression } from './ast';
import type { EvaluationContext } from './context';
import { ExpressionEvaluationError, FunctionFailure } from './errors';
import type { Scope } from './functions/function';
import { IgnoreFlowSignal } from './functions/logic';
import { FUNCTIONS } from './functions/registry';
import { parseExpression } from './parser';
import { IGNORE_FLOW, isEmpty, toDate, toNumber, toResult, toText, type AttributeValues, type ExpressionResult, type Value } from './values';

/**
 * Expressions are compiled once into nested closures, so evaluating one for a million objects
 * walks no tree and parses nothing.
 */
type Compiled = (scope: Scope) => Value | undefined;

/** A parsed and compiled expression: call it with an object's attributes. */
export interface CompiledExpression {
  (attrs: AttributeValues, ctx?: EvaluationContext): ExpressionResult;
  readonly text: string;
  readonly ast: Expression;
  /** Attribute names it reads, e.g. to read only those columns. */
  readonly attributes: readonly string[];
  /** It uses Redact: what it produces must not be shown in logs or plan views. */
  readonly redacted: boolean;
  /** It is a SelectUniqueValue: evaluate it with `isUnique` in the context. */
  readonly selectsUniqueValue: boolean;
}

const NO_CONTEXT: EvaluationContext = {};

/**
 * Parses and compiles an expression for repeated use. Throws ExpressionSyntaxError.
 *
 * @example
 *   const uid = compileExpression('ToLower(Join(".", NormalizeDiacritics([givenName]), [sn]))');
 *   uid({ givenName: ['Zoë'], sn: ['Smith'] }); // 'zoe.smith'
 */
export function compileExpression(text: string): CompiledExpression {
  const ast = parseExpression(text);
  const run = compileRoot(ast);
  const fn = (attrs: AttributeValues, ctx?: EvaluationContext) => run({ attrs, ctx: ctx ?? NO_CONTEXT });
  return Object.assign(fn, {
    text,
    ast,
    attributes: referencedAttributes(ast),
    redacted: usesFunction(ast, 'Redact'),
    selectsUniqueValue: ast.kind === 'call' && ast.name === 'SelectUniqueValue',
  });
}

const compiledTrees = new WeakMap<Expression, (scope: Scope) => ExpressionResult>();

/**
 * Evaluates a parsed expression for one object. Attribute names are matched exactly first,
 * then regardless of case. Throws ExpressionEvaluationError naming the function and position.
 *
 * @example
 *   evaluate(parseExpression('Append([userPrincipalName], ".test")'), { userPrincipalName: ['john@contoso.com'] });
 *   // 'john@contoso.com.test'
 */
export function evaluate(ast: Expression, attrs: AttributeValues, ctx?: EvaluationContext): ExpressionResult {
  let run = compiledTrees.get(ast);
  if (!run) {
    run = compileRoot(ast);
    compiledTrees.set(ast, run);
  }
  return run({ attrs, ctx: ctx ?? NO_CONTEXT });
}

function compileRoot(ast: Expression): (scope: Scope) => ExpressionResult {
  // The usual place of IgnoreFlowIfNullOrEmpty is the whole expression: answer without a throw.
  if (ast.kind === 'call' && ast.name === 'IgnoreFlowIfNullOrEmpty') {
    const inner = compileRoot(ast.args[0]);
    return (s) => {
      const v = inner(s);
      return v === IGNORE_FLOW || isEmpty(v) ? IGNORE_FLOW : v;
    };
  }
  const root = compileNode(ast);
  return (s) => {
    try {
      return toResult(root(s));
    } catch (e) {
      if (e instanceof IgnoreFlowSignal) return IGNORE_FLOW;
      throw e;
    }
  };
}

function compileNode(n: Expression): Compiled {
  switch (n.kind) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'constant': {
      const v = n.value;
      return () => v;
    }
    case 'omitted':
      return () => undefined;
    case 'attribute': {
      const name = n.name;
      return (s) => attributeValue(s.attrs, name);
    }
    case 'comparison': {
      const left = compileNode(n.left);
      const right = compileNode(n.right);
      const { operator, position } = n;
      return (s) => {
        const a = left(s);
        const b = right(s);
        try {
          return compare(operator, a, b);
        } catch (e) {
          throw located(e, `'${operator}'`, position);
        }
      };
    }
    case 'call': {
      const def = FUNCTIONS.get(n.name)!;
      const args = n.args.map(compileNode);
      const { name, position } = n;
      return (s) => {
        try {
          return def.call(args, s);
        } catch (e) {
          throw located(e, name, position);
        }
      };
    }
  }
}

function located(e: unknown, name: string, position: number): unknown {
  if (e instanceof IgnoreFlowSignal || e instanceof ExpressionEvaluationError || !(e instanceof Error)) return e;
  const code = e instanceof FunctionFailure ? e.code : undefined;
  return new ExpressionEvaluationError(`at ${position}: ${name}: ${e.message}`, position, name, code);
}

function attributeValue(attrs: AttributeValues, name: string): Value {
  // Object.hasOwn, not `in` or a bare read: [constructor] must not find Object.prototype's.
  let values = Object.hasOwn(attrs, name) ? attrs[name] : undefined;
  if (values === undefined) {
    const lower = name.toLowerCase();
    for (const key of Object.keys(attrs)) {
      if (key.toLowerCase() === lower) {
        values = attrs[key];
        break;
      }
    }
  }
  if (!values || values.length === 0) return null;
  return values.length === 1 ? values[0] : values;
}

/**
 * Dates compare as instants and numbers numerically when either side is one; otherwise values
 * compare as text, case-sensitively (booleans as True/False, regardless of case). No value
 * equals "" — unlike Entra, where an IIF over a missing attribute fails.
 */
function compare(op: ComparisonOperator, a: Value | undefined, b: Value | undefined): boolean {
  const c = order(a, b);
  switch (op) {
    case '=':
      return c === 0;
    case '<>':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
}

function order(a: Value | undefined, b: Value | undefined): number {
  if (a instanceof Date || b instanceof Date) {
    const x = toDate(a);
    const y = toDate(b);
    return x === null || y === null ? (x === y ? 0 : NaN) : Math.sign(x.getTime() - y.getTime());
  }
  if (typeof a === 'number' || typeof b === 'number') {
    const x = numberOrUndefined(a);
    const y = numberOrUndefined(b);
    if (x !== undefined && y !== undefined) return x === null || y === null ? (x === y ? 0 : NaN) : Math.sign(x - y);
  }
  let x = toText(a) ?? '';
  let y = toText(b) ?? '';
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    x = x.toLowerCase();
    y = y.toLowerCase();
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

function numberOrUndefined(v: Value | undefined): number | null | undefined {
  try {
    return toNumber(v);
  } catch (e) {
    if (e instanceof FunctionFailure) return undefined;
    throw e;
  }
}
