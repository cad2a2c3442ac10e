import type { ConnectorOperation } from './connector';
import { applyToKeyedRows, KeyedRowsFile, type KeyedRows } from './keyed-rows';

const set = (attribute: string, ...values: string[]) => ({ attribute, values });
const table = (): KeyedRows => ({ header: ['uid', 'cn'], rows: new Map([['ada', ['ada', 'Ada']]]) });

describe('applyToKeyedRows', () => {
  const rules = { keyColumn: 'uid', multiValueSeparator: '|' };

  it('creates, updates, disables and deletes rows by key, adding columns as needed', () => {
    const t = table();
    expect(applyToKeyedRows(t, { kind: 'create', dn: ' bob ', changes: [set('mail', 'b@x.org', 'bob@x.org')] }, rules)).toEqual({ status: 'succeeded', message: undefined });
    expect(applyToKeyedRows(t, { kind: 'update', dn: 'ada', changes: [set('cn')] }, rules)).toEqual({ status: 'succeeded', message: undefined });
    expect(applyToKeyedRows(t, { kind: 'disable', dn: 'bob', changes: [set('status', 'disabled')] }, rules).status).toBe('succeeded');
    expect(t.header).toEqual(['uid', 'cn', 'mail', 'status']);
    expect([...t.rows]).toEqual([
      ['ada', ['ada', '']],
      ['bob', ['bob', undefined, 'b@x.org|bob@x.org', 'disabled']],
    ]);
    expect(applyToKeyedRows(t, { kind: 'delete', dn: 'ada', changes: [] }, rules)).toEqual({ status: 'succeeded', message: undefined });
    expect(applyToKeyedRows(t, { kind: 'delete', dn: 'ada', changes: [] }, rules)).toEqual({ status: 'succeeded', message: 'no such row; nothing to delete' });
    expect([...t.rows.keys()]).toEqual(['bob']);
  });

  it('replaces the values of a row that a create finds already there', () => {
    const t = table();
    expect(applyToKeyedRows(t, { kind: 'create', dn: 'ada', changes: [set('mail', 'a@x.org')] }, rules)).toEqual({ status: 'succeeded', message: 'already existed; its values were replaced' });
    expect(t.rows.get('ada')).toEqual(['ada', undefined, 'a@x.org']);
  });

  it('fails an operation it cannot express and leaves the table as it was', () => {
    const t = table();
    const fails = (op: ConnectorOperation, r: Parameters<typeof applyToKeyedRows>[2] = rules) => applyToKeyedRows(t, op, r);
    expect(fails({ kind: 'create', dn: ' ', changes: [] }).message).toMatch(/dn is empty/);
    expect(fails({ kind: 'update', dn: 'nobody', changes: [set('cn', 'x')] }).message).toBe('no row with uid "nobody" to update');
    expect(fails({ kind: 'create', dn: 'x', changes: [set('mail', 'a', 'b')] }, { keyColumn: 'uid' }).message).toMatch(/set multiValueSeparator/);
    expect(fails({ kind: 'create', dn: 'x', changes: [set('mail', 'a|b')] }).message).toMatch(/contains the separator "\|"/);
    expect(fails({ kind: 'update', dn: 'ada', changes: [set('uid', 'eve')] }).message).toMatch(/cannot be renamed/);
    expect(fails({ kind: 'create', dn: 'x', changes: [set('cn', 'Zoë')] }, { ...rules, refuseCell: (cell, attribute) => (/ë/.test(cell) ? `no ë in ${attribute}` : undefined) })).toEqual({ status: 'failed', message: 'no ë in cn' });
    expect(t).toEqual(table());
  });

  const add = (attribute: string, ...values: string[]) => ({ attribute, values, mode: 'add' as const });
  const remove = (attribute: string, ...values: string[]) => ({ attribute, values, mode: 'remove' as const });

  it('adds and removes values within a multi-valued cell, idempotently and in the order of the changes', () => {
    const t = table();
    const update = (...changes: ConnectorOperation['changes']) => applyToKeyedRows(t, { kind: 'update', dn: 'ada', changes }, rules);
    const cell = () => t.rows.get('ada')![t.header.indexOf('groups')];
    expect(update(add('groups', 'a', 'b'))).toEqual({ status: 'succeeded', message: undefined });
    expect(update(add('groups', 'b', 'c'))).toMatchObject({ status: 'succeeded' });
    expect(update(add('groups', 'b', 'c'))).toMatchObject({ status: 'succeeded' });
    expect(cell()).toBe('a|b|c');
    expect(update(remove('groups', 'a', 'x'))).toMatchObject({ status: 'succeeded' });
    expect(update(remove('groups', 'a', 'x'))).toMatchObject({ status: 'succeeded' });
    expect(cell()).toBe('b|c');
    expect(update(add('groups', 'a'), remove('groups', 'a', 'b'))).toMatchObject({ status: 'succeeded' });
    expect(cell()).toBe('c');
    expect(update(add('groups', 'x|y')).message).toMatch(/contains the separator/);
    // A create starts from an empty row: add sets, remove has nothing to remove.
    expect(applyToKeyedRows(t, { kind: 'create', dn: 'bob', changes: [add('groups', 'g1'), remove('groups', 'g2')] }, rules)).toMatchObject({ status: 'succeeded' });
    expect(t.rows.get('bob')![t.header.indexOf('groups')]).toBe('g1');
  });

  it('without a separator, treats a cell as one value: add sets an empty one, refuses a second value; remove clears its own', () => {
    const t = table();
    const single = { keyColumn: 'uid' };
    const update = (...changes: ConnectorOperation['changes']) => applyToKeyedRows(t, { kind: 'update', dn: 'ada', changes }, single);
    expect(update(add('mail', 'a@x.org'))).toMatchObject({ status: 'succeeded' });
    expect(update(add('mail', 'a@x.org'))).toMatchObject({ status: 'succeeded' });
    expect(update(add('mail', 'b@x.org'))).toEqual({ status: 'failed', message: '"mail" holds "a@x.org"; adding "b@x.org" would give it a second value, and it holds one; set multiValueSeparator to write several values in one cell' });
    expect(update(remove('mail', 'b@x.org'))).toMatchObject({ status: 'succeeded' });
    expect(t.rows.get('ada')).toEqual(['ada', 'Ada', 'a@x.org']);
    expect(update(remove('mail', 'a@x.org'))).toMatchObject({ status: 'succeeded' });
    expect(update(remove('mail', 'a@x.org'))).toMatchObject({ status: 'succeeded' });
    expect(t.rows.get('ada')).toEqual(['ada', 'Ada', '']);
    expect(update(remove('uid', 'ada')).message).toMatch(/cannot be renamed/);
    expect(update(add('uid', 'ada'))).toMatchObject({ status: 'succeeded' });
  });
});

describe('KeyedRowsFile', () => {
  const store = (over: Partial<{ load: () => Promise<KeyedRows>; write: (t: KeyedRows) => Promise<void> }> = {}) => {
    const written: KeyedRows[] = [];
    return { written, path: 'accounts.csv', load: async () => table(), write: async (t: KeyedRows) => void written.push(structuredClone(t)), ...over };
  };

  it('writes once per apply, and not at all when nothing succeeded', async () => {
    const s = store();
    const file = new KeyedRowsFile(s, { keyColumn: 'uid' });
    expect(await file.apply([{ kind: 'update', dn: 'nobody', changes: [] }])).toEqual([{ status: 'failed', message: 'no row with uid "nobody" to update' }]);
    expect(s.written).toEqual([]);
    await file.apply([{ kind: 'create', dn: 'bob', changes: [] }, { kind: 'delete', dn: 'ada', changes: [] }]);
    expect(s.written.map((t) => [...t.rows.keys()])).toEqual([['bob']]);
  });

  it('answers retryable for every operation when the table cannot be loaded or written', async () => {
    const ops: ConnectorOperation[] = [{ kind: 'delete', dn: 'ada', changes: [] }, { kind: 'update', dn: 'nobody', changes: [] }];
    const unloadable = new KeyedRowsFile(store({ load: () => Promise.reject(new Error('duplicate key')) }), { keyColumn: 'uid' });
    expect(await unloadable.apply(ops)).toEqual(ops.map(() => ({ status: 'retryable', message: 'could not load accounts.csv: duplicate key' })));
    const unwritable = new KeyedRowsFile(store({ write: () => Promise.reject(new Error('EACCES')) }), { keyColumn: 'uid' });
    expect(await unwritable.apply(ops)).toEqual(ops.map(() => ({ status: 'retryable', message: 'could not write accounts.csv: EACCES' })));
  });

  it('runs concurrent apply calls one after the other, each on the table the last one wrote', async () => {
    let current = table();
    const file = new KeyedRowsFile<KeyedRows>({ path: 'p', load: async () => structuredClone(current), write: async (t) => void (current = t) }, { keyColumn: 'uid' });
    await Promise.all(Array.from({ length: 5 }, (_, i) => file.apply([{ kind: 'create', dn: `u${i}`, changes: [] }])));
    expect([...current.rows.keys()].sort()).toEqual(['ada', 'u0', 'u1', 'u2', 'u3', 'u4']);
  });
});
