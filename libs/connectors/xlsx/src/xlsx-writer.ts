import { KeyedRowsFile, replaceWithTemp, syncFolder, tempFileBeside, type ConnectorOperation, type KeyedRows, type OperationOutcome } from '@idsync/connector-core';
import ExcelJS from 'exceljs';
import { open, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { XlsxColumn } from './xlsx-cell';
import { xlsxError, XlsxErrorCode } from './xlsx-errors';
import { inspectWorkbook } from './xlsx-inspect';
import type { XlsxLimits } from './xlsx-limits';
import { readSheetRows } from './xlsx-sheet-reader';
import { readHeader, rowTexts } from './xlsx-table';

export interface XlsxWriterOptions {
  path: string;
  sheet: string;
  keyColumn: string;
  headerRow: number;
  columns: XlsxColumn[];
  limits: Required<XlsxLimits>;
  multiValueSeparator?: string;
}

/** The sheet in memory: rows above the header kept as they were, the header, then rows by key in sheet order. */
interface Table extends KeyedRows {
  above: string[][];
}

/**
 * A workbook as a destination. Each apply() loads the sheet whole (keyed by the key column), applies the
 * operations in order, then streams a new workbook to a temp file in the same folder, fsyncs and renames
 * it over the old one. Every cell is written as a string, never as a formula, so "=HYPERLINK(...)"
 * from a source stays text. The workbook must hold only this sheet: rewriting it would drop the others.
 */
export class XlsxWriter {
  private readonly file: KeyedRowsFile<Table>;

  constructor(private readonly options: XlsxWriterOptions) {
    const { path, keyColumn, multiValueSeparator } = options;
    this.file = new KeyedRowsFile({ path, load: () => this.load(), write: (table) => this.write(table) }, { keyColumn, multiValueSeparator });
  }

  apply(operations: ConnectorOperation[]): Promise<OperationOutcome[]> {
    return this.file.apply(operations);
  }

  private async load(): Promise<Table> {
    const { path: file, sheet, keyColumn, headerRow, limits } = this.options;
    const table: Table = { above: [], header: [keyColumn], rows: new Map() };
    const exists = await stat(file).then(() => true, (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? false : Promise.reject(e)));
    if (!exists) {
      table.above = Array.from({ length: headerRow - 1 }, () => []);
      return table;
    }
    const { sheets } = await inspectWorkbook(file, limits);
    if (sheets.length !== 1 || sheets[0] !== sheet) {
      throw xlsxError(XlsxErrorCode.OTHER_SHEETS, `a destination workbook must hold only the sheet "${sheet}" (it has ${sheets.map((s) => `"${s}"`).join(', ')}); rewriting it would drop the others`, { file, sheet });
    }
    await inspectWorkbook(file, limits, sheet);
    const place = { file, sheet };
    let header: ReturnType<typeof readHeader> | undefined;
    const firstRow = new Map<string, number>();
    for await (const { number, cells } of readSheetRows(file, sheet, limits)) {
      if (number < headerRow) {
        table.above[number - 1] = cells.map((c) => (c === undefined || c === null ? '' : String(rowTextsLoose(c))));
        continue;
      }
      if (!header) {
        header = readHeader(place, number, cells, keyColumn, this.options.columns);
        table.header = header.columns;
        continue;
      }
      const texts = rowTexts(place, number, header, cells);
      const key = texts[header.keyIndex]?.trim();
      if (!key) throw xlsxError(XlsxErrorCode.MISSING_KEY, `the key column "${keyColumn}" is empty; fix the destination workbook`, { ...place, row: number, column: keyColumn });
      const first = firstRow.get(key);
      if (first !== undefined) throw xlsxError(XlsxErrorCode.DUPLICATE_KEY, `key "${key}" is on row ${first} and again on row ${number}`, { ...place, row: number, column: keyColumn }, { firstRow: String(first), key });
      firstRow.set(key, number);
      table.rows.set(key, texts.map((t) => t ?? ''));
    }
    table.above = Array.from({ length: headerRow - 1 }, (_, i) => table.above[i] ?? []);
    return table;
  }

  private async write(table: Table): Promise<void> {
    const file = this.options.path;
    const temp = tempFileBeside(file);
    try {
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: temp, useStyles: false, useSharedStrings: false });
      const sheet = workbook.addWorksheet(this.options.sheet);
      const add = (cells: string[]) => sheet.addRow(cells.map((c) => (c === '' ? null : c))).commit();
      table.above.forEach(add);
      add(table.header);
      const width = table.header.length;
      for (const row of table.rows.values()) add(Array.from({ length: width }, (_, i) => row[i] ?? ''));
      sheet.commit();
      await workbook.commit();
      const handle = await open(temp, 'r+');
      await handle.sync();
      await handle.close();
      await replaceWithTemp(temp, file);
    } catch (e) {
      await unlink(temp).catch(() => undefined);
      throw xlsxError(XlsxErrorCode.UNWRITABLE, `writing failed: ${(e as Error).message}; the folder must be writable`, { file });
    }
    await syncFolder(dirname(file));
  }
}

/** Title rows above the header are copied as text, whatever they hold. */
function rowTextsLoose(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const o = value as { richText?: { text: string }[]; result?: unknown; text?: unknown };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    return String(o.result ?? o.text ?? '');
  }
  return String(value);
}
