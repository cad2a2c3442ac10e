import { PlanningError } from './errors';
import { BASE_DN, entry, hrJob, person, plan } from './planner.fixtures';
import { Scope, type ScopingClause } from './scoping';
import type { Attrs } from './types';

const one = (clause: ScopingClause) => new Scope({ groups: [{ clauses: [clause] }] });

describe('Scope: Entra scoping filters', () => {
  it('without any group everything is in scope', () => {
    expect(new Scope(undefined).includes({})).toBe(true);
    expect(new Scope({ groups: [] }).isEmpty).toBe(true);
  });

  it('EQUALS and NOT EQUALS are case-sensitive, as Entra documents', () => {
    const eq = one({ attribute: 'department', operator: 'EQUALS', value: 'Sales' });
    expect(eq.includes({ department: ['Sales'] })).toBe(true);
    expect(eq.includes({ department: ['sales'] })).toBe(false);
    const ne = one({ attribute: 'department', operator: 'NOT EQUALS', value: 'Sales' });
    expect(ne.includes({ department: ['sales'] })).toBe(true);
    expect(ne.includes({ department: ['Sales'] })).toBe(false);
  });

  it('reads the attribute name regardless of case', () => {
    expect(one({ attribute: 'Department', operator: 'EQUALS', value: 'Sales' }).includes({ department: ['Sales'] })).toBe(true);
  });

  it('IS TRUE and IS FALSE read boolean values regardless of case', () => {
    const t = one({ attribute: 'active', operator: 'IS TRUE' });
    expect([['True'], ['true'], ['false'], ['yes'], []].map((v) => t.includes({ active: v }))).toEqual([true, true, false, false, false]);
    const f = one({ attribute: 'active', operator: 'IS FALSE' });
    expect([['False'], ['true'], []].map((v) => f.includes({ active: v }))).toEqual([true, false, false]);
  });

  it('IS NULL and IS NOT NULL treat an empty string as no value', () => {
    const isNull = one({ attribute: 'title', operator: 'IS NULL' });
    const notNull = one({ attribute: 'title', operator: 'IS NOT NULL' });
    const cases: [Attrs, boolean][] = [
      [{}, true],
      [{ title: [] }, true],
      [{ title: [''] }, true],
      [{ title: ['CTO'] }, false],
    ];
    for (const [attrs, empty] of cases) {
      expect(isNull.includes(attrs)).toBe(empty);
      expect(notNull.includes(attrs)).toBe(!empty);
    }
  });

  it('every other clause is false on an empty attribute, negated ones included', () => {
    const clauses: ScopingClause[] = [
      { attribute: 'x', operator: 'EQUALS', value: 'a' },
      { attribute: 'x', operator: 'NOT EQUALS', value: 'a' },
      { attribute: 'x', operator: 'REGEX MATCH', value: '.*' },
      { attribute: 'x', operator: 'NOT REGEX MATCH', value: 'a' },
      { attribute: 'x', operator: 'Greater_Than', value: '0' },
      { attribute: 'x', operator: 'Includes', value: 'a' },
      { attribute: 'x', operator: 'ENDS_WITH', value: 'a' },
      { attribute: 'x', operator: '&', value: '2' },
      { attribute: 'x', operator: '!&', value: '2' },
    ];
    for (const c of clauses) expect(one(c).includes({ x: [''] })).toBe(false);
  });

  it('REGEX MATCH finds the pattern anywhere, case-sensitively; the doc examples work as written', () => {
    const upn = one({ attribute: 'userPrincipalName', operator: 'REGEX MATCH', value: '.*\\@domain.com' });
    expect(upn.includes({ userPrincipalName: ['ada@domain.com'] })).toBe(true);
    expect(upn.includes({ userPrincipalName: ['ada@DOMAIN.com'] })).toBe(false);
    const worker = one({ attribute: 'workerID', operator: 'REGEX MATCH', value: '(1[0-9][0-9][0-9][0-9][0-9][0-9])' });
    expect(worker.includes({ workerID: ['1500000'] })).toBe(true);
    expect(worker.includes({ workerID: ['999999'] })).toBe(false);
    const not = one({ attribute: 'userPrincipalName', operator: 'NOT REGEX MATCH', value: '@domain\\.com$' });
    expect(not.includes({ userPrincipalName: ['ada@other.com'] })).toBe(true);
    expect(not.includes({ userPrincipalName: ['ada@domain.com'] })).toBe(false);
  });

  it('Greater_Than and Greater_Than_OR_EQUALS compare integers, not text', () => {
    const gt = one({ attribute: 'level', operator: 'Greater_Than', value: '9' });
    const ge = one({ attribute: 'level', operator: 'Greater_Than_OR_EQUALS', value: '9' });
    expect([['10'], ['9'], ['8'], [' 12 '], ['ten'], ['9.5']].map((v) => gt.includes({ level: v }))).toEqual([true, false, false, true, false, false]);
    expect([['10'], ['9'], ['8']].map((v) => ge.includes({ level: v }))).toEqual([true, true, false]);
  });

  it('Includes and ENDS_WITH are case-sensitive substring tests', () => {
    expect(one({ attribute: 'mail', operator: 'Includes', value: 'corp' }).includes({ mail: ['a@corp.example'] })).toBe(true);
    expect(one({ attribute: 'mail', operator: 'Includes', value: 'Corp' }).includes({ mail: ['a@corp.example'] })).toBe(false);
    expect(one({ attribute: 'mail', operator: 'ENDS_WITH', value: '@corp.example' }).includes({ mail: ['a@corp.example'] })).toBe(true);
    expect(one({ attribute: 'mail', operator: 'ENDS_WITH', value: '@corp' }).includes({ mail: ['a@corp.example'] })).toBe(false);
  });

  it('& and !& test the bitwise AND (userAccountControl 514 has the disabled bit 2)', () => {
    const disabled = one({ attribute: 'userAccountControl', operator: '&', value: '2' });
    const enabled = one({ attribute: 'userAccountControl', operator: '!&', value: '2' });
    expect(disabled.includes({ userAccountControl: ['514'] })).toBe(true);
    expect(disabled.includes({ userAccountControl: ['512'] })).toBe(false);
    expect(enabled.includes({ userAccountControl: ['512'] })).toBe(true);
    expect(enabled.includes({ userAccountControl: ['514'] })).toBe(false);
    expect(enabled.includes({ userAccountControl: ['n/a'] })).toBe(true);
  });

  it('a multi-valued attribute passes when one value does; a negated clause when none matches', () => {
    expect(one({ attribute: 'ou', operator: 'EQUALS', value: 'Sales' }).includes({ ou: ['IT', 'Sales'] })).toBe(true);
    expect(one({ attribute: 'ou', operator: 'NOT EQUALS', value: 'Sales' }).includes({ ou: ['IT', 'Sales'] })).toBe(false);
  });

  it('ANDs clauses within a group and ORs groups', () => {
    const scope = new Scope({
      groups: [
        {
          clauses: [
            { attribute: 'state', operator: 'EQUALS', value: 'New York' },
            { attribute: 'department', operator: 'EQUALS', value: 'Engineering' },
          ],
        },
        { clauses: [{ attribute: 'title', operator: 'EQUALS', value: 'CEO' }] },
      ],
    });
    expect(scope.includes({ state: ['New York'], department: ['Engineering'] })).toBe(true);
    expect(scope.includes({ state: ['New York'], department: ['Sales'] })).toBe(false);
    expect(scope.includes({ state: ['Ohio'], title: ['CEO'] })).toBe(true);
  });

  describe('a filter the planner cannot use is a job error naming the group and clause', () => {
    const error = (clauses: ScopingClause[][]) => {
      try {
        new Scope({ groups: clauses.map((c) => ({ clauses: c })) });
      } catch (e) {
        return e as PlanningError;
      }
      throw new Error('expected a PlanningError');
    };

    it('a regular expression that does not compile', () => {
      const e = error([[{ attribute: 'a', operator: 'IS NOT NULL' }], [{ attribute: 'a', operator: 'EQUALS', value: 'x' }, { attribute: 'title', operator: 'REGEX MATCH', value: '([a-z]' }]]);
      expect(e).toBeInstanceOf(PlanningError);
      expect(e.code).toBe('PLAN.INVALID_JOB');
      expect(e.message).toMatch(/^scoping group 2, clause 2 \(title REGEX MATCH "\(\[a-z\]"\) has a regular expression that does not compile: /);
      expect(e.details).toEqual({ field: 'scoping', group: '2', clause: '2', attribute: 'title', operator: 'REGEX MATCH', value: '([a-z]' });
    });

    it('values that do not fit the operator', () => {
      expect(error([[{ attribute: 'a', operator: 'EQUALS' }]]).message).toBe('scoping group 1, clause 1 (a EQUALS) needs a value');
      expect(error([[{ attribute: 'a', operator: 'IS NULL', value: 'x' }]]).message).toBe('scoping group 1, clause 1 (a IS NULL "x") takes no value, but has "x"');
      expect(error([[{ attribute: 'a', operator: 'Greater_Than', value: '1.5' }]]).message).toBe('scoping group 1, clause 1 (a Greater_Than "1.5") needs an integer value, but has "1.5"');
      expect(error([[{ attribute: 'a', operator: '&', value: 'x' }]]).message).toContain('needs an integer value');
    });

    it('an unknown operator, a clause without attribute, a group without clause', () => {
      expect(error([[{ attribute: 'a', operator: 'STARTS_WITH' as never, value: 'x' }]]).message).toContain('has the unknown operator "STARTS_WITH"');
      expect(error([[{ attribute: ' ', operator: 'IS NULL' }]]).message).toBe('scoping group 1, clause 1 names no attribute');
      expect(error([[]]).message).toBe('scoping group 1 has no clause; remove the group or add a clause');
    });
  });
});

describe('Planner: scoping', () => {
  const scoping = { groups: [{ clauses: [{ attribute: 'status', operator: 'EQUALS' as const, value: 'active' }] }] };

  it('is a job error at construction', () => {
    expect(() => plan(hrJob({ scoping: { groups: [{ clauses: [{ attribute: 'x', operator: 'REGEX MATCH', value: '(' }] }] } }), [], [])).toThrow(
      expect.objectContaining({ code: 'PLAN.INVALID_JOB', details: expect.objectContaining({ group: '1', clause: '1' }) }),
    );
  });

  it('an object out of scope is treated as absent: not created, and its destination object deprovisioned', () => {
    const dest = [entry('E2', 'Bo', 'Li')];
    const source = [person('E1', 'Ada', 'Lovelace', { status: ['active'] }), person('E2', 'Bo', 'Li', { status: ['left'] }), person('E3', 'Cy', 'Ng', { status: ['left'] })];
    const { operations, summary, situations, orphans } = plan(hrJob({ scoping }), dest, source);
    expect(operations.map((o) => [o.kind, o.sourceKey || o.dn])).toEqual([
      ['create', 'E1'],
      ['delete', `uid=bo.li,ou=people,${BASE_DN}`],
    ]);
    expect(summary).toMatchObject({ sourceCount: 3, creates: 1, deletes: 1 });
    expect(situations).toEqual({ linked: 0, unlinked_match: 0, unmatched: 1, source_deleted: 1, ambiguous: 0 });
    // E2 still exists, out of scope: its destination object is not an orphan.
    expect(orphans).toEqual([]);
  });

  it('is disabled rather than deleted when the job disables', () => {
    const job = hrJob({ scoping, deprovision: 'disable', disable: { attribute: 'employeeType', value: 'disabled' } });
    const { operations } = plan(job, [entry('E2', 'Bo', 'Li')], [person('E1', 'Ada', 'Lovelace', { status: ['active'] }), person('E2', 'Bo', 'Li', { status: ['left'] })]);
    expect(operations.map((o) => o.kind)).toEqual(['create', 'disable']);
  });

  it("outOfScopeAction 'ignore' leaves its destination object alone (Entra's skip out of scope deletions)", () => {
    const dest = [entry('E2', 'Bo', 'Li', { title: ['Old'] }), entry('E9', 'Di', 'Oz')];
    const { operations, situations } = plan(hrJob({ scoping, outOfScopeAction: 'ignore' }), dest, [person('E1', 'A', 'B', { status: ['active'] }), person('E2', 'Bo', 'Li', { status: ['left'] })]);
    expect(operations.map((o) => [o.kind, o.sourceKey || o.dn])).toEqual([
      ['create', 'E1'],
      ['delete', `uid=di.oz,ou=people,${BASE_DN}`],
    ]);
    expect(situations.source_deleted).toBe(2);
  });

  it('an out-of-scope object is never mapped, so its data cannot fail a mapping', () => {
    const job = hrJob({ scoping, mappings: [...hrJob().mappings, { target: 'description', expression: 'FormatDateTime([hired], , "yyyy-MM-dd", "dd/MM/yyyy")' }] });
    const { problems } = plan(job, [], [person('E1', 'A', 'B', { status: ['left'], hired: ['soon'] })]);
    expect(problems).toEqual([]);
  });

  it('an object out of scope raises no problem about its key: a terminated row does not block its rehired successor', () => {
    const source = [person('E1', 'Ada', 'Lovelace', { status: ['active'] }), person('E1', 'Ada', 'Lovelace', { status: ['left'] }), { key: '', anchor: '', attributes: { status: ['left'] } }];
    const { problems, situations, operations } = plan(hrJob({ scoping }), [entry('E1', 'Ada', 'Lovelace')], source);
    expect(problems).toEqual([]);
    expect(operations).toEqual([]);
    expect(situations).toMatchObject({ unlinked_match: 1, source_deleted: 0 });
  });

  it('no object in scope is an empty source: no delete, and the empty_source guard', () => {
    const { operations, violations } = plan(hrJob({ scoping }), [entry('E1', 'Ada', 'Lovelace')], [person('E1', 'Ada', 'Lovelace', { status: ['left'] })]);
    expect(operations).toEqual([]);
    expect(violations).toEqual([expect.objectContaining({ guard: 'empty_source', message: expect.stringContaining("none of the 1 source objects is in the job's scope") })]);
  });
});
