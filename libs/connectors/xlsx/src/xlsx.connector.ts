import { ConnectorError, type Capabilities, type Connector, type ConnectorObject, type ConnectorSchema, type ConnectorOperation, type OperationOutcome, type ReadOptions } from '@idsync/connector-core';
import { access, constants, stat } from 'node:fs/promises';
import type { XlsxColumn } from './xlsx-cell';
import { discoverXlsx } from './xlsx-discover';
import { xlsxError, XlsxErrorCode } from './xlsx-errors';
import { inspectWorkbook } from './xlsx-inspect';
import { DEFAULT_LIMITS, type XlsxLimits } from './xlsx-limits';
import { readSheetRows } from './xlsx-sheet-reader';
import { readHeader, rowTexts, toAttributes, type XlsxHeader } from './xlsx-table';
import { XlsxWriter } from './xlsx-writer';

export interface XlsxConnectorOptions {
  path: string;
  /** The sheet's name as shown on its tab. */
  sheet: string;
  /** The row holding column names; rows above it (titles) are skipped. Default 1. */
  headerRow?: number;
  /** Makes the workbook a destination (apply() rewrites it keyed by this column) and is the default read key. */
  keyColumn?: string;
  /** Declared columns: each must be in the header; values are converted and checked by type. */
  columns?: XlsxColumn[];
  /** When set, a cell holds several values separated by it (e.g. '|'). */
  multiValueSeparator?: string;
  limits?: XlsxLimits;
}

/**
 * One sheet of an Excel workbook (.xlsx) as a source, and as a destination when `keyColumn` is set.
 * Before exceljs streams the file, its zip directory is inspected so password-protected, macro-enabled,
 * zip-bomb and absurdly sized workbooks are refused with a clear code, within fixed memory and time.
 *
 * @example
 *   const hr = new XlsxConnector({ path: 'people.xlsx', sheet: 'Staff', keyColumn: 'employeeId',
 *     columns: [{ name: 'hired', type: 'date' }, { name: 'salary', type: 'number' }] });
 *   for await (const page of hr.readSnapshot({ objectType: 'user' })) console.log(page.length);
 */
export class XlsxConnector implements Connector {
  readonly kind = 'xlsx';
  readonly capabilities: Capabilities;
  private readonly limits: Required<XlsxLimits>;
  private readonly writer?: XlsxWriter;

  constructor(private readonly options: XlsxConnectorOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    const headerRow = options.headerRow ?? 1;
    if (!Number.isInteger(headerRow) || headerRow < 1) throw new ConnectorError('CONNECTOR.CONFIG', `headerRow must be a row number from 1 (got ${headerRow})`, { file: options.path });
    if (options.keyColumn) {
      this.writer = new XlsxWriter({ ...options, keyColumn: options.keyColumn, headerRow, columns: options.columns ?? [], limits: this.limits });
    }
    this.capabilities = { read: true, write: !!this.writer, incremental: false };
  }

  async testConnection(): Promise<void> {
    await this.checkFile();
    await inspectWorkbook(this.options.path, this.limits, this.options.sheet);
  }

  async *readSnapshot(options: ReadOptions): AsyncIterable<ConnectorObject[]> {
    const { path: file, sheet } = this.options;
    const keyColumn = options.keyAttribute ?? this.options.keyColumn;
    if (!keyColumn) throw new ConnectorError('CONNECTOR.CONFIG', `reading ${file} needs keyAttribute: the column that identifies a row`, { file });
    const pageSize = options.pageSize ?? 1000;
    const headerRow = this.options.headerRow ?? 1;
    const wanted = options.attributes?.length ? new Set(options.attributes) : undefined;
    await this.checkFile();
    await inspectWorkbook(file, this.limits, sheet);

    const place = { file, sheet };
    let header: XlsxHeader | undefined;
    let rows = 0;
    // Key → row it was first seen on, so a duplicate names both rows.
    const seen = new Map<string, number>();
    let page: ConnectorObject[] = [];
    for await (const { number, cells } of readSheetRows(file, sheet, this.limits)) {
      if (number < headerRow) continue;
      if (!header) {
        if (number > headerRow) throw xlsxError(XlsxErrorCode.EMPTY, `header row ${headerRow} is empty; set headerRow to the row holding the column names`, { ...place, row: headerRow });
        header = readHeader(place, number, cells, keyColumn, this.options.columns ?? []);
        continue;
      }
      if (cells.every((c) => c === undefined || c === null)) continue;
      const texts = rowTexts(place, number, header, cells);
      const key = texts[header.keyIndex]?.trim();
      if (!key) throw xlsxError(XlsxErrorCode.MISSING_KEY, `the key column "${keyColumn}" is empty; every row needs a key`, { ...place, row: number, column: keyColumn });
      const first = seen.get(key);
      if (first !== undefined) {
        throw xlsxError(XlsxErrorCode.DUPLICATE_KEY, `key "${key}" is on row ${first} and again on row ${number}; keys must be unique`, { ...place, row: number, column: keyColumn }, { firstRow: String(first), key });
      }
      seen.set(key, number);
      rows++;
      page.push({ key, anchor: '', attributes: toAttributes(header, texts, wanted, this.options.multiValueSeparator) });
      if (page.length >= pageSize) {
        yield page;
        page = [];
      }
    }
    if (!header) throw xlsxError(XlsxErrorCode.EMPTY, `the sheet has no header row (row ${headerRow}); an empty source is refused so that it cannot remove every object downstream`, place);
    if (!rows) throw xlsxError(XlsxErrorCode.EMPTY, 'the sheet has a header but no data rows; an empty source is refused so that it cannot remove every object downstream', place);
    if (page.length) yield page;
  }

  /**
   * The header row's columns as the sheet's one object type (ANY_OBJECT_TYPE), with no anchor: typed and required as
   * `columns` declares them (number → decimal, date → datetime), strings otherwise, multi-valued when
   * multiValueSeparator is set, keyed by keyColumn ('' when each read names it). The workbook is inspected first, as
   * for a read (XLSX.FILE_NOT_FOUND, XLSX.ENCRYPTED...); XLSX.EMPTY for a sheet without its header row.
   */
  async discover(): Promise<ConnectorSchema> {
    await this.checkFile();
    await inspectWorkbook(this.options.path, this.limits, this.options.sheet);
    return discoverXlsx(this.options, this.limits);
  }

  async apply(operations: ConnectorOperation[]): Promise<OperationOutcome[]> {
    if (this.writer) return this.writer.apply(operations);
    return operations.map(() => ({ status: 'failed', message: 'read-only: set keyColumn to write to this workbook' }));
  }

  async close(): Promise<void> {}

  private async checkFile(): Promise<void> {
    const file = this.options.path;
    try {
      if (!(await stat(file)).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      await access(file, constants.R_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') throw xlsxError(XlsxErrorCode.UNREADABLE, 'permission denied; the connector service must be able to read the file', { file });
      throw xlsxError(XlsxErrorCode.FILE_NOT_FOUND, 'no such file; check the path', { file });
    }
  }
}
