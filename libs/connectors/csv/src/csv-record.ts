import type { Attributes } from '@idsync/connector-core';
import { csvError, CsvErrorCode } from './csv-errors';

export interface Header {
  /** Column names, trimmed, in file order. */
  columns: string[];
  /** Index of the key column. */
  keyIndex: number;
  /** Indexes of the columns copied into attributes. */
  wanted: number[];
}

/** Checks the header row: every column named once, the key and the required columns present. */
export function readHeader(file: string, cells: string[], line: number, keyColumn: string, required: string[], wanted?: string[]): Header {
  const columns = cells.map((c) => c.trim());
  const seen = new Map<string, number>();
  columns.forEach((name, i) => {
    if (!name) throw csvError(CsvErrorCode.MISSING_COLUMN, `header column ${i + 1} has no name; name it or remove the column`, { file, row: line, field: `column ${i + 1}` });
    const first = seen.get(name);
    if (first !== undefined) {
      throw csvError(CsvErrorCode.DUPLICATE_COLUMN, `column "${name}" appears twice in the header (columns ${first + 1} and ${i + 1}); rename one`, { file, row: line, field: name });
    }
    seen.set(name, i);
  });
  for (const name of [keyColumn, ...required]) {
    if (!seen.has(name)) {
      throw csvError(CsvErrorCode.MISSING_COLUMN, `the header has no column "${name}" (it has ${columns.map((c) => `"${c}"`).join(', ')})`, { file, row: line, field: name });
    }
  }
  const want = wanted?.length ? new Set(wanted) : undefined;
  return {
    columns,
    keyIndex: seen.get(keyColumn)!,
    wanted: columns.map((_, i) => i).filter((i) => !want || want.has(columns[i])),
  };
}

/**
 * One data row as attributes. A cell that is empty or only whitespace is no value at all:
 * writing " " to a destination is never what a spreadsheet meant. Values are otherwise kept as
 * they are; parts of a multi-valued cell are trimmed, since "a; b" is how people type lists.
 */
export function toAttributes(header: Header, cells: string[], multiValueSeparator?: string): Attributes {
  const attributes: Attributes = {};
  for (const i of header.wanted) {
    const cell = cells[i] ?? '';
    if (!cell.trim()) continue;
    const values = multiValueSeparator
      ? cell
          .split(multiValueSeparator)
          .map((v) => v.trim())
          .filter((v) => v)
      : [cell];
    if (values.length) attributes[header.columns[i]] = values;
  }
  return attributes;
}

/** The file line a record starts on: csv-parse reports the line it ends on, and a quoted value may span lines. */
export function startLine(endLine: number, cells: string[]): number {
  let breaks = 0;
  for (const c of cells) breaks += c.match(/\r\n|\r|\n/g)?.length ?? 0;
  return endLine - breaks;
}
