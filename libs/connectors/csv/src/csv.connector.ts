import { ConnectorError, type Capabilities, type Connector, type ConnectorObject, type ConnectorSchema, type ConnectorOperation, type OperationOutcome, type ReadOptions } from '@idsync/connector-core';
import { CsvError } from 'csv-parse';
import { access, constants, stat } from 'node:fs/promises';
import type { CsvEncoding } from './csv-encoding';
import { discoverCsv } from './csv-discover';
import { csvError, CsvErrorCode } from './csv-errors';
import { parseRecords, type ParsedRecord } from './csv-parser';
import { readHeader, startLine, toAttributes, type Header } from './csv-record';
import { checkDeclaredColumns, validateRow, type CsvColumn } from './csv-schema';
import { KeyIndex } from './csv-key-index';
import { CsvWriter } from './csv-writer';

export interface CsvConnectorOptions {
  path: string;
  /** Default ','. */
  delimiter?: string;
  /** Default 'utf8' (a byte order mark is stripped); 'utf8-bom' and 'windows-1252' apply to reading and writing. */
  encoding?: CsvEncoding;
  /** When set, a cell holds several values separated by it (e.g. ';'). */
  multiValueSeparator?: string;
  /** Columns the header must have, besides the key column. */
  requiredColumns?: string[];
  /** A strict schema: each declared column must be in the header, and every row's values are checked. */
  columns?: CsvColumn[];
  /**
   * Makes the file a destination too: apply() rewrites it keyed by this column (an operation's dn is
   * the key value). Also the default keyAttribute for reads.
   */
  keyColumn?: string;
}

/** csv-parse codes that mean the text itself is broken (quotes, record size), not our options. */
const MALFORMED = new Set(['CSV_INVALID_CLOSING_QUOTE', 'CSV_QUOTE_NOT_CLOSED', 'INVALID_OPENING_QUOTE', 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE', 'CSV_MAX_RECORD_SIZE']);

/**
 * A CSV file as a source, and as a destination when `keyColumn` is set (see CsvWriter: the
 * destination file is loaded whole on each apply). Reading streams the file: memory holds one page of objects
 * plus the keys seen so far, as 64-bit hashes and line numbers (about 24 bytes a row whatever the
 * key's length, so 24-36 MB for a million rows; see KeyIndex).
 *
 * Errors carry the file, the line and the column. Because pages are yielded as they are read,
 * a bad row late in the file throws after earlier pages went out: the caller must treat a
 * read that threw as incomplete, never as a smaller snapshot.
 *
 * @example
 *   const hr = new CsvConnector({ path: 'people.csv', multiValueSeparator: ';' });
 *   for await (const page of hr.readSnapshot({ objectType: 'user', keyAttribute: 'employeeId' })) console.log(page.length);
 *   const out = new CsvConnector({ path: 'accounts.csv', keyColumn: 'uid', encoding: 'utf8-bom' });
 *   await out.apply([{ kind: 'create', dn: 'ada', changes: [{ attribute: 'mail', values: ['ada@x.org'] }] }]);
 */
export class CsvConnector implements Connector {
  readonly kind = 'csv';
  readonly capabilities: Capabilities;
  private readonly writer?: CsvWriter;

  constructor(private readonly options: CsvConnectorOptions) {
    if (options.keyColumn) this.writer = new CsvWriter({ ...options, keyColumn: options.keyColumn });
    this.capabilities = { read: true, write: !!this.writer, incremental: false };
  }

  async testConnection(): Promise<void> {
    await this.checkFile();
  }

  async *readSnapshot(options: ReadOptions): AsyncIterable<ConnectorObject[]> {
    const file = this.options.path;
    const keyColumn = options.keyAttribute ?? this.options.keyColumn;
    if (!keyColumn) throw new ConnectorError('CONNECTOR.CONFIG', `reading ${file} needs keyAttribute: the column that identifies a row`, { file });
    const pageSize = options.pageSize ?? 1000;
    await this.checkFile();

    let header: Header | undefined;
    let rows = 0;
    // Every key seen, compactly, so a duplicate is caught and both lines named (see KeyIndex).
    const seen = new KeyIndex();
    const schema = this.options.columns?.length ? this.options.columns : undefined;
    let page: ConnectorObject[] = [];
    try {
      for await (const { record, info } of this.parser()) {
        const line = startLine(info.lines, record);
        if (!header) {
          header = readHeader(file, record, line, keyColumn, this.options.requiredColumns ?? [], options.attributes);
          if (schema) checkDeclaredColumns(file, header.columns, schema, line);
          continue;
        }
        if (record.length !== header.columns.length) {
          throw csvError(CsvErrorCode.COLUMN_COUNT, `the row has ${record.length} fields but the header has ${header.columns.length}; quote values that contain "${this.options.delimiter ?? ','}"`, { file, row: line });
        }
        const key = record[header.keyIndex].trim();
        if (!key) throw csvError(CsvErrorCode.MISSING_KEY, `the key column "${keyColumn}" is empty; every row needs a key`, { file, row: line, field: keyColumn });
        const first = seen.addOrCandidate(key, line);
        if (first !== undefined) {
          if ((await this.keyOnLine(first, header.keyIndex)) !== key) {
            seen.addCollided(key, line);
          } else {
            throw csvError(CsvErrorCode.DUPLICATE_KEY, `key "${key}" is used on line ${first} and again on line ${line}; keys must be unique`, { file, row: line, field: keyColumn }, { firstRow: String(first), key });
          }
        }
        rows++;
        page.push({ key, anchor: '', attributes: this.attributes(header, record, line, schema) });
        if (page.length >= pageSize) {
          yield page;
          page = [];
        }
      }
    } catch (e) {
      throw this.translate(e);
    }
    if (!header) throw csvError(CsvErrorCode.EMPTY, 'the file has no header row; an empty source is refused so that it cannot remove every object downstream', { file });
    if (!rows) throw csvError(CsvErrorCode.EMPTY, 'the file has a header but no data rows; an empty source is refused so that it cannot remove every object downstream', { file });
    if (page.length) yield page;
  }

  /**
   * The header row's columns as the file's one object type (ANY_OBJECT_TYPE), with no anchor: strings unless `columns`
   * declares a type, multi-valued when multiValueSeparator is set, keyed by keyColumn ('' when each read names it).
   * CSV.FILE_NOT_FOUND, CSV.EMPTY for a file without a header.
   */
  async discover(): Promise<ConnectorSchema> {
    await this.checkFile();
    try {
      return await discoverCsv(this.options, this.parser());
    } catch (e) {
      throw this.translate(e);
    }
  }

  async apply(operations: ConnectorOperation[]): Promise<OperationOutcome[]> {
    if (this.writer) return this.writer.apply(operations);
    return operations.map(() => ({ status: 'failed', message: 'read-only: a CSV source cannot apply changes; set keyColumn to write' }));
  }

  async close(): Promise<void> {}

  /** With a schema, every column is checked, including those the read does not keep. */
  private attributes(header: Header, record: string[], line: number, schema?: CsvColumn[]) {
    const sep = this.options.multiValueSeparator;
    if (!schema) return toAttributes(header, record, sep);
    const all = toAttributes({ ...header, wanted: header.columns.map((_, i) => i) }, record, sep);
    validateRow(this.options.path, line, all, schema);
    if (header.wanted.length === header.columns.length) return all;
    return Object.fromEntries(header.wanted.map((i) => header.columns[i]).filter((c) => all[c]).map((c) => [c, all[c]]));
  }

  /** The key of the record starting on `line`, read again from the file: confirms a KeyIndex candidate. */
  private async keyOnLine(line: number, keyIndex: number): Promise<string | undefined> {
    let header = true;
    for await (const { record, info } of this.parser()) {
      if (header) {
        header = false;
        continue;
      }
      const start = startLine(info.lines, record);
      if (start === line) return record[keyIndex]?.trim();
      if (start > line) return undefined;
    }
    return undefined;
  }

  private parser(): AsyncIterable<ParsedRecord> {
    return parseRecords(this.options.path, this.options.delimiter ?? ',', this.options.encoding ?? 'utf8');
  }

  private async checkFile(): Promise<void> {
    const file = this.options.path;
    try {
      if (!(await stat(file)).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      await access(file, constants.R_OK);
    } catch (e) {
      throw this.translate(e);
    }
  }

  private translate(e: unknown): unknown {
    const file = this.options.path;
    if (e instanceof ConnectorError) return e;
    if (e instanceof CsvError) {
      if (MALFORMED.has(e.code)) return csvError(CsvErrorCode.MALFORMED, `${e.message}; check the quotes around that line`, { file, row: Number(e.lines) }, { reason: e.code });
      return new ConnectorError('CONNECTOR.CONFIG', `${file}: ${e.message}`, { file });
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return csvError(CsvErrorCode.FILE_NOT_FOUND, 'no such file; check the path', { file });
    if (code === 'EACCES' || code === 'EPERM') return csvError(CsvErrorCode.UNREADABLE, 'permission denied; the connector service must be able to read the file', { file });
    return e;
  }
}
