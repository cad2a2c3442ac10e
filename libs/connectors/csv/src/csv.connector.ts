import { ConnectorError, type Capabilities, type Connector, type ConnectorObject, type ConnectorOperation, type OperationOutcome, type ReadOptions } from '@idsync/connector-core';
import { CsvError, parse, type Parser } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { csvError, CsvErrorCode } from './csv-errors';
import { readHeader, startLine, toAttributes, type Header } from './csv-record';

export interface CsvConnectorOptions {
  path: string;
  /** Default ','. */
  delimiter?: string;
  /** Default 'utf8'. A UTF-8 byte order mark is stripped. */
  encoding?: BufferEncoding;
  /** When set, a cell holds several values separated by it (e.g. ';'). */
  multiValueSeparator?: string;
  /** Columns the header must have, besides the key column. */
  requiredColumns?: string[];
}

/** csv-parse codes that mean the text itself is broken (quotes, record size), not our options. */
const MALFORMED = new Set(['CSV_INVALID_CLOSING_QUOTE', 'CSV_QUOTE_NOT_CLOSED', 'INVALID_OPENING_QUOTE', 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE', 'CSV_MAX_RECORD_SIZE']);

/**
 * A CSV file as a read-only source. The file is streamed: memory holds one page of objects
 * plus the keys seen so far (needed to reject duplicate keys; roughly 60-100 bytes per row on
 * top of the key's own length, so about 100 MB for a million rows).
 *
 * Errors carry the file, the line and the column. Because pages are yielded as they are read,
 * a bad row late in the file throws after earlier pages went out: the caller must treat a
 * read that threw as incomplete, never as a smaller snapshot.
 *
 * @example
 *   const hr = new CsvConnector({ path: 'people.csv', multiValueSeparator: ';' });
 *   for await (const page of hr.readSnapshot({ objectType: 'user', keyAttribute: 'employeeId' })) console.log(page.length);
 */
export class CsvConnector implements Connector {
  readonly kind = 'csv';
  readonly capabilities: Capabilities = { read: true, write: false, incremental: false };

  constructor(private readonly options: CsvConnectorOptions) {}

  async testConnection(): Promise<void> {
    await this.checkFile();
  }

  async *readSnapshot(options: ReadOptions): AsyncIterable<ConnectorObject[]> {
    const file = this.options.path;
    const keyColumn = options.keyAttribute;
    if (!keyColumn) throw new ConnectorError('CONNECTOR.CONFIG', `reading ${file} needs keyAttribute: the column that identifies a row`, { file });
    const pageSize = options.pageSize ?? 1000;
    await this.checkFile();

    let header: Header | undefined;
    let rows = 0;
    // Key → line it was first seen on, so a duplicate names both lines.
    const seen = new Map<string, number>();
    let page: ConnectorObject[] = [];
    try {
      for await (const { record, info } of this.parser()) {
        const line = startLine(info.lines, record);
        if (!header) {
          header = readHeader(file, record, line, keyColumn, this.options.requiredColumns ?? [], options.attributes);
          continue;
        }
        if (record.length !== header.columns.length) {
          throw csvError(CsvErrorCode.COLUMN_COUNT, `the row has ${record.length} fields but the header has ${header.columns.length}; quote values that contain "${this.options.delimiter ?? ','}"`, { file, row: line });
        }
        const key = record[header.keyIndex].trim();
        if (!key) throw csvError(CsvErrorCode.MISSING_KEY, `the key column "${keyColumn}" is empty; every row needs a key`, { file, row: line, field: keyColumn });
        const first = seen.get(key);
        if (first !== undefined) {
          throw csvError(CsvErrorCode.DUPLICATE_KEY, `key "${key}" is used on line ${first} and again on line ${line}; keys must be unique`, { file, row: line, field: keyColumn }, { firstRow: String(first), key });
        }
        seen.set(key, line);
        rows++;
        page.push({ key, anchor: '', attributes: toAttributes(header, record, this.options.multiValueSeparator) });
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

  async apply(operations: ConnectorOperation[]): Promise<OperationOutcome[]> {
    return operations.map(() => ({ status: 'failed', message: 'read-only: a CSV source cannot apply changes' }));
  }

  async close(): Promise<void> {}

  private parser(): AsyncIterable<{ record: string[]; info: { lines: number } }> {
    const parser: Parser = parse({
      delimiter: this.options.delimiter ?? ',',
      encoding: this.options.encoding ?? 'utf8',
      bom: true,
      info: true,
      skip_empty_lines: true,
      // Counted here instead, to report it with our own code and line.
      relax_column_count: true,
    });
    // pipeline destroys the file stream when the parser stops early (a thrown row, a break).
    return pipeline(createReadStream(this.options.path), parser, () => undefined);
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
