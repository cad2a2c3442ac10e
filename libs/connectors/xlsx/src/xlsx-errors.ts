import { ConnectorError } from '@idsync/connector-core';

/** Stable codes of everything an Excel workbook can be refused for; callers switch on these, not on messages. */
export const XlsxErrorCode = {
  FILE_NOT_FOUND: 'XLSX.FILE_NOT_FOUND',
  UNREADABLE: 'XLSX.UNREADABLE',
  NOT_XLSX: 'XLSX.NOT_XLSX',
  ENCRYPTED: 'XLSX.ENCRYPTED',
  MACROS: 'XLSX.MACROS',
  ZIP_BOMB: 'XLSX.ZIP_BOMB',
  TOO_LARGE: 'XLSX.TOO_LARGE',
  TIMEOUT: 'XLSX.TIMEOUT',
  NO_SUCH_SHEET: 'XLSX.NO_SUCH_SHEET',
  OTHER_SHEETS: 'XLSX.OTHER_SHEETS',
  EMPTY: 'XLSX.EMPTY',
  MISSING_COLUMN: 'XLSX.MISSING_COLUMN',
  DUPLICATE_COLUMN: 'XLSX.DUPLICATE_COLUMN',
  MISSING_KEY: 'XLSX.MISSING_KEY',
  DUPLICATE_KEY: 'XLSX.DUPLICATE_KEY',
  MISSING_VALUE: 'XLSX.MISSING_VALUE',
  BAD_VALUE: 'XLSX.BAD_VALUE',
  UNWRITABLE: 'XLSX.UNWRITABLE',
} as const;
export type XlsxErrorCode = (typeof XlsxErrorCode)[keyof typeof XlsxErrorCode];

/** Where the problem is: `row` is the sheet's 1-based row number, `column` the header name or the letter. */
export interface XlsxPlace {
  file: string;
  sheet?: string;
  row?: number;
  column?: string;
}

export function xlsxError(code: XlsxErrorCode, message: string, place: XlsxPlace, extra: Record<string, string> = {}): ConnectorError {
  const details: Record<string, string> = { file: place.file, ...extra };
  if (place.sheet !== undefined) details.sheet = place.sheet;
  if (place.row !== undefined) details.row = String(place.row);
  if (place.column !== undefined) details.column = place.column;
  const where = [place.file, place.sheet && `sheet "${place.sheet}"`, place.row !== undefined && `row ${place.row}`, place.column && `column "${place.column}"`].filter(Boolean).join(', ');
  return new ConnectorError(code, `${where}: ${message}`, details);
}

/** Excel's column letters: 1 → A, 27 → AA. */
export function columnLetter(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

export function columnNumber(letters: string): number {
  return [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
}
