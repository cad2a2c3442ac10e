import { fail } from './errors';
import { formatUsDateTime, parseDateTime } from './dates/date-parse';

/** Attribute name → values, as read from a source object. Absent or [] means no value. */
export type AttributeValues = Record<string, string[] | undefined>;

/**
 * What an expression can produce: a string, several strings (a multi-valued attribute),
 * a boolean, a number, or null for "no value".
 */
export type ExpressionValue = string | string[] | boolean | number | null;

/** Returned by IgnoreFlowIfNullOrEmpty: leave the target attribute out of the flow entirely. */
export const IGNORE_FLOW: unique symbol = Symbol('IgnoreFlowIfNullOrEmpty');

export type ExpressionResult = ExpressionValue | typeof IGNORE_FLOW;

/** Inside the evaluator a value may also be a DateTime (CDate, Now, DateAdd...). */
export type Value = ExpressionValue | Date;

export function isEmpty(v: Value | undefined): boolean {
  if (v === null || v === undefined || v === '') return true;
  return Array.isArray(v) && v.every((s) => s === '');
}

/** A single string, as a function argument that takes one; multi-valued input is refused. */
export function toText(v: Value | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v instanceof Date) return formatUsDateTime(v);
  if (v.length === 0) return null;
  if (v.length === 1) return v[0];
  return fail(`expects a single value, got ${v.length} values`);
}

/**
 * Applies a string transform to each value of a multi-valued input, or to the single value.
 * Null stays null: a missing attribute never turns into a made-up value.
 */
export function mapText(v: Value | undefined, f: (s: string) => string): string | string[] | null {
  if (Array.isArray(v)) return v.length === 1 ? f(v[0]) : v.map(f);
  const s = toText(v);
  return s === null ? null : f(s);
}

const NUMBER = /^\s*-?\d+(\.\d+)?\s*$/;

export function toNumber(v: Value | undefined, what = 'a number'): number | null {
  if (typeof v === 'number') return v;
  const s = toText(v);
  if (s === null || s === '') return null;
  if (NUMBER.test(s)) return Number(s);
  const hex = /^\s*&[hH]([0-9A-Fa-f]+)\s*$/.exec(s);
  if (hex) return parseInt(hex[1], 16);
  return fail(`expects ${what}, got "${s}"`);
}

export function toInteger(v: Value | undefined, what: string): number | null {
  const n = toNumber(v, what);
  if (n !== null && !Number.isInteger(n)) fail(`expects ${what}, got ${n}`);
  return n;
}

/** For IIF and CBool: True/False (any case), numbers (non-zero is true); no value is false. */
export function toBoolean(v: Value | undefined): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  const s = toText(v);
  if (s === null || s === '') return false;
  const t = s.trim().toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (NUMBER.test(t)) return Number(t) !== 0;
  return fail(`expects True or False, got "${s}"`);
}

export function toDate(v: Value | undefined): Date | null {
  if (v instanceof Date) return v;
  const s = toText(v);
  if (s === null || s.trim() === '') return null;
  return parseDateTime(s) ?? fail(`cannot read "${s}" as a date`);
}

/** The public shape of a value: DateTimes become Entra's "M/d/yyyy h:mm:ss tt" text. */
export function toResult(v: Value | undefined): ExpressionValue {
  if (v === undefined) return null;
  if (v instanceof Date) return formatUsDateTime(v);
  return v;
}
