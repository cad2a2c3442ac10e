import type { ComparisonOperator } from './ast';
import { ExpressionSyntaxError } from './errors';

export type Token =
  | { type: 'identifier'; text: string; position: number }
  | { type: 'attribute'; name: string; position: number }
  | { type: 'string'; value: string; position: number }
  | { type: 'number'; value: number; raw: string; position: number }
  | { type: 'operator'; operator: ComparisonOperator; position: number }
  | { type: '(' | ')' | ','; position: number }
  | { type: 'end'; position: number };

const OPERAND = 'a function, [attribute], "string" or number';

/**
 * Splits an expression into tokens. Whitespace (including line breaks, as in multi-line
 * Switch expressions) separates tokens and is otherwise ignored.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: c, position: i++ });
    } else if (c === '"') {
      i = readString(text, i, tokens);
    } else if (c === '[') {
      i = readAttribute(text, i, tokens);
    } else if (c === '=' || c === '<' || c === '>') {
      const two = text.slice(i, i + 2);
      const operator: ComparisonOperator = two === '<>' || two === '<=' || two === '>=' ? two : (c as ComparisonOperator);
      tokens.push({ type: 'operator', operator, position: i });
      i += operator.length;
    } else if (isDigit(c) || (c === '-' && isDigit(text[i + 1])) || (c === '&' && /[hH]/.test(text[i + 1] ?? ''))) {
      i = readNumber(text, i, tokens);
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i])) i++;
      tokens.push({ type: 'identifier', text: text.slice(start, i), position: start });
    } else {
      throw new ExpressionSyntaxError(i, OPERAND, `'${c}'`);
    }
  }
  tokens.push({ type: 'end', position: text.length });
  return tokens;
}

// Only \" and \\ are documented escapes. Any other backslash is kept as written, so that a
// regular expression such as "\d+" survives even when its author forgot to double it.
function readString(text: string, start: number, tokens: Token[]): number {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
      value += text[i + 1];
      i += 2;
    } else if (c === '"') {
      tokens.push({ type: 'string', value, position: start });
      return i + 1;
    } else {
      value += c;
      i++;
    }
  }
  throw new ExpressionSyntaxError(text.length, `'"' to close the string opened at ${start}`);
}

function readAttribute(text: string, start: number, tokens: Token[]): number {
  const close = text.indexOf(']', start + 1);
  const newline = text.slice(start + 1, close === -1 ? undefined : close).search(/[\r\n[]/);
  if (close === -1 || newline !== -1) {
    const at = newline === -1 ? text.length : start + 1 + newline;
    throw new ExpressionSyntaxError(at, `']' to close the attribute opened at ${start}`);
  }
  const name = text.slice(start + 1, close).trim();
  if (!name) throw new ExpressionSyntaxError(start + 1, 'an attribute name');
  tokens.push({ type: 'attribute', name, position: start });
  return close + 1;
}

function readNumber(text: string, start: number, tokens: Token[]): number {
  const hex = /^&[hH]([0-9A-Fa-f]+)/.exec(text.slice(start));
  if (hex) {
    tokens.push({ type: 'number', value: parseInt(hex[1], 16), raw: hex[0], position: start });
    return start + hex[0].length;
  }
  if (text[start] === '&') throw new ExpressionSyntaxError(start + 2, 'hexadecimal digits after &H');
  const dec = /^-?\d+(\.\d+)?/.exec(text.slice(start))!;
  tokens.push({ type: 'number', value: Number(dec[0]), raw: dec[0], position: start });
  return start + dec[0].length;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** How a token reads in an error message. */
export function describeToken(t: Token): string {
  switch (t.type) {
    case 'identifier':
      return `'${t.text}'`;
    case 'attribute':
      return `[${t.name}]`;
    case 'string':
      return `"${t.value.length > 20 ? `${t.value.slice(0, 20)}...` : t.value}"`;
    case 'number':
      return t.raw;
    case 'operator':
      return `'${t.operator}'`;
    case 'end':
      return 'the end of the expression';
    default:
      return `'${t.type}'`;
  }
}

export { OPERAND };
