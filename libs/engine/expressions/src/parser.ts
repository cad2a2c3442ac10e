import type { CallExpression, Expression } from './ast';
import { ExpressionSyntaxError } from './errors';
import { ENTRA_ONLY } from './functions/entra-only';
import { FUNCTIONS } from './functions/registry';
import { describeToken, OPERAND, tokenize, type Token } from './lexer';

type Constant = { kind: 'boolean'; value: boolean } | { kind: 'constant'; value: number };

const CONSTANTS: Record<string, Constant | undefined> = {
  True: { kind: 'boolean', value: true },
  False: { kind: 'boolean', value: false },
  true: { kind: 'boolean', value: true },
  false: { kind: 'boolean', value: false },
  vbBinaryCompare: { kind: 'constant', value: 0 },
  vbTextCompare: { kind: 'constant', value: 1 },
};

/**
 * Parses an Entra attribute-mapping expression. Function names are checked against the known
 * functions (case-sensitively) and their argument counts, so a job with a typo is refused when
 * it is saved, not on the millionth object of a run.
 *
 * @example
 *   parseExpression('Join(".", [givenName], [surname])');
 *   // { kind: 'call', name: 'Join', args: [...], position: 0 }
 *   parseExpression('Join(",", [a] [b])');
 *   // throws ExpressionSyntaxError: at 14: expected ')' or ',', found [b]
 */
export function parseExpression(text: string): Expression {
  const p = new Parser(tokenize(text));
  const root = p.operand();
  p.expectEnd();
  checkPlacement(root, true);
  return root;
}

class Parser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  private get token(): Token {
    return this.tokens[this.i];
  }

  // A method, not an inline comparison: TypeScript would keep a narrowed type across this.i++.
  private at(type: Token['type']): boolean {
    return this.token.type === type;
  }

  private fail(expected: string): never {
    throw new ExpressionSyntaxError(this.token.position, expected, describeToken(this.token));
  }

  expectEnd(): void {
    if (this.token.type !== 'end') {
      this.fail(this.token.type === 'operator' ? 'the end of the expression (comparisons cannot be chained)' : 'the end of the expression');
    }
  }

  /** A value, optionally compared with another: `[country] = "USA"`. */
  operand(): Expression {
    const left = this.primary();
    const t = this.token;
    if (t.type !== 'operator') return left;
    this.i++;
    const right = this.primary();
    return { kind: 'comparison', operator: t.operator, left, right, position: t.position };
  }

  private primary(): Expression {
    const t = this.token;
    switch (t.type) {
      case 'string':
        this.i++;
        return { kind: 'string', value: t.value, position: t.position };
      case 'number':
        this.i++;
        return { kind: 'number', value: t.value, raw: t.raw, position: t.position };
      case 'attribute':
        this.i++;
        return { kind: 'attribute', name: t.name, position: t.position };
      case 'identifier': {
        this.i++;
        if (this.token.type === '(') return this.call(t.text, t.position);
        const constant = CONSTANTS[t.text];
        if (constant?.kind === 'boolean') return { kind: 'boolean', value: constant.value, position: t.position };
        if (constant) return { kind: 'constant', name: t.text, value: constant.value, position: t.position };
        if (FUNCTIONS.has(t.text)) this.fail(`'(' after ${t.text}`);
        throw new ExpressionSyntaxError(t.position, OPERAND, `'${t.text}' (an attribute is written [${t.text}], a function call ${t.text}(...))`);
      }
      default:
        return this.fail(OPERAND);
    }
  }

  private call(name: string, position: number): CallExpression {
    const def = FUNCTIONS.get(name);
    if (!def) throw unknownFunction(name, position);
    this.i++; // (
    const args: Expression[] = [];
    if (this.token.type === ')') {
      this.i++;
    } else {
      for (;;) {
        const t = this.token;
        args.push(t.type === ',' || t.type === ')' ? { kind: 'omitted', position: t.position } : this.operand());
        if (this.at(',')) {
          this.i++;
        } else if (this.at(')')) {
          this.i++;
          break;
        } else {
          this.fail("')' or ','");
        }
      }
    }
    const count = args.length;
    const expected =
      count < def.minArgs || count > def.maxArgs ? arity(def.minArgs, def.maxArgs) : def.checkArgCount?.(count);
    if (expected) {
      throw new ExpressionSyntaxError(position, expected, undefined, 'EXPRESSION.ARGUMENT_COUNT', `at ${position}: ${name} expects ${expected}, got ${count}`);
    }
    const reason = ENTRA_ONLY[name];
    if (reason) {
      throw new ExpressionSyntaxError(position, 'a function idsync supports', undefined, 'EXPRESSION.NOT_SUPPORTED', `at ${position}: ${name} is not supported: ${reason}`);
    }
    return { kind: 'call', name, args, position };
  }
}

function arity(min: number, max: number): string {
  const plural = (n: number) => `${n} argument${n === 1 ? '' : 's'}`;
  if (max === Infinity) return `at least ${plural(min)}`;
  if (min === max) return plural(min);
  return `${min} to ${max} arguments`;
}

function unknownFunction(name: string, position: number): ExpressionSyntaxError {
  const near = [...FUNCTIONS.keys()].find((k) => k.toLowerCase() === name.toLowerCase());
  const hint = near ? ` (did you mean ${near}? function names are case-sensitive)` : '';
  return new ExpressionSyntaxError(position, 'a known function', undefined, 'EXPRESSION.UNKNOWN_FUNCTION', `at ${position}: unknown function '${name}'${hint}`);
}

// Entra allows SelectUniqueValue only as the whole expression: nested, the uniqueness it
// promises would apply to a value that is then changed.
function checkPlacement(node: Expression, top: boolean): void {
  if (node.kind === 'comparison') {
    checkPlacement(node.left, false);
    checkPlacement(node.right, false);
  }
  if (node.kind !== 'call') return;
  if (!top && FUNCTIONS.get(node.name)?.topLevelOnly) {
    throw new ExpressionSyntaxError(node.position, `${node.name} as the whole expression`, undefined, 'EXPRESSION.SYNTAX', `at ${node.position}: ${node.name} must be the whole expression, not nested`);
  }
  node.args.forEach((a) => checkPlacement(a, false));
}
