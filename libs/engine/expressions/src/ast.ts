/**
 * The syntax tree of one expression. Every node keeps its 0-based offset in the text so
 * that errors found later (at evaluation) can still point at the place to fix.
 */
export type Expression =
  | CallExpression
  | AttributeExpression
  | StringExpression
  | NumberExpression
  | BooleanExpression
  | ConstantExpression
  | ComparisonExpression
  | OmittedExpression;

export interface CallExpression {
  kind: 'call';
  name: string;
  args: Expression[];
  position: number;
}

/** `[name]`: the attribute's values, or null when it has none. */
export interface AttributeExpression {
  kind: 'attribute';
  name: string;
  position: number;
}

export interface StringExpression {
  kind: 'string';
  value: string;
  position: number;
}

/** `42`, `-10`, `1.5` or VBA hexadecimal `&HF7`. `raw` keeps the text as written. */
export interface NumberExpression {
  kind: 'number';
  value: number;
  raw: string;
  position: number;
}

/** `True` / `False`. */
export interface BooleanExpression {
  kind: 'boolean';
  value: boolean;
  position: number;
}

/** A named VBA constant such as `vbTextCompare` (InStr's compare type). */
export interface ConstantExpression {
  kind: 'constant';
  name: string;
  value: number;
  position: number;
}

export type ComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** `left op right`, as used in IIF conditions: `IIF([country]="USA", ...)`. */
export interface ComparisonExpression {
  kind: 'comparison';
  operator: ComparisonOperator;
  left: Expression;
  right: Expression;
  position: number;
}

/** An argument left empty, as in `Replace([mail], "@x.com", , , "", , )`. */
export interface OmittedExpression {
  kind: 'omitted';
  position: number;
}

/** Attribute names the expression reads, in order of first use, without duplicates. */
export function referencedAttributes(ast: Expression): string[] {
  const seen = new Set<string>();
  const walk = (n: Expression): void => {
    if (n.kind === 'attribute') seen.add(n.name);
    else if (n.kind === 'call') n.args.forEach(walk);
    else if (n.kind === 'comparison') {
      walk(n.left);
      walk(n.right);
    }
  };
  walk(ast);
  return [...seen];
}

/** True when a call to `name` appears anywhere in the tree. */
export function usesFunction(ast: Expression, name: string): boolean {
  if (ast.kind === 'call') return ast.name === name || ast.args.some((a) => usesFunction(a, name));
  if (ast.kind === 'comparison') return usesFunction(ast.left, name) || usesFunction(ast.right, name);
  return false;
}
