import { BASE_DN, entry, hrJob, person, plan } from './planner.fixtures';
import { Planner } from './planner';

/** Multi-valued policies: what an update does with the destination's own values. */
describe('Planner: multi-valued policies', () => {
  const job = (multiValued?: 'replace' | 'merge' | 'keep') =>
    hrJob({ mappings: [...hrJob().mappings, { target: 'description', expression: 'Split([roles], ",")', ...(multiValued && { multiValued }) }] });
  const dn = `uid=ada.lovelace,ou=people,${BASE_DN}`;
  const ada = (description?: string[]) => entry('E1', 'Ada', 'Lovelace', description ? { description } : {});
  const source = (roles: string) => person('E1', 'Ada', 'Lovelace', { roles: [roles] });

  it('replace (the default) writes exactly the mapped values', () => {
    const { operations } = plan(job(), [ada(['a', 'b'])], [source('b,c')]);
    expect(operations).toEqual([expect.objectContaining({ kind: 'update', dn, changes: [{ attribute: 'description', before: ['a', 'b'], after: ['b', 'c'] }] })]);
  });

  it('merge adds only the missing values and keeps the others; nothing missing is no change', () => {
    const { operations } = plan(job('merge'), [ada(['a', 'b'])], [source('b,c')]);
    expect(operations).toEqual([expect.objectContaining({ kind: 'update', changes: [{ attribute: 'description', before: ['a', 'b'], after: ['c'], mode: 'add' }] })]);
    const same = plan(job('merge'), [ada(['a', 'b', 'c'])], [source('b,c')]);
    expect(same.operations).toEqual([]);
    expect(same.summary.unchanged).toBe(1);
  });

  it('keep writes the mapped values only while the destination has none', () => {
    expect(plan(job('keep'), [ada(['set by hand'])], [source('b,c')]).operations).toEqual([]);
    expect(plan(job('keep'), [ada()], [source('b,c')]).operations).toEqual([
      expect.objectContaining({ changes: [{ attribute: 'description', before: [], after: ['b', 'c'] }] }),
    ]);
  });

  it('a create writes the mapped values whatever the policy', () => {
    for (const policy of ['replace', 'merge', 'keep'] as const) {
      const { operations } = plan(job(policy), [], [source('b,c')]);
      expect(operations[0].changes).toContainEqual({ attribute: 'description', before: [], after: ['b', 'c'] });
    }
  });

  it('an unknown policy is refused when the job is read', () => {
    const bad = hrJob({ mappings: [{ target: 'description', expression: '[roles]', multiValued: 'append' as never }] });
    expect(() => new Planner(bad)).toThrow(expect.objectContaining({ code: 'PLAN.INVALID_JOB', message: expect.stringContaining('multiValued') }));
  });
});
