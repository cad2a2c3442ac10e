import type { ConnectorOperation } from '@idsync/connector-core';
import { batches, plan, statementFor, type Planned, type Target } from './sql-apply';
import type { SqlDialect } from './sql-dialect';
import { TableColumns } from './sql-table';

const columns = new TableColumns(['id', 'name', 'mail', 'age']);
const op = (kind: ConnectorOperation['kind'], dn: string, attributes: Record<string, string[]> = {}): ConnectorOperation => ({
  kind,
  dn,
  changes: Object.entries(attributes).map(([attribute, values]) => ({ attribute, values })),
});

// Only what statementFor uses; the rest of the dialect talks to a server.
const postgresLike = {
  quote: (c: string) => `"${c}"`,
  param: (n: number) => `$${n}`,
  upsertSuffix: (key: string, cols: string[]) => ` ON CONFLICT ("${key}") DO UPDATE SET ${cols.map((c) => `"${c}" = EXCLUDED."${c}"`).join(', ')}`,
} as unknown as SqlDialect;
const target: Target = { dialect: postgresLike, table: '"hr"."people"', keyColumn: 'id' };

describe('plan', () => {
  it('maps attributes to real columns case-insensitively, sorted, [] as NULL', () => {
    expect(plan(op('create', 'a', { NAME: ['Ada'], Mail: [], id: ['a'] }), 0, columns, 'id')).toEqual({ kind: 'upsert', index: 0, key: 'a', columns: ['mail', 'name'], values: [null, 'Ada'] });
  });

  it('refuses unknown columns by name, several values, and a changed key', () => {
    expect(plan(op('update', 'a', { 'name; DROP': ['x'] }), 3, columns, 'id')).toEqual({ kind: 'decided', index: 3, outcome: { status: 'failed', message: 'no column "name; DROP" in the table' } });
    expect(plan(op('update', 'a', { mail: ['x', 'y'] }), 0, columns, 'id')).toMatchObject({ outcome: { status: 'failed', message: 'column "mail" holds one value; got 2' } });
    expect(plan(op('update', 'a', { id: ['b'] }), 0, columns, 'id')).toMatchObject({ outcome: { status: 'failed' } });
    expect(plan(op('update', '', { mail: ['x'] }), 0, columns, 'id')).toMatchObject({ outcome: { status: 'failed', message: 'the operation has an empty key' } });
  });

  it('folds add and remove of a create from an empty row, and leaves those of an update to the row, in order', () => {
    const add = (attribute: string, ...values: string[]) => ({ attribute, values, mode: 'add' as const });
    const remove = (attribute: string, ...values: string[]) => ({ attribute, values, mode: 'remove' as const });
    expect(plan({ kind: 'create', dn: 'a', changes: [add('mail', 'x'), remove('name', 'y'), add('id', 'a')] }, 0, columns, 'id')).toEqual({ kind: 'upsert', index: 0, key: 'a', columns: ['mail', 'name'], values: ['x', null] });
    expect(plan({ kind: 'create', dn: 'a', changes: [add('mail', 'x'), add('mail', 'y')] }, 0, columns, 'id')).toMatchObject({ outcome: { status: 'failed', message: 'column "mail" holds "x"; adding "y" would give it a second value, and it holds one' } });
    const update = plan({ kind: 'update', dn: 'a', changes: [{ attribute: 'NAME', values: ['n'] }, add('Mail', 'x'), remove('mail', 'x')] }, 1, columns, 'id');
    expect(update).toMatchObject({ kind: 'update', key: 'a', columns: ['mail', 'name'], resolve: [{ column: 'name' }, { column: 'mail', change: { mode: 'add' } }, { column: 'mail', change: { mode: 'remove' } }] });
    expect(plan({ kind: 'update', dn: 'a', changes: [remove('id', 'a')] }, 0, columns, 'id')).toMatchObject({ outcome: { status: 'failed', message: expect.stringMatching(/key column "id" cannot change/) } });
    expect(plan({ kind: 'update', dn: 'a', changes: [add('id', 'b')] }, 0, columns, 'id')).toMatchObject({ outcome: { status: 'failed', message: expect.stringMatching(/key column "id" cannot change from "a" to "b"/) } });
  });

  it('treats an update without changes as done', () => {
    expect(plan(op('update', 'a', { id: ['a'] }), 0, columns, 'id')).toMatchObject({ outcome: { status: 'succeeded', message: 'nothing to change' } });
  });
});

describe('batches', () => {
  const planned = (ops: ConnectorOperation[]): Planned[] => ops.map((o, i) => plan(o, i, columns, 'id'));

  it('groups consecutive operations of one shape, up to the row and parameter limits', () => {
    const creates = Array.from({ length: 5 }, (_, i) => op('create', `u${i}`, { name: ['N'] }));
    expect(batches(planned(creates), 2, 1000).map((b) => b.map((s) => s.index))).toEqual([[0, 1], [2, 3], [4]]);
    // Two parameters a row (key and name), at most five parameters: two rows a statement.
    expect(batches(planned(creates), 100, 5).map((b) => b.length)).toEqual([2, 2, 1]);
  });

  it('keeps order: splits on a change of shape, a repeated key, and never batches updates or disables', () => {
    const ops = [
      op('create', 'a', { name: ['A'] }),
      op('create', 'b', { name: ['B'] }),
      op('create', 'c', { name: ['C'], mail: ['c@x'] }),
      op('delete', 'a'),
      op('delete', 'b'),
      op('delete', 'a'),
      op('update', 'c', { mail: ['1'] }),
      op('update', 'd', { mail: ['2'] }),
      op('disable', 'e', { mail: [] }),
      op('update', 'x', { nope: ['1'] }),
    ];
    expect(batches(planned(ops), 100, 1000).map((b) => b.map((s) => s.index))).toEqual([[0, 1], [2], [3, 4], [5], [6], [7], [8]]);
  });
});

describe('statementFor', () => {
  const statements = (ops: ConnectorOperation[]) => batches(ops.map((o, i) => plan(o, i, columns, 'id')), 100, 1000).map((b) => statementFor(target, b));

  it('builds multi-row upserts, IN deletes and single-row updates with every value as a parameter', () => {
    const [upsert, del, update] = statements([
      op('create', "o'brien", { name: ["O'Brien"], age: ['3'] }),
      op('create', 'b', { name: ['B'], age: [] }),
      op('delete', 'x'),
      op('delete', 'y'),
      op('disable', 'z', { mail: ['off'] }),
    ]);
    expect(upsert).toEqual({
      sql: 'INSERT INTO "hr"."people" ("id", "age", "name") VALUES ($1, $2, $3), ($4, $5, $6) ON CONFLICT ("id") DO UPDATE SET "age" = EXCLUDED."age", "name" = EXCLUDED."name"',
      params: ["o'brien", '3', "O'Brien", 'b', null, 'B'],
    });
    expect(del).toEqual({ sql: 'DELETE FROM "hr"."people" WHERE "id" IN ($1, $2)', params: ['x', 'y'] });
    expect(update).toEqual({ sql: 'UPDATE "hr"."people" SET "mail" = $1 WHERE "id" = $2', params: ['off', 'z'] });
  });
});
