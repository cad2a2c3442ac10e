import { ConnectorError, type ConnectorOperation, type OperationOutcome } from '@idsync/connector-core';
import { randomBytes } from 'node:crypto';
import { chmod, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
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

/** The destination file in memory: header plus rows by key, in file order (new rows at the end). */
interface Table {
  header: string[];
  rows: Map<string, string[]>;
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
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: CsvWriterOptions) {}

  apply(operations: ConnectorOperation[]): Promise<OperationOutcome[]> {
    const run = this.queue.then(() => this.applyNow(operations));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async applyNow(operations: ConnectorOperation[]): Promise<OperationOutcome[]> {
    let table: Table;
    try {
      table = await this.load();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return operations.map(() => ({ status: 'retryable', message: `could not load ${this.options.path}: ${message}` }));
    }
    const outcomes = operations.map((op) => this.applyOne(table, op));
    if (!outcomes.some((o) => o.status === 'succeeded')) return outcomes;
    try {
      await this.write(table);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      // Nothing reached the disk: every operation may be tried again.
      return operations.map(() => ({ status: 'retryable', message: `could not write ${this.options.path}: ${message}` }));
    }
    return outcomes;
  }

  private applyOne(table: Table, op: ConnectorOperation): OperationOutcome {
    const key = op.dn.trim();
    const { keyColumn, multiValueSeparator: sep } = this.options;
    if (!key) return { status: 'failed', message: `the dn is empty; it is the value of "${keyColumn}"` };
    if (op.kind === 'delete') {
      const existed = table.rows.delete(key);
      return { status: 'succeeded', message: existed ? undefined : 'no such row; nothing to delete' };
    }
    const cells = new Map<string, string>();
    for (const change of op.changes) {
      if (change.values.length > 1 && !sep) return { status: 'failed', message: `"${change.attribute}" has ${change.values.length} values; set multiValueSeparator to write several values in one cell` };
      if (sep && change.values.some((v) => v.includes(sep))) return { status: 'failed', message: `a value of "${change.attribute}" contains the separator "${sep}" and would read back as several values` };
      const cell = change.values.join(sep ?? '');
      if (!canEncode(cell, this.options.encoding ?? 'utf8')) return { status: 'failed', message: `a value of "${change.attribute}" has characters ${this.options.encoding} cannot hold` };
      if (change.attribute === keyColumn && cell.trim() !== key) return { status: 'failed', message: `"${keyColumn}" is the key column; a row cannot be renamed by an update (delete and create instead)` };
      cells.set(change.attribute, cell);
    }
    let row = table.rows.get(key);
    const existed = row !== undefined;
    if (op.kind === 'create') {
      row = [];
      table.rows.set(key, row);
    } else if (!row) {
      return { status: 'failed', message: `no row with ${keyColumn} "${key}" to ${op.kind}` };
    }
    if (op.kind === 'create') cells.set(keyColumn, key);
    for (const [column, value] of cells) {
      let i = table.header.indexOf(column);
      if (i < 0) i = table.header.push(column) - 1;
      row[i] = value;
    }
    return { status: 'succeeded', message: op.kind === 'create' && existed ? 'already existed; its values were replaced' : undefined };
  }

  private async load(): Promise<Table> {
    const { path: file, keyColumn } = this.options;
    const table: Table = { header: [], rows: new Map() };
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

  private async write(table: Table): Promise<void> {
    const file = this.options.path;
    const delimiter = this.options.delimiter ?? ',';
    const encoding = this.options.encoding ?? 'utf8';
    const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
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
      const mode = await stat(file).then((s) => s.mode, () => undefined);
      if (mode !== undefined) await chmod(temp, mode & 0o777);
      await rename(temp, file);
    } catch (e) {
      await handle.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      throw e instanceof ConnectorError ? e : csvError(CsvErrorCode.UNWRITABLE, `writing failed: ${(e as Error).message}`, { file });
    }
    await syncFolder(dirname(file));
  }
}

/** Makes the rename itself durable; some platforms cannot open a folder, which is harmless to skip. */
async function syncFolder(folder: string): Promise<void> {
  const dir = await open(folder, 'r').catch(() => undefined);
  if (!dir) return;
  await dir.sync().catch(() => undefined);
  await dir.close();
}
