import { ConnectorError } from '@idsync/connector-core';

/** Stable codes of everything a CSV source can reject; callers and the UI switch on these, not on messages. */
export const CsvErrorCode = {
  FILE_NOT_FOUND: 'CSV.FILE_NOT_FOUND',
  UNREADABLE: 'CSV.UNREADABLE',
  EMPTY: 'CSV.EMPTY',
  MISSING_COLUMN: 'CSV.MISSING_COLUMN',
  DUPLICATE_COLUMN: 'CSV.DUPLICATE_COLUMN',
  MISSING_KEY: 'CSV.MISSING_KEY',
  DUPLICATE_KEY: 'CSV.DUPLICATE_KEY',
  MALFORMED: 'CSV.MALFORMED',
  COLUMN_COUNT: 'CSV.COLUMN_COUNT',
  MISSING_VALUE: 'CSV.MISSING_VALUE',
  BAD_VALUE: 'CSV.BAD_VALUE',
  UNWRITABLE: 'CSV.UNWRITABLE',
} as const;
export type CsvErrorCode = (typeof CsvErrorCode)[keyof typeof CsvErrorCode];

/** Where in the file the problem is: `row` is the 1-based line number in the file (the header is line 1). */
export interface CsvPlace {
  file: string;
  row?: number;
  field?: string;
}

export function csvError(code: CsvErrorCode, message: string, place: CsvPlace, extra: Record<string, string> = {}): ConnectorError {
  const details: Record<string, string> = { file: place.file, ...extra };
  if (place.row !== undefined) details.row = String(place.row);
  if (place.field !== undefined) details.field = place.field;
  const where = place.row === undefined ? place.file : `${place.file} line ${place.row}`;
  return new ConnectorError(code, `${where}: ${message}`, details);
}
