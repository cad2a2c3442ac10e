import { create, OperationKind, OperationSchema, ValueMode } from '@idsync/contracts';
import { withoutUnsettled } from './phases';

const group = 'cn=sales,ou=groups,dc=example,dc=org';
const ada = 'uid=ada,ou=people,dc=example,dc=org';
const bob = 'uid=bob,ou=people,dc=example,dc=org';
const values = (...v: string[]) => ({ values: v });

describe('withoutUnsettled', () => {
  it('drops the members whose create or rename failed, and an add or remove left empty', () => {
    const op = create(OperationSchema, {
      index: 7, kind: OperationKind.UPDATE, dn: group, phase: 3,
      changes: [
        { attribute: 'member', mode: ValueMode.ADD, after: values('UID=Ada,ou=people,dc=example,dc=org', bob) },
        { attribute: 'member', mode: ValueMode.REMOVE, after: values(ada) },
      ],
    });
    const out = withoutUnsettled(op, new Set([ada]));
    expect(out.changes.map((c) => [c.mode, c.after?.values])).toEqual([[ValueMode.ADD, [bob]]]);
    expect(out.index).toBe(7);
    expect(op.changes).toHaveLength(2);
  });

  it('keeps a replace (a group create) even when it is left with no member, for the directory to refuse', () => {
    const op = create(OperationSchema, { kind: OperationKind.CREATE, dn: group, phase: 2, changes: [{ attribute: 'member', after: values(ada) }, { attribute: 'cn', after: values('sales') }] });
    expect(withoutUnsettled(op, new Set([ada])).changes.map((c) => c.after?.values)).toEqual([[], ['sales']]);
  });

  it('gives the operation itself when nothing names an unsettled object', () => {
    const op = create(OperationSchema, { kind: OperationKind.UPDATE, dn: group, changes: [{ attribute: 'member', mode: ValueMode.ADD, after: values(bob) }] });
    expect(withoutUnsettled(op, new Set([ada]))).toBe(op);
    expect(withoutUnsettled(op, new Set())).toBe(op);
  });
});
