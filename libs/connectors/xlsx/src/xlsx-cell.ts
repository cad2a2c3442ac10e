export type XlsxColumnType = 'string' | 'number' | 'date' | 'boolean';

/** A declared column: it must be in the header; `type` converts and checks every value; `required` forbids empty cells. */
export interface XlsxColumn {
  name: string;
  type?: XlsxColumnType;
  required?: boolean;
}

/** Why a cell could not be converted: the message finishes "expected ...". */
export class CellTypeError extends Error {}

const EXPECTED: Record<XlsxColumnType, string> = {
  string: 'text',
  number: 'a number',
  date: 'a date (a date cell, or text in ISO 8601 form such as 2025-03-04)',
  boolean: 'TRUE/FALSE (or true/false, yes/no, 1/0)',
};
const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const ISO_DATE_TEXT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
/** Excel's serial day 25569 is 1970-01-01 (1900 date system). */
const EXCEL_EPOCH_DAYS = 25569;
const DAY_MS = 86_400_000;

/**
 * A cell's value (as exceljs reads it) as the text idsync stores, or undefined for an empty cell.
 * Numbers lose binary float noise (0.1 + 0.2 is "0.3"); dates become "YYYY-MM-DD" at midnight UTC,
 * full ISO 8601 otherwise. Formula cells give their cached result; the formula is never kept.
 */
export function cellText(value: unknown, type: XlsxColumnType = 'string'): string | undefined {
  const v = plain(value);
  if (v === undefined || v === null || (typeof v === 'string' && !v.trim())) return undefined;
  const fail = (): never => {
    throw new CellTypeError(`expected ${EXPECTED[type]}`);
  };
  switch (type) {
    case 'string':
      if (v instanceof Date) return isoDate(v);
      if (typeof v === 'number') return decimal(v);
      if (typeof v === 'boolean') return v ? 'true' : 'false';
      return typeof v === 'string' ? v : fail();
    case 'number':
      if (typeof v === 'number') return decimal(v);
      return typeof v === 'string' && NUMBER_TEXT.test(v.trim()) ? v.trim() : fail();
    case 'date':
      if (v instanceof Date) return isoDate(v);
      // A date typed into a cell without a date format is a bare serial day number.
      if (typeof v === 'number') return isoDate(new Date(Math.round((v - EXCEL_EPOCH_DAYS) * DAY_MS)));
      return typeof v === 'string' && ISO_DATE_TEXT.test(v.trim()) && !Number.isNaN(Date.parse(v.trim())) ? v.trim() : fail();
    case 'boolean':
      if (typeof v === 'boolean') return v ? 'true' : 'false';
      if (v === 1 || v === 0) return v === 1 ? 'true' : 'false';
      if (typeof v === 'string' && /^(true|yes|1)$/i.test(v.trim())) return 'true';
      if (typeof v === 'string' && /^(false|no|0)$/i.test(v.trim())) return 'false';
      return fail();
  }
}

/** Unwraps exceljs's rich text, hyperlink, formula and error values into a string, number, boolean or Date. */
function plain(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const o = value as Record<string, unknown>;
  if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((r) => r.text).join('');
  if ('formula' in o || 'sharedFormula' in o) return plain(o.result);
  if ('error' in o) throw new CellTypeError(`the cell holds the error ${String(o.error)}; fix the formula`);
  if ('text' in o) return plain(o.text);
  throw new CellTypeError('the cell holds a value of an unknown kind');
}

/** Up to 15 significant digits, the precision Excel itself shows, so 0.1 + 0.2 reads "0.3". */
export function decimal(n: number): string {
  if (!Number.isFinite(n)) throw new CellTypeError('expected a finite number');
  return Number.isInteger(n) && Math.abs(n) < 1e15 ? String(n) : String(Number(n.toPrecision(15)));
}

function isoDate(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new CellTypeError('the date is invalid');
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}
