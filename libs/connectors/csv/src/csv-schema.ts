import type { Attributes } from '@idsync/connector-core';
import { csvError, CsvErrorCode } from './csv-errors';

export type CsvColumnType = 'string' | 'number' | 'date' | 'boolean';

/** A declared column: it must be in the header; `required` means every row has a value; `type` is checked per value. */
export interface CsvColumn {
  name: string;
  required?: boolean;
  type?: CsvColumnType;
}

const CHECKS: Record<CsvColumnType, { test: (v: string) => boolean; expected: string }> = {
  string: { test: () => true, expected: 'text' },
  number: { test: (v) => /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v), expected: 'a decimal number such as 42 or -3.5 (no thousands separators)' },
  // ISO 8601 only: "03/04/2025" means two different days depending on the locale that wrote it.
  date: { test: isIsoDate, expected: 'an ISO 8601 date such as 2025-03-04 or 2025-03-04T09:30:00Z' },
  boolean: { test: (v) => /^(true|false|yes|no|1|0)$/i.test(v), expected: 'true/false, yes/no or 1/0' },
};

export function isIsoDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCMonth() === mo - 1 && day.getUTCDate() === d && !Number.isNaN(Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v));
}

/** Declared columns missing from the header, checked once before any row. */
export function checkDeclaredColumns(file: string, header: string[], columns: CsvColumn[], line: number): void {
  for (const c of columns) {
    if (!header.includes(c.name)) {
      throw csvError(CsvErrorCode.MISSING_COLUMN, `the header has no column "${c.name}" declared in the column schema`, { file, row: line, field: c.name });
    }
  }
}

/** Checks one row's attributes against the schema; the first bad value throws with the file, line and column. */
export function validateRow(file: string, line: number, attributes: Attributes, columns: CsvColumn[]): void {
  for (const c of columns) {
    const values = attributes[c.name];
    if (!values?.length) {
      if (c.required) throw csvError(CsvErrorCode.MISSING_VALUE, `column "${c.name}" is required but empty`, { file, row: line, field: c.name });
      continue;
    }
    const check = CHECKS[c.type ?? 'string'];
    for (const v of values) {
      if (!check.test(v.trim())) {
        throw csvError(CsvErrorCode.BAD_VALUE, `column "${c.name}" has "${v}", expected ${check.expected}`, { file, row: line, field: c.name }, { value: v, type: c.type ?? 'string' });
      }
    }
  }
}
