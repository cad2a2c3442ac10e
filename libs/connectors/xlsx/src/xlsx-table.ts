import type { Attributes } from '@idsync/connector-core';
import { CellTypeError, cellText, type XlsxColumn } from './xlsx-cell';
import { columnLetter, xlsxError, XlsxErrorCode } from './xlsx-errors';

/** The checked header row: names in sheet order, the key's index, each column's declared schema. */
export interface XlsxHeader {
  columns: string[];
  keyIndex: number;
  schema: (XlsxColumn | undefined)[];
}

interface Place {
  file: string;
  sheet: string;
}

export function readHeader(place: Place, row: number, cells: unknown[], keyColumn: string, declared: XlsxColumn[]): XlsxHeader {
  const columns: string[] = [];
  cells.forEach((cell, i) => {
    let name: string | undefined;
    try {
      name = cellText(cell)?.trim();
    } catch {
      name = undefined;
    }
    if (!name) throw xlsxError(XlsxErrorCode.MISSING_COLUMN, `header cell ${columnLetter(i + 1)}${row} has no name; name it or delete the column`, { ...place, row, column: columnLetter(i + 1) });
    const first = columns.indexOf(name);
    if (first >= 0) throw xlsxError(XlsxErrorCode.DUPLICATE_COLUMN, `column "${name}" appears twice in the header (${columnLetter(first + 1)} and ${columnLetter(i + 1)}); rename one`, { ...place, row, column: name });
    columns.push(name);
  });
  for (const name of [keyColumn, ...declared.map((c) => c.name)]) {
    if (!columns.includes(name)) {
      throw xlsxError(XlsxErrorCode.MISSING_COLUMN, `the header has no column "${name}" (it has ${columns.map((c) => `"${c}"`).join(', ')})`, { ...place, row, column: name });
    }
  }
  return { columns, keyIndex: columns.indexOf(keyColumn), schema: columns.map((c) => declared.find((d) => d.name === c)) };
}

/** Every cell of a data row as text, converted by its declared type; undefined for empty cells. */
export function rowTexts(place: Place, row: number, header: XlsxHeader, cells: unknown[]): (string | undefined)[] {
  for (let i = header.columns.length; i < cells.length; i++) {
    if (cells[i] !== undefined && cells[i] !== null) {
      throw xlsxError(XlsxErrorCode.MISSING_COLUMN, `cell ${columnLetter(i + 1)}${row} has a value but its column has no header; name the column or clear the cell`, { ...place, row, column: columnLetter(i + 1) });
    }
  }
  return header.columns.map((name, i) => {
    const column = header.schema[i];
    let text: string | undefined;
    try {
      text = cellText(cells[i], column?.type);
    } catch (e) {
      if (!(e instanceof CellTypeError)) throw e;
      const cell = `${columnLetter(i + 1)}${row}`;
      throw xlsxError(XlsxErrorCode.BAD_VALUE, `cell ${cell} has ${JSON.stringify(String(plainish(cells[i])))}, ${e.message}`, { ...place, row, column: name }, { cell, type: column?.type ?? 'string' });
    }
    if (text === undefined && column?.required) throw xlsxError(XlsxErrorCode.MISSING_VALUE, `column "${name}" is required but cell ${columnLetter(i + 1)}${row} is empty`, { ...place, row, column: name });
    return text;
  });
}

export function toAttributes(header: XlsxHeader, texts: (string | undefined)[], wanted?: Set<string>, multiValueSeparator?: string): Attributes {
  const attributes: Attributes = {};
  texts.forEach((text, i) => {
    const name = header.columns[i];
    if (text === undefined || (wanted && !wanted.has(name))) return;
    const values = multiValueSeparator ? text.split(multiValueSeparator).map((v) => v.trim()).filter((v) => v) : [text];
    if (values.length) attributes[name] = values;
  });
  return attributes;
}

function plainish(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') return JSON.stringify(value);
  return value;
}
