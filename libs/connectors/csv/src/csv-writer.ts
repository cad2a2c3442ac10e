import { ConnectorError, KeyedRowsFile, replaceWithTemp, syncFolder, tempFileBeside, type ConnectorOperation, type KeyedRows, type OperationOutcome } from '@idsync/connector-core';
import { open, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { canEncode, encodeText, type CsvEncoding } from './csv-encoding';
import { csvError, CsvErrorCode } from './csv-errors';
import { formatRow } from './csv-format';
import { parseRecords } from './csv-parser';
import { readHeader, startLine } from './csv-record';

export interface CsvWriterOptions {
  path: string;
  /** The column that holds an operation's dn. */
  keyColumn: string;
  delimiter?: string;
  encoding?: CsvEncoding;
  /** Joins several values into one cell; without it a multi-valued change fails. */
  multiValueSeparator?: string;
}

const LINES_PER_WRITE = 1000;

/**
 * A CSV file as a destination. Each apply() loads the whole file keyed by the key column, applies the
 * operations in order and rewrites the file atomically: a temp file in the same folder, fsync, rename.
 * A reader therefore sees the old file or the new one, never half of one. apply() calls on one
 * writer are serialised; two processes writing the same file are not coordinated (last rename wins).
 *
 * @example
 *   const out = new CsvWriter({ path: 'accounts.csv', keyColumn: 'uid', multiValueSeparator: '|' });
 *   await out.apply([{ kind: 'create', dn: 'ada', changes: [{ attribute: 'mail', values: ['ada@x.org'] }] }]);
 */
export class CsvWriter {
  private readonly file: KeyedRowsFile<KeyedRows>;

  constructor(private readonly options: CsvWriterOptions) {
    const { path, keyColumn, multiValueSeparator } = options;
    const encoding = options.encoding ?? 'utf8';
    this.file = new KeyedRowsFile(
      { path, load: () => this.load(), write: (table) => this.write(table) },
      { keyColumn, multiValueSeparator, refuseCell: (cell, attribute) => (canEncode(cell, encoding) ? undefined : `a value of "${attribute}" has characters ${options.encoding} cannot hold`) },
    );
  }

  apply(operations: ConnectorOperation[]): Promise<OperationOutcome[]> {
    return this.file.apply(operations);
  }

  private async load(): Promise<KeyedRows> {
    const { path: file, keyColumn } = this.options;
    const table: KeyedRows = { header: [], rows: new Map() };
    try {
      await stat(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      table.header = [keyColumn];
      return table;
    }
    const firstLine = new Map<string, number>();
    let keyIndex = -1;
    for await (const { record, info } of parseRecords(file, this.options.delimiter ?? ',', this.options.encoding ?? 'utf8')) {
      const line = startLine(info.lines, record);
      if (keyIndex < 0) {
        const header = readHeader(file, record, line, keyColumn, []);
        table.header = header.columns;
        keyIndex = header.keyIndex;
        continue;
      }
      const key = (record[keyIndex] ?? '').trim();
      if (!key) throw csvError(CsvErrorCode.MISSING_KEY, `the key column "${keyColumn}" is empty; fix the destination file`, { file, row: line, field: keyColumn });
      const first = firstLine.get(key);
      if (first !== undefined) throw csvError(CsvErrorCode.DUPLICATE_KEY, `key "${key}" is used on line ${first} and again on line ${line}`, { file, row: line, field: keyColumn }, { firstRow: String(first), key });
      firstLine.set(key, line);
      table.rows.set(key, record);
    }
    if (keyIndex < 0) table.header = [keyColumn];
    return table;
  }

  private async write(table: KeyedRows): Promise<void> {
    const file = this.options.path;
    const delimiter = this.options.delimiter ?? ',';
    const encoding = this.options.encoding ?? 'utf8';
    const temp = tempFileBeside(file);
    const width = table.header.length;
    const handle = await open(temp, 'wx').catch((e: NodeJS.ErrnoException) => {
      throw csvError(CsvErrorCode.UNWRITABLE, `cannot create a temp file beside it (${e.code}); the folder must be writable`, { file });
    });
    try {
      // The byte order mark, when wanted, goes once at the start: encode the header with it, rows without.
      await handle.write(encodeText(formatRow(table.header, delimiter) + '\r\n', encoding));
      const rowEncoding = encoding === 'utf8-bom' ? 'utf8' : encoding;
      let chunk: string[] = [];
      for (const row of table.rows.values()) {
        chunk.push(formatRow(Array.from({ length: width }, (_, i) => row[i] ?? ''), delimiter));
        if (chunk.length >= LINES_PER_WRITE) {
          await handle.write(encodeText(chunk.join('\r\n') + '\r\n', rowEncoding));
          chunk = [];
        }
      }
      if (chunk.length) await handle.write(encodeText(chunk.join('\r\n') + '\r\n', rowEncoding));
      await handle.sync();
      await handle.close();
      await replaceWithTemp(temp, file);
    } catch (e) {
      await handle.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      throw e instanceof ConnectorError ? e : csvError(CsvErrorCode.UNWRITABLE, `writing failed: ${(e as Error).message}`, { file });
    }
    await syncFolder(dirname(file));
  }
}
