import { changedSingleValue, modeOf, type AttributeChangeOp, type ConnectorOperation, type OperationOutcome } from '@idsync/connector-core';
import type { SqlDialect, SqlSession } from './sql-dialect';
import { describe } from './sql-errors';
import type { TableColumns } from './sql-table';
import { toText } from './sql-value';

/** One operation turned into a statement shape, or already decided (refused before reaching the server). */
export type Planned =
  | {
      kind: 'upsert' | 'update' | 'delete' | 'disable';
      index: number;
      key: string;
      columns: string[];
      values: (string | null)[];
      /** The changes, in order, of an update with add or remove: `values` are then worked out from the row (see resolveValues). */
      resolve?: { column: string; change: AttributeChangeOp }[];
    }
  | { kind: 'decided'; index: number; outcome: OperationOutcome };

/**
 * Checks an operation against the table: every attribute must be a column (named in the failure otherwise),
 * hold at most one value, and the key column may not be changed to another value (that is a rename, not an upsert).
 * A column holds one value, so add and remove follow changedSingleValue: add sets an empty column, is a no-op for
 * the value already there and fails naming the column when another is there; remove sets NULL when the column holds
 * that value. A create starts from an empty row; an update with add or remove reads the row when it runs.
 */
export function plan(op: ConnectorOperation, index: number, columns: TableColumns, keyColumn: string): Planned {
  const fail = (message: string): Planned => ({ kind: 'decided', index, outcome: { status: 'failed', message } });
  if (op.kind === 'rename') return fail(`a table row has no DN to rename; ${op.dn} keeps its key`);
  if (!['create', 'update', 'delete', 'disable'].includes(op.kind)) return fail(`unknown operation kind "${op.kind}"`);
  if (!op.dn) return fail('the operation has an empty key');
  if (op.kind === 'delete') return { kind: 'delete', index, key: op.dn, columns: [], values: [] };

  const set = new Map<string, string | null>();
  const resolve: { column: string; change: AttributeChangeOp }[] = [];
  const fromRow = op.kind !== 'create' && op.changes.some((c) => modeOf(c) !== 'replace');
  for (const change of op.changes) {
    const column = columns.find(change.attribute);
    if (!column) return fail(`no column "${change.attribute}" in the table`);
    if (modeOf(change) === 'replace' && change.values.length > 1) return fail(`column "${column}" holds one value; got ${change.values.length}`);
    if (column === keyColumn) {
      // The row's key is the operation's dn: add of it is a no-op, anything else that changes it is a rename.
      const after = changedSingleValue(op.dn, change, `the key column "${column}"`);
      const value = 'error' in after ? change.values.find((v) => v !== op.dn) : after.value;
      if (value !== op.dn) return fail(`the key column "${column}" cannot change from "${op.dn}" to "${value ?? ''}"; delete and create instead`);
      continue;
    }
    if (fromRow) {
      resolve.push({ column, change });
      set.set(column, null);
      continue;
    }
    const after = changedSingleValue(set.get(column) ?? undefined, change, `column "${column}"`);
    if ('error' in after) return fail(after.error);
    set.set(column, after.value ?? null);
  }
  if (!set.size && op.kind !== 'create') return { kind: 'decided', index, outcome: { status: 'succeeded', message: 'nothing to change' } };
  // Sorted so that operations changing the same columns share one statement shape, and so one batch.
  const names = [...set.keys()].sort();
  return { kind: op.kind === 'create' ? 'upsert' : op.kind, index, key: op.dn, columns: names, values: names.map((n) => set.get(n) ?? null), ...(resolve.length ? { resolve } : {}) };
}

type Statement = Extract<Planned, { kind: 'upsert' | 'update' | 'delete' | 'disable' }>;

/**
 * Consecutive operations of one statement shape, in their given order. A batch never holds the same key twice:
 * PostgreSQL refuses to upsert a row twice in one statement, and the second operation must see the first.
 * Updates and disables are not batched: each needs its own row count to tell a missing row (see runBatch).
 */
export function batches(planned: Planned[], maxRows: number, maxParams: number): Statement[][] {
  const out: Statement[][] = [];
  let current: Statement[] = [];
  let keys = new Set<string>();
  let shape = '';
  for (const p of planned) {
    if (p.kind === 'decided') continue;
    const thisShape = `${p.kind}:${p.columns.join(',')}`;
    const perRow = p.columns.length + 1;
    const limit = Math.max(1, Math.min(maxRows, Math.floor(maxParams / perRow)));
    if (current.length && (thisShape !== shape || keys.has(p.key) || current.length >= limit || p.kind === 'disable' || p.kind === 'update')) {
      out.push(current);
      current = [];
      keys = new Set();
    }
    current.push(p);
    keys.add(p.key);
    shape = thisShape;
  }
  if (current.length) out.push(current);
  return out;
}

export interface Target {
  dialect: SqlDialect;
  /** The quoted, qualified table. */
  table: string;
  keyColumn: string;
}

/** The SQL and parameters for one batch of one shape. */
export function statementFor(target: Target, batch: Statement[]): { sql: string; params: unknown[] } {
  const { dialect: d, table, keyColumn } = target;
  const q = (c: string) => d.quote(c);
  const params: unknown[] = [];
  const next = (v: unknown) => {
    params.push(v);
    return d.param(params.length);
  };
  const first = batch[0];
  if (first.kind === 'delete') {
    return { sql: `DELETE FROM ${table} WHERE ${q(keyColumn)} IN (${batch.map((s) => next(s.key)).join(', ')})`, params };
  }
  if (first.kind === 'disable' || first.kind === 'update') {
    const sets = first.columns.map((c, i) => `${q(c)} = ${next(first.values[i])}`).join(', ');
    return { sql: `UPDATE ${table} SET ${sets} WHERE ${q(keyColumn)} = ${next(first.key)}`, params };
  }
  const rows = batch.map((s) => `(${[next(s.key), ...s.values.map(next)].join(', ')})`).join(', ');
  const columns = [keyColumn, ...first.columns].map(q).join(', ');
  return { sql: `INSERT INTO ${table} (${columns}) VALUES ${rows}${d.upsertSuffix(keyColumn, first.columns)}`, params };
}

/**
 * Runs one batch inside a savepoint. When the server refuses the batch (a constraint, a bad value), the batch is
 * rolled back to the savepoint and replayed one row at a time, each in its own savepoint, so the bad row fails
 * with the server's message and the others still succeed. Connection and transient failures are rethrown:
 * they end the whole transaction.
 */
export async function runBatch(session: SqlSession, target: Target, batch: Statement[], outcomes: OperationOutcome[]): Promise<void> {
  const isStatementError = (e: unknown) => target.dialect.classify(e) === 'statement';
  if (batch.length > 1) {
    await session.query('SAVEPOINT idsync_batch');
    try {
      const { sql, params } = statementFor(target, batch);
      await session.query(sql, params);
      await session.query('RELEASE SAVEPOINT idsync_batch');
      for (const s of batch) outcomes[s.index] = { status: 'succeeded' };
      return;
    } catch (e) {
      if (!isStatementError(e)) throw e;
      await session.query('ROLLBACK TO SAVEPOINT idsync_batch');
      await session.query('RELEASE SAVEPOINT idsync_batch');
    }
  }
  for (const planned of batch) {
    await session.query('SAVEPOINT idsync_row');
    try {
      const s = planned.resolve ? await resolveValues(session, target, planned) : planned;
      if ('status' in s) {
        await session.query('RELEASE SAVEPOINT idsync_row');
        outcomes[planned.index] = s;
        continue;
      }
      const { sql, params } = statementFor(target, [s]);
      let { rowCount } = await session.query(sql, params);
      if (s.kind === 'update' && rowCount === 0) {
        // An update is an upsert, but it must not start as an INSERT: both engines check NOT NULL columns of the
        // proposed row before they look for a conflict, so a partial row would fail even when the row exists.
        const insert = statementFor(target, [{ ...s, kind: 'upsert' }]);
        rowCount = (await session.query(insert.sql, insert.params)).rowCount;
      }
      await session.query('RELEASE SAVEPOINT idsync_row');
      outcomes[s.index] =
        s.kind === 'disable' && rowCount === 0
          ? { status: 'failed', message: `no row with ${target.keyColumn} = "${s.key}"` }
          : { status: 'succeeded' };
    } catch (e) {
      if (!isStatementError(e)) throw e;
      await session.query('ROLLBACK TO SAVEPOINT idsync_row');
      await session.query('RELEASE SAVEPOINT idsync_row');
      outcomes[planned.index] = { status: 'failed', message: describe(e) };
    }
  }
}

/**
 * The values an update with add or remove leaves: the row is read (and locked until the transaction ends, so no
 * other writer slips in between) with the columns as a snapshot reads them, then the changes apply in order. A
 * change a column cannot take fails the operation, naming the column; a missing row is as an empty one, except that
 * leaving it empty writes nothing and a disable still needs the row.
 */
export async function resolveValues(session: SqlSession, target: Target, s: Statement): Promise<Statement | OperationOutcome> {
  const { dialect: d, table, keyColumn } = target;
  const select = s.columns.map((c) => d.quote(c)).join(', ');
  const { rows } = await session.query(`SELECT ${select} FROM ${table} WHERE ${d.quote(keyColumn)} = ${d.param(1)} FOR UPDATE`, [s.key]);
  const row = rows[0];
  const current = new Map(s.columns.map((c) => [c, row ? toText(row[c]) : undefined]));
  for (const { column, change } of s.resolve ?? []) {
    const after = changedSingleValue(current.get(column), change, `column "${column}"`);
    if ('error' in after) return { status: 'failed', message: after.error };
    current.set(column, after.value);
  }
  const values = s.columns.map((c) => current.get(c) ?? null);
  if (!row && s.kind === 'disable') return { status: 'failed', message: `no row with ${keyColumn} = "${s.key}"` };
  if (!row && values.every((v) => v === null)) return { status: 'succeeded', message: `no row with ${keyColumn} = "${s.key}"; nothing to change` };
  return { kind: s.kind, index: s.index, key: s.key, columns: s.columns, values };
}
