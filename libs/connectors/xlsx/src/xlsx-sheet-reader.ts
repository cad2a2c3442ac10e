import ExcelJS from 'exceljs';
import { xlsxError, XlsxErrorCode } from './xlsx-errors';
import type { XlsxLimits } from './xlsx-limits';

export interface SheetRow {
  /** The sheet's 1-based row number. */
  number: number;
  /** Cell values as exceljs reads them; index 0 is column A. Missing cells are undefined. */
  cells: unknown[];
}

/**
 * One sheet's rows, streamed by exceljs: memory holds the shared strings table (bounded by the
 * uncompressed size limit checked beforehand) and one row. The row, column and time limits are
 * checked on every row, so a file whose zip directory lied is still stopped.
 */
export async function* readSheetRows(file: string, sheet: string, limits: Required<XlsxLimits>): AsyncGenerator<SheetRow> {
  const deadline = Date.now() + limits.timeoutMs;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  const timedOut = (row: number) => xlsxError(XlsxErrorCode.TIMEOUT, `reading took longer than ${limits.timeoutMs} ms; the file is too large or hostile (raise limits.timeoutMs if it is genuine)`, { file, sheet, row });
  for await (const worksheet of reader) {
    // exceljs names a sheet only once it has read workbook.xml; it reads that first in files Excel writes.
    if ((worksheet as unknown as { name: string }).name !== sheet) {
      // Read through a sheet that is not wanted rather than skip it: exceljs removes a sheet's temporary file
      // as soon as the next sheet is asked for, and a file removed before its stream has opened it fails the read.
      for await (const row of worksheet) if (Date.now() > deadline) throw timedOut(row.number);
      continue;
    }
    for await (const row of worksheet) {
      if (Date.now() > deadline) throw timedOut(row.number);
      if (row.number > limits.maxRows) throw xlsxError(XlsxErrorCode.TOO_LARGE, `the sheet has more than ${limits.maxRows} rows (limits.maxRows)`, { file, sheet, row: row.number });
      const values = row.values as unknown[];
      if (values.length - 1 > limits.maxColumns) throw xlsxError(XlsxErrorCode.TOO_LARGE, `the row has ${values.length - 1} columns, over limits.maxColumns (${limits.maxColumns})`, { file, sheet, row: row.number });
      yield { number: row.number, cells: Array.from({ length: Math.max(values.length - 1, 0) }, (_, i) => values[i + 1]) };
    }
  }
}
