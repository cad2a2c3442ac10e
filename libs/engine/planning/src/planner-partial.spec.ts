import { Planner, type PlannerOptions } from './planner';
import { BASE_DN, entry, hrJob, person, plan } from './planner.fixtures';
import type { IdentityRecord, PlanningJob, PlanResult } from './types';

const partial: PlannerOptions = { partial: true };
const directory = [entry('E1', 'Ada', 'Lovelace'), entry('E2', 'Bo', 'Li'), entry('E3', 'Cy', 'Ng')];

function planWithLinks(job: PlanningJob, destination: IdentityRecord[], source: IdentityRecord[], links: [string, string][], options: PlannerOptions = partial): PlanResult {
  const planner = new Planner(job, options);
  links.forEach(([k, a]) => planner.addLink(k, a));
  destination.forEach((d) => planner.addDestination(d));
  source.forEach((s) => planner.addSource(s));
  return planner.finish();
}

describe('Planner: partial (incremental) runs', () => {
  it('leaves alone the destination objects the delta does not claim: no delete, no source_deleted, no orphan', () => {
    const r = plan(hrJob(), directory, [person('E1', 'Ada', 'King')], partial);
    expect(r.operations.map((o) => [o.kind, o.sourceKey || o.dn])).toEqual([['update', 'E1']]);
    expect(r.situations).toEqual({ linked: 0, unlinked_match: 1, unmatched: 0, source_deleted: 0, ambiguous: 0 });
    expect(r.orphans).toEqual([]);
    expect(r.summary).toEqual({ sourceCount: 1, destinationCount: 3, creates: 0, updates: 1, deletes: 0, disables: 0, renames: 0, unchanged: 0, groupCreates: 0, memberAdds: 0, memberRemoves: 0 });
    // The same delta read as a complete snapshot deletes the other two.
    expect(plan(hrJob(), directory, [person('E1', 'Ada', 'King')]).summary.deletes).toBe(2);
  });

  it('nor disables them', () => {
    const job = hrJob({ deprovision: 'disable', disable: { attribute: 'employeeType', value: 'disabled' } });
    expect(plan(job, directory, [person('E4', 'Di', 'Oz')], partial).operations.map((o) => o.kind)).toEqual(['create']);
  });

  it('an empty delta is a run where nothing changed: no operation and no empty_source guard', () => {
    const r = plan(hrJob(), directory, [], partial);
    expect(r.operations).toEqual([]);
    expect(r.violations).toEqual([]);
    expect(r.orphans).toEqual([]);
    expect(r.summary).toMatchObject({ sourceCount: 0, destinationCount: 3 });
    expect(r.situations.source_deleted).toBe(0);
  });

  it('an object that left the scope is in the delta, and its destination object is deprovisioned', () => {
    const scoping = { groups: [{ clauses: [{ attribute: 'status', operator: 'EQUALS' as const, value: 'active' }] }] };
    const r = plan(hrJob({ scoping }), directory, [person('E2', 'Bo', 'Li', { status: ['left'] })], partial);
    expect(r.operations.map((o) => [o.kind, o.dn])).toEqual([['delete', `uid=bo.li,ou=people,${BASE_DN}`]]);
    expect(r.situations.source_deleted).toBe(1);
    // A delta holding only such objects is not an empty source either.
    expect(r.violations).toEqual([]);
  });

  it('a linked object is found by its anchor and updated; other linked objects are left alone', () => {
    const r = planWithLinks(hrJob(), directory, [person('X1', 'Ada', 'Lovelace')], [
      ['X1', 'anchor-ada.lovelace'],
      ['E2', 'anchor-bo.li'],
    ]);
    expect(r.situations).toMatchObject({ linked: 1, source_deleted: 0 });
    expect(r.operations).toEqual([expect.objectContaining({ kind: 'update', sourceKey: 'X1', changes: [{ attribute: 'employeeNumber', before: ['E1'], after: ['X1'] }] })]);
  });

  it('references resolve against the keys in the delta and the source keys of known links', () => {
    const job = hrJob({ checks: { references: [{ attribute: 'managerId', mustResolveTo: 'sourceKey' }] } });
    const delta = [person('E2', 'Bo', 'Li', { managerId: ['E1'] }), person('E3', 'Cy', 'Ng', { managerId: ['E2'] }), person('E5', 'Ed', 'Po', { managerId: ['E9'] })];
    const r = planWithLinks(job, directory, delta, [['E1', 'anchor-ada.lovelace']]);
    expect(r.problems.map((p) => [p.code, p.details.sourceKey, p.details.value])).toEqual([['SOURCE.UNRESOLVED_REFERENCE', 'E5', 'E9']]);
    // A complete run knows no E1: the link alone does not make a source object.
    const complete = planWithLinks(job, directory, delta, [['E1', 'anchor-ada.lovelace']], {});
    expect(complete.problems.map((p) => p.details.sourceKey)).toEqual(['E2', 'E5']);
  });

  it('creates, checks keys within the delta and reports ambiguous matches as a complete run does', () => {
    const dest = [...directory, entry('E7', 'Gil', 'Ray'), entry('E7', 'Gil', 'Rey')];
    const r = plan(hrJob(), dest, [person('E4', 'Di', 'Oz'), person('E5', 'Ed', 'Po'), person('E5', 'Ed', 'Pa'), person('E7', 'Gil', 'Ray')], partial);
    expect(r.operations.map((o) => [o.kind, o.sourceKey])).toEqual([['create', 'E4']]);
    expect(r.problems.map((p) => p.code)).toEqual(['PLAN.AMBIGUOUS_MATCH', 'SOURCE.DUPLICATE_KEY']);
    // Both E5 rows are unmatched, and neither is planned.
    expect(r.situations).toMatchObject({ unmatched: 3, ambiguous: 1, source_deleted: 0 });
  });

  it('percentage thresholds are of the destination object count', () => {
    const r = plan(hrJob({ thresholds: { maxUpdatePercent: 20 } }), directory, [person('E1', 'Ada', 'King')], partial);
    expect(r.violations.map((v) => [v.guard, v.actual])).toEqual([['max_update_percent', 33.33]]);
  });
});
