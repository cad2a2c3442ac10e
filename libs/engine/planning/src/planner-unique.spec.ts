import { entry, hrJob, person, plan } from './planner.fixtures';

const uniqueUid = 'SelectUniqueValue(ToLower(Join(".", [givenName], [surname])), ToLower(Join(".", Mid([givenName], 1, 1), [surname])), ToLower(Join("", [givenName], [surname], "2")))';
const job = hrJob({ mappings: [...hrJob().mappings.filter((m) => m.target !== 'uid'), { target: 'uid', expression: uniqueUid, onCreateOnly: true }] });

describe('Planner: SelectUniqueValue and Redact', () => {
  it('hands out values not held in the destination nor given earlier in the plan, in source key order', () => {
    const { operations, problems } = plan(job, [entry('E1', 'John', 'Smith')], [person('E3', 'John', 'Smith'), person('E2', 'John', 'Smith'), person('E1', 'John', 'Smith')]);
    expect(problems).toEqual([]);
    expect(operations.map((o) => [o.sourceKey, o.dn.split(',')[0]])).toEqual([
      ['E2', 'uid=j.smith'],
      ['E3', 'uid=johnsmith2'],
    ]);
  });

  it('is a problem for the object when every candidate is taken', () => {
    const dest = [entry('E1', 'John', 'Smith'), entry('E2', 'J', 'Smith'), entry('E3', 'x', 'y', { uid: ['JohnSmith2'] })];
    const { operations, problems } = plan(job, dest, [person('E1', 'John', 'Smith'), person('E2', 'J', 'Smith'), person('E3', 'x', 'y'), person('E4', 'John', 'Smith')]);
    expect(operations).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ code: 'MAPPING.EVAL_FAILED', details: expect.objectContaining({ sourceKey: 'E4', attribute: 'uid', errorCode: 'EXPRESSION.NO_UNIQUE_VALUE' }) })]);
  });

  it('an updatable unique attribute keeps the value its object already holds', () => {
    const updatable = { ...job, mappings: job.mappings.map((m) => (m.target === 'uid' ? { ...m, onCreateOnly: false } : m)) };
    const { operations, summary } = plan(updatable, [entry('E1', 'John', 'Smith')], [person('E1', 'John', 'Smith')]);
    expect(operations).toEqual([]);
    expect(summary.unchanged).toBe(1);
  });

  it('marks changes of a Redact mapping', () => {
    const secret = hrJob({ mappings: [...hrJob().mappings, { target: 'userPassword', expression: 'Redact(RandomString(12,2,0,2,2))', onCreateOnly: true }] });
    const change = plan(secret, [], [person('E1', 'A', 'B')]).operations[0].changes.find((c) => c.attribute === 'userPassword')!;
    expect(change).toMatchObject({ redacted: true, before: [] });
    expect(change.after[0]).toHaveLength(12);
  });
});
