import { PlanningError } from './errors';
import { Planner, type PlannerOptions } from './planner';
import { BASE_DN, entry, hrJob, person, plan } from './planner.fixtures';
import type { IdentityRecord, PlanningJob } from './types';

const partial: PlannerOptions = { partial: true };
const directory = [entry('E1', 'Ada', 'Lovelace'), entry('E2', 'Bo', 'Li'), entry('E3', 'Cy', 'Ng')];
const links: [string, string][] = [
  ['E1', 'anchor-ada.lovelace'],
  ['E2', 'anchor-bo.li'],
  ['E3', 'anchor-cy.ng'],
];
const dn = (uid: string) => `uid=${uid},ou=people,${BASE_DN}`;
const kinds = (ops: { kind: string; dn: string }[]) => ops.map((o) => [o.kind, o.dn]);

describe('Planner: source objects an incremental run reports deleted', () => {
  it('the linked destination object is source_deleted and deleted; the others are left alone', () => {
    const r = plan(hrJob(), directory, [person('E1', 'Ada', 'King')], partial, { links, deleted: ['E2'] });
    expect(kinds(r.operations)).toEqual([
      ['update', dn('ada.lovelace')],
      ['delete', dn('bo.li')],
    ]);
    expect(r.situations).toEqual({ linked: 1, unlinked_match: 0, unmatched: 0, source_deleted: 1, ambiguous: 0 });
    expect(r.summary).toMatchObject({ deletes: 1, updates: 1 });
    expect(r.sourceDeletions).toBe(1);
    expect(r.orphans).toEqual([]);
    expect(r.problems).toEqual([]);
  });

  it('an empty delta with deletions deletes, and raises no empty_source guard', () => {
    const r = plan(hrJob(), directory, [], partial, { links, deleted: ['E2', 'E3'] });
    expect(kinds(r.operations)).toEqual([
      ['delete', dn('bo.li')],
      ['delete', dn('cy.ng')],
    ]);
    expect(r.violations).toEqual([]);
  });

  it('gets the job deprovisioning action: disable, report or ignore', () => {
    const disable = hrJob({ deprovision: 'disable', disable: { attribute: 'employeeType', value: 'disabled' } });
    const disabled = plan(disable, directory, [], partial, { links, deleted: ['E2'] });
    expect(disabled.operations).toEqual([expect.objectContaining({ kind: 'disable', dn: dn('bo.li'), changes: [{ attribute: 'employeeType', before: [], after: ['disabled'] }] })]);
    // Already disabled: nothing to write.
    const already = directory.map((d) => (d.anchor === 'anchor-bo.li' ? { ...d, attributes: { ...d.attributes, employeeType: ['disabled'] } } : d));
    expect(plan(disable, already, [], partial, { links, deleted: ['E2'] }).operations).toEqual([]);

    const reported = plan(hrJob({ actions: { source_deleted: 'report' } }), directory, [], partial, { links, deleted: ['E2'] });
    expect(reported.operations).toEqual([]);
    expect(reported.problems.map((p) => [p.code, p.details.dn])).toEqual([['PLAN.SITUATION_REPORTED', dn('bo.li')]]);

    const ignored = plan(hrJob({ deprovision: 'ignore' }), directory, [], partial, { links, deleted: ['E2'] });
    expect(ignored.operations).toEqual([]);
    expect(ignored.problems).toEqual([]);
  });

  it('counts against the guards: a mass deletion stops for review as in a complete run', () => {
    const r = plan(hrJob({ thresholds: { maxDeletes: 1, maxDeletePercent: 50 } }), directory, [], partial, { links, deleted: ['E1', 'E2', 'E3'] });
    expect(r.summary.deletes).toBe(3);
    expect(r.violations.map((v) => [v.guard, v.actual])).toEqual([
      ['max_deletes', 3],
      ['max_delete_percent', 100],
    ]);
  });

  it('a key also in the delta was created again: it is not deleted', () => {
    const r = plan(hrJob(), directory, [person('E2', 'Bo', 'Li', { title: ['Back'] })], partial, { links, deleted: ['E2'] });
    expect(r.operations.map((o) => [o.kind, o.sourceKey])).toEqual([['update', 'E2']]);
    expect(r.situations.source_deleted).toBe(0);
    expect(r.sourceDeletions).toBe(0);
  });

  it('a key with no link, or whose object is gone already, is nothing to do', () => {
    const r = plan(hrJob(), directory, [], partial, { links: [['E9', 'anchor-gone']], deleted: ['E2', 'E9', 'E404'] });
    expect(r.operations).toEqual([]);
    expect(r.problems).toEqual([]);
    expect(r.situations.source_deleted).toBe(0);
    expect(r.sourceDeletions).toBe(0);
  });

  it('a link with no anchor yet finds its object by the DN it recorded, unless another key is linked to that object', () => {
    const r = plan(hrJob(), directory, [], partial, { links: [['E3', 'anchor-cy.ng']], deleted: [['E2', dn('bo.li')], ['E7', 'UID=Cy.Ng, ou=people,' + BASE_DN]] });
    expect(kinds(r.operations)).toEqual([['delete', dn('bo.li')]]);
  });

  it('keys compare as the job says: NFC, trimmed, and case-insensitively with keyCase insensitive', () => {
    const job = hrJob({ checks: { keyCase: 'insensitive' } });
    const r = plan(job, directory, [], partial, { links: [['e2', 'anchor-bo.li']], deleted: [' E2 '] });
    expect(kinds(r.operations)).toEqual([['delete', dn('bo.li')]]);
  });

  it('the member it was is removed from the groups the job manages under replace', () => {
    const job = hrJob({ memberships: [{ sourceAttribute: 'department', groupDnTemplate: 'cn={value},ou=groups' }] });
    const groups: IdentityRecord[] = [{ key: `cn=Sales,ou=groups,${BASE_DN}`, anchor: 'g', attributes: { objectClass: ['groupOfNames'], member: [dn('ada.lovelace'), dn('bo.li')] } }];
    const r = plan(job, directory, [], partial, { links, groups, deleted: ['E2'] });
    expect(r.operations.map((o) => [o.kind, o.dn.split(',')[0], o.changes.map((c) => [c.mode, c.after])])).toEqual([
      ['update', 'cn=Sales', [['remove', [dn('bo.li')]]]],
      ['delete', 'uid=bo.li', []],
    ]);
    expect(r.summary.memberRemoves).toBe(1);
  });

  it('is refused in a complete run, which finds deletions by absence', () => {
    const planner = new Planner(hrJob());
    expect(() => planner.addDeletedSource('E1')).toThrow(expect.objectContaining({ code: 'PLAN.INVALID_INPUT' }) as PlanningError);
  });

  it('comes before the second pass, like a link', () => {
    const job: PlanningJob = hrJob();
    const planner = new Planner(job, { partial: true, secondDestinationPass: true });
    directory.forEach((d) => planner.addDestination(d));
    planner.compareDestination(directory[0]);
    expect(() => planner.addDeletedSource('E1')).toThrow(expect.objectContaining({ code: 'PLAN.INPUT_CLOSED' }) as PlanningError);
  });
});
