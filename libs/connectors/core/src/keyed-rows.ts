import type { ConnectorOperation, OperationOutcome } from './connector';
import { changedSingleValue, changedValues, modeOf } from './value-changes';

/** A destination table in memory: the header, then each row by its key, in file order (new rows at the end). */
export interface KeyedRows {
  header: string[];
  rows: Map<string, string[]>;
}

/** How operations become cells. */
export interface KeyedRowRules {
  /** The column that holds an operation's dn. */
  keyColumn: string;
  /** Joins several values into one cell; without it a multi-valued change fails. */
  multiValueSeparator?: string;
  /** A reason the format cannot hold this cell (e.g. a character the file's encoding lacks), or undefined. */
  refuseCell?: (cell: string, attribute: string) => string | undefined;
}

/** Where a KeyedRowsFile loads its table from and writes it back to; the format's own code. */
export interface KeyedRowsStore<T extends KeyedRows> {
  /** For messages. */
  path: string;
  /** The whole destination; a missing file is an empty table, a broken one throws. */
  load(): Promise<T>;
  /** Replaces the destination with the table, atomically, or throws having changed nothing. */
  write(table: T): Promise<void>;
}

/**
 * Applies one operation to a keyed table, in memory. create adds the row (or replaces the values
 * of an existing one), update and disable set cells of an existing row, delete removes it (a
 * missing row counts as deleted). A change in add or remove mode changes values within the cell
 * when there is a multiValueSeparator; without one the cell holds one value (see
 * changedSingleValue). Cells of columns the table lacks add the column. An operation the table
 * cannot express fails alone and changes nothing.
 *
 * @example
 *   const table = { header: ['uid'], rows: new Map() };
 *   applyToKeyedRows(table, { kind: 'create', dn: 'ada', changes: [{ attribute: 'cn', values: ['Ada'] }] }, { keyColumn: 'uid' });
 *   // table.header: ['uid', 'cn'], table.rows: ada => ['ada', 'Ada']
 */
export function applyToKeyedRows(table: KeyedRows, op: ConnectorOperation, rules: KeyedRowRules): OperationOutcome {
  const key = op.dn.trim();
  const { keyColumn, multiValueSeparator: sep } = rules;
  if (!key) return { status: 'failed', message: `the dn is empty; it is the value of "${keyColumn}"` };
  if (op.kind === 'delete') return { status: 'succeeded', message: table.rows.delete(key) ? undefined : 'no such row; nothing to delete' };
  if (op.kind === 'rename') return { status: 'failed', message: `a row has no DN to rename; "${key}" keeps its ${keyColumn}` };
  let row = table.rows.get(key);
  const existed = row !== undefined;
  const cells = new Map<string, string>();
  // add and remove start from the cell as the earlier changes left it; a create starts from an empty row.
  const cellBefore = (attribute: string): string => cells.get(attribute) ?? (op.kind === 'create' || !row ? '' : (row[table.header.indexOf(attribute)] ?? ''));
  for (const change of op.changes) {
    const mode = modeOf(change);
    if (mode === 'replace' && change.values.length > 1 && !sep) return { status: 'failed', message: `"${change.attribute}" has ${change.values.length} values; set multiValueSeparator to write several values in one cell` };
    if (sep && change.values.some((v) => v.includes(sep))) return { status: 'failed', message: `a value of "${change.attribute}" contains the separator "${sep}" and would read back as several values` };
    let cell = change.values.join(sep ?? '');
    if (mode !== 'replace') {
      const before = cellBefore(change.attribute);
      if (sep) {
        // Split as the readers split a cell: trimmed, without empty values.
        cell = changedValues(before.split(sep).map((v) => v.trim()).filter((v) => v), change).join(sep);
      } else {
        const after = changedSingleValue(before === '' ? undefined : before, change, `"${change.attribute}"`);
        if ('error' in after) return { status: 'failed', message: `${after.error}; set multiValueSeparator to write several values in one cell` };
        cell = after.value ?? '';
      }
    }
    const refused = rules.refuseCell?.(cell, change.attribute);
    if (refused) return { status: 'failed', message: refused };
    if (change.attribute === keyColumn && cell.trim() !== key) return { status: 'failed', message: `"${keyColumn}" is the key column; a row cannot be renamed by an update (delete and create instead)` };
    cells.set(change.attribute, cell);
  }
  if (op.kind === 'create') {
    row = [];
    table.rows.set(key, row);
    cells.set(keyColumn, key);
  }
  if (!row) return { status: 'failed', message: `no row with ${keyColumn} "${key}" to ${op.kind}` };
  for (const [column, value] of cells) {
    let i = table.header.indexOf(column);
    if (i < 0) i = table.header.push(column) - 1;
    row[i] = value;
  }
  return { status: 'succeeded', message: op.kind === 'create' && existed ? 'already existed; its values were replaced' : undefined };
}

/**
 * A file of keyed rows as a destination (CSV, a worksheet): each apply() loads the whole table,
 * applies the operations in order with applyToKeyedRows and, when any succeeded, writes it back.
 * When the table cannot be loaded or written, every operation is retryable: nothing reached the
 * disk. apply() calls on one instance are serialised; two processes writing the same file are
 * not coordinated.
 *
 * @example
 *   const file = new KeyedRowsFile({ path, load: () => loadCsv(path), write: (t) => writeCsv(path, t) }, { keyColumn: 'uid' });
 *   const outcomes = await file.apply(operations);
 */
export class KeyedRowsFile<T extends KeyedRows> {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: KeyedRowsStore<T>,
    private readonly rules: KeyedRowRules,
  ) {}

  apply(operations: ConnectorOperation[]): Promise<OperationOutcome[]> {
    const run = this.queue.then(() => this.applyNow(operations));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async applyNow(operations: ConnectorOperation[]): Promise<OperationOutcome[]> {
    let table: T;
    try {
      table = await this.store.load();
    } catch (e) {
      return operations.map(() => ({ status: 'retryable', message: `could not load ${this.store.path}: ${errorMessage(e)}` }));
    }
    const outcomes = operations.map((op) => applyToKeyedRows(table, op, this.rules));
    if (!outcomes.some((o) => o.status === 'succeeded')) return outcomes;
    try {
      await this.store.write(table);
    } catch (e) {
      // Nothing reached the disk: every operation may be tried again.
      return operations.map(() => ({ status: 'retryable', message: `could not write ${this.store.path}: ${errorMessage(e)}` }));
    }
    return outcomes;
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
