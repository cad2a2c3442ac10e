import { Planner } from './planner';
import { BASE_DN, entry, hrJob, person, plan } from './planner.fixtures';
import { resolveActions } from './situations';
import type { IdentityRecord, PlanningJob, PlanResult } from './types';

function planWithLinks(job: PlanningJob, destination: IdentityRecord[], source: IdentityRecord[], links: [string, string][]): PlanResult {
  const planner = new Planner(job);
  links.forEach(([k, a]) => planner.addLink(k, a));
  destination.forEach((d) => planner.addDestination(d));
  source.forEach((s) => planner.addSource(s));
  return planner.finish();
}

describe('resolveActions', () => {
  it("defaults give the planner's behaviour before situations; source_deleted follows deprovision", () => {
    expect(resolveActions({ deprovision: 'delete' })).toEqual({ unmatched: 'create', unlinked_match: 'update', linked: 'update', source_deleted: 'delete', ambiguous: 'report' });
    expect(resolveActions({ deprovision: 'ignore', actions: { unmatched: 'report' } })).toMatchObject({ unmatched: 'report', source_deleted: 'ignore' });
  });

  it('refuses an action a situation cannot take, and ambiguous matches are never guessed', () => {
    expect(() => resolveActions({ deprovision: 'delete', actions: { ambiguous: 'update' } })).toThrow('the situation ambiguous cannot take the action "update"; use one of report');
    expect(() => resolveActions({ deprovision: 'delete', actions: { unmatched: 'delete' } })).toThrow(expect.objectContaining({ code: 'PLAN.INVALID_JOB', details: { field: 'actions', situation: 'unmatched', action: 'delete' } }));
    expect(() => resolveActions({ deprovision: 'delete', actions: { gone: 'delete' } as never })).toThrow('unknown situation "gone"');
  });

  it("source_deleted 'disable' needs the disable attribute, whatever deprovision says", () => {
    expect(() => new Planner(hrJob({ actions: { source_deleted: 'disable' } }))).toThrow(expect.objectContaining({ code: 'PLAN.INVALID_JOB', details: { field: 'disable' } }));
  });
});

describe('Planner: situations', () => {
  it('counts every pair in one situation, and keeps the default behaviour', () => {
    const dest = [entry('E1', 'Ada', 'Lovelace'), entry('E2', 'Bo', 'Li'), entry('E3', 'Cy', 'Ng'), entry('E3', 'Cy', 'Ngu'), entry('E8', 'Gone', 'Away')];
    const source = [person('E1', 'Ada', 'Lovelace'), person('E2', 'Bo', 'Li', { title: ['CTO'] }), person('E3', 'Cy', 'Ng'), person('E4', 'Di', 'Oz')];
    const r = planWithLinks(hrJob(), dest, source, [['E1', 'anchor-ada.lovelace']]);
    expect(r.situations).toEqual({ linked: 1, unlinked_match: 1, unmatched: 1, source_deleted: 1, ambiguous: 1 });
    expect(r.operations.map((o) => [o.kind, o.sourceKey || o.dn])).toEqual([
      ['create', 'E4'],
      ['update', 'E2'],
      ['delete', `uid=gone.away,ou=people,${BASE_DN}`],
    ]);
    expect(r.problems.map((p) => p.code)).toEqual(['PLAN.AMBIGUOUS_MATCH']);
    expect(r.problems[0].details.dns).toBe(`uid=cy.ng,ou=people,${BASE_DN}; uid=cy.ngu,ou=people,${BASE_DN}`);
    // The unlinked match is linked from now on; the linked one already is.
    expect(r.newLinks).toEqual([{ sourceKey: 'E2', dn: `uid=bo.li,ou=people,${BASE_DN}`, anchor: 'anchor-bo.li' }]);
  });

  it('a linked object is found by its anchor when its matching attribute changed: updated, never deleted and created', () => {
    // HR re-keyed Ada from E1 to X1; the link (recorded under her new key) still knows her entry.
    const { operations, situations } = planWithLinks(hrJob(), [entry('E1', 'Ada', 'Lovelace')], [person('X1', 'Ada', 'Lovelace')], [['X1', 'anchor-ada.lovelace']]);
    expect(situations).toMatchObject({ linked: 1, unmatched: 0, source_deleted: 0 });
    expect(operations).toEqual([
      { index: 0, phase: 3, kind: 'update', dn: `uid=ada.lovelace,ou=people,${BASE_DN}`, sourceKey: 'X1', objectClasses: [], changes: [{ attribute: 'employeeNumber', before: ['E1'], after: ['X1'] }] },
    ]);
    // Without the link the same data would be a delete and a create onto the same DN, which is refused.
    expect(plan(hrJob(), [entry('E1', 'Ada', 'Lovelace')], [person('X1', 'Ada', 'Lovelace')]).problems.map((p) => p.code)).toEqual(['PLAN.DN_EXISTS']);
  });

  it('a linked object whose DN the template now renders otherwise is moved, with its changes, never deleted and created', () => {
    const job = hrJob({ dnTemplate: 'uid={uid},ou={ou}', mappings: [...hrJob().mappings, { target: 'ou', expression: '[department]' }] });
    const dest = { ...entry('E1', 'Ada', 'Lovelace'), key: `uid=ada.lovelace,ou=people,${BASE_DN}` };
    dest.attributes.ou = ['people'];
    const { operations, problems, summary } = planWithLinks(job, [dest], [person('E1', 'Ada', 'Lovelace', { department: ['staff'] })], [['E1', 'anchor-ada.lovelace']]);
    expect(problems).toEqual([]);
    expect(operations).toEqual([
      {
        index: 0, phase: 0, kind: 'rename', dn: dest.key, newDn: `uid=ada.lovelace,ou=staff,${BASE_DN}`, sourceKey: 'E1', objectClasses: [],
        changes: [{ attribute: 'ou', before: ['people'], after: ['staff'] }],
      },
    ]);
    expect(summary).toMatchObject({ renames: 1, updates: 0, creates: 0, deletes: 0 });
    // An onCreateOnly naming attribute keeps the DN: a linked person who changes name is simply updated.
    const renamed = planWithLinks(hrJob(), [entry('E1', 'Ada', 'Lovelace')], [person('E1', 'Ada', 'King')], [['E1', 'anchor-ada.lovelace']]);
    expect(renamed.problems).toEqual([]);
    expect(renamed.operations.map((o) => o.kind)).toEqual(['update']);
  });

  it('a link to an anchor that no longer exists falls back to the matching rules', () => {
    const { situations, operations } = planWithLinks(hrJob(), [], [person('E1', 'Ada', 'Lovelace')], [['E1', 'gone']]);
    expect(situations.unmatched).toBe(1);
    expect(operations.map((o) => o.kind)).toEqual(['create']);
  });

  it('a key linked to two anchors is a problem and the links are not used', () => {
    const { problems, situations } = planWithLinks(hrJob(), [entry('E1', 'Ada', 'Lovelace')], [person('E1', 'Ada', 'Lovelace')], [
      ['E1', 'anchor-ada.lovelace'],
      ['E1', 'other'],
    ]);
    expect(problems.map((p) => p.code)).toEqual(['LINK.CONFLICT']);
    expect(situations.unlinked_match).toBe(1);
  });

  it('the source object of a linked destination object is gone: source_deleted, and the destination object is an orphan', () => {
    const { situations, operations, orphans } = planWithLinks(hrJob(), [entry('E1', 'Ada', 'Lovelace'), entry('E2', 'Bo', 'Li')], [person('E2', 'Bo', 'Li')], [['E1', 'anchor-ada.lovelace']]);
    expect(situations).toMatchObject({ source_deleted: 1, unlinked_match: 1 });
    expect(operations.map((o) => o.kind)).toEqual(['delete']);
    expect(orphans).toEqual([{ dn: `uid=ada.lovelace,ou=people,${BASE_DN}`, anchor: 'anchor-ada.lovelace' }]);
  });

  describe('actions', () => {
    const dest = [entry('E1', 'Ada', 'Lovelace'), entry('E2', 'Bo', 'Li')];
    const source = [person('E1', 'Ada', 'King'), person('E3', 'Cy', 'Ng')];

    it("'ignore' plans nothing for the situation", () => {
      const r = plan(hrJob({ actions: { unmatched: 'ignore', unlinked_match: 'ignore', source_deleted: 'ignore' } }), dest, source);
      expect(r.operations).toEqual([]);
      expect(r.newLinks).toEqual([]);
    });

    it("'report' makes it a problem instead of an operation", () => {
      const r = plan(hrJob({ actions: { unmatched: 'report', unlinked_match: 'report', source_deleted: 'report' } }), dest, source);
      expect(r.operations).toEqual([]);
      expect(r.problems.map((p) => [p.code, p.details.situation, p.details.sourceKey, p.details.dn])).toEqual([
        ['PLAN.SITUATION_REPORTED', 'source_deleted', '', `uid=bo.li,ou=people,${BASE_DN}`],
        ['PLAN.SITUATION_REPORTED', 'unlinked_match', 'E1', `uid=ada.lovelace,ou=people,${BASE_DN}`],
        ['PLAN.SITUATION_REPORTED', 'unmatched', 'E3', ''],
      ]);
      expect(r.blocking).toBe(true);
    });

    it("unlinked_match 'link' records the link without changing the object", () => {
      const r = plan(hrJob({ actions: { unlinked_match: 'link' } }), dest, source);
      expect(r.operations.map((o) => o.kind)).toEqual(['create', 'delete']);
      expect(r.newLinks).toEqual([{ sourceKey: 'E1', dn: `uid=ada.lovelace,ou=people,${BASE_DN}`, anchor: 'anchor-ada.lovelace' }]);
    });

    it("source_deleted 'disable' overrides deprovision 'delete'", () => {
      const r = plan(hrJob({ actions: { source_deleted: 'disable' }, disable: { attribute: 'employeeType', value: 'disabled' } }), dest, source);
      expect(r.operations.map((o) => o.kind)).toEqual(['create', 'update', 'disable']);
    });
  });
});
