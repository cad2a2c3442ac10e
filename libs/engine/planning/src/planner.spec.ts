import { PlanningError } from './errors';
import { Planner } from './planner';
import { BASE_DN, entry, hrJob, person, plan } from './planner.fixtures';

describe('Planner: operations', () => {
  it('creates an unmatched source object with its DN, object classes and every non-empty attribute', () => {
    const { operations, summary, problems } = plan(hrJob(), [], [person('E1', 'Zoë', 'Ångström')]);
    expect(problems).toEqual([]);
    expect(operations).toEqual([
      {
        index: 0,
        phase: 1,
        kind: 'create',
        dn: `uid=zoe.angstrom,ou=people,${BASE_DN}`,
        sourceKey: 'E1',
        objectClasses: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
        changes: [
          { attribute: 'uid', before: [], after: ['zoe.angstrom'] },
          { attribute: 'cn', before: [], after: ['Zoë Ångström'] },
          { attribute: 'sn', before: [], after: ['Ångström'] },
          { attribute: 'employeeNumber', before: [], after: ['E1'] },
        ],
      },
    ]);
    expect(summary).toEqual({ sourceCount: 1, destinationCount: 0, creates: 1, updates: 0, deletes: 0, disables: 0, renames: 0, unchanged: 0, groupCreates: 0, memberAdds: 0, memberRemoves: 0 });
  });

  it('plans nothing for a matched object that is already right', () => {
    const { operations, summary } = plan(hrJob(), [entry('E1', 'Ada', 'Lovelace')], [person('E1', 'Ada', 'Lovelace')]);
    expect(operations).toEqual([]);
    expect(summary).toMatchObject({ unchanged: 1, creates: 0, updates: 0, deletes: 0 });
  });

  it('updates only the attributes that differ, with their before and after values', () => {
    const { operations, summary } = plan(hrJob(), [entry('E1', 'Ada', 'Lovelace', { title: ['Engineer'] })], [person('E1', 'Ada', 'King', { title: ['Architect'] })]);
    expect(summary).toMatchObject({ updates: 1, unchanged: 0 });
    expect(operations).toEqual([
      {
        index: 0,
        phase: 3,
        kind: 'update',
        dn: `uid=ada.lovelace,ou=people,${BASE_DN}`,
        sourceKey: 'E1',
        objectClasses: [],
        changes: [
          { attribute: 'cn', before: ['Ada Lovelace'], after: ['Ada King'] },
          { attribute: 'sn', before: ['Lovelace'], after: ['King'] },
          { attribute: 'title', before: ['Engineer'], after: ['Architect'] },
        ],
      },
    ]);
  });

  it('never updates an onCreateOnly attribute', () => {
    // The uid the mapping would now give is "ada.king"; the entry keeps "ada.lovelace".
    const { operations } = plan(hrJob(), [entry('E1', 'Ada', 'Lovelace')], [person('E1', 'Ada', 'King')]);
    expect(operations[0].changes.map((c) => c.attribute)).toEqual(['cn', 'sn']);
  });

  it('removes a value the mapping no longer gives, and leaves unmapped attributes alone', () => {
    const { operations } = plan(hrJob(), [entry('E1', 'Ada', 'Lovelace', { title: ['Engineer'], telephoneNumber: ['+1 555'] })], [person('E1', 'Ada', 'Lovelace')]);
    expect(operations).toEqual([expect.objectContaining({ kind: 'update', changes: [{ attribute: 'title', before: ['Engineer'], after: [] }] })]);
  });

  it('compares values as sets and attribute names regardless of case', () => {
    const job = hrJob({ mappings: [...hrJob().mappings, { target: 'mail', expression: 'Split([emails], ",")' }] });
    const dest = entry('E1', 'Ada', 'Lovelace', { MAIL: ['b@x.org', 'a@x.org'] });
    delete dest.attributes.cn;
    dest.attributes.CN = ['Ada Lovelace'];
    const { operations, summary } = plan(job, [dest], [person('E1', 'Ada', 'Lovelace', { emails: ['a@x.org, b@x.org'] })]);
    expect(operations).toEqual([]);
    expect(summary.unchanged).toBe(1);
    expect(plan(job, [dest], [person('E1', 'Ada', 'Lovelace', { emails: ['A@x.org,b@x.org'] })]).operations[0].changes).toEqual([
      { attribute: 'mail', before: ['b@x.org', 'a@x.org'], after: ['A@x.org', 'b@x.org'] },
    ]);
  });

  it('leaves an attribute alone when IgnoreFlowIfNullOrEmpty says so', () => {
    const job = hrJob({ mappings: hrJob().mappings.map((m) => (m.target === 'title' ? { ...m, expression: 'IgnoreFlowIfNullOrEmpty([title])' } : m)) });
    const { operations, summary } = plan(job, [entry('E1', 'Ada', 'Lovelace', { title: ['Engineer'] })], [person('E1', 'Ada', 'Lovelace'), person('E2', 'Bo', 'Li')]);
    expect(summary).toMatchObject({ unchanged: 1, creates: 1 });
    expect(operations[0].changes.map((c) => c.attribute)).not.toContain('title');
  });

  it('matches on trimmed values regardless of case, trying rules by priority', () => {
    const job = hrJob({
      matching: [
        { sourceAttribute: 'email', destinationAttribute: 'mail', priority: 2 },
        { sourceAttribute: 'employeeId', destinationAttribute: 'employeeNumber', priority: 1 },
      ],
    });
    const dest = [entry('e1', 'Ada', 'Lovelace'), entry('X9', 'Bo', 'Li', { mail: ['bo@x.org'] })];
    const source = [person(' E1 ', 'Ada', 'Lovelace'), person('E2', 'Bo', 'Li', { email: ['BO@x.org'] })];
    const { operations, summary } = plan(job, dest, source);
    expect(summary).toMatchObject({ creates: 0, deletes: 0, updates: 2 });
    // Matched, and the mapping of employeeNumber then writes the source's own spelling.
    expect(operations.map((o) => [o.dn, o.changes])).toEqual([
      [dest[0].key, [{ attribute: 'employeeNumber', before: ['e1'], after: [' E1 '] }]],
      [dest[1].key, [{ attribute: 'employeeNumber', before: ['X9'], after: ['E2'] }]],
    ]);
  });

  it('deletes destination objects no source object matches', () => {
    const { operations, summary } = plan(hrJob(), [entry('E1', 'Ada', 'Lovelace'), entry('E2', 'Bo', 'Li')], [person('E1', 'Ada', 'Lovelace')]);
    expect(operations).toEqual([{ index: 0, phase: 5, kind: 'delete', dn: `uid=bo.li,ou=people,${BASE_DN}`, sourceKey: '', objectClasses: [], changes: [] }]);
    expect(summary).toMatchObject({ deletes: 1, unchanged: 1 });
  });

  it('ignores them with deprovision "ignore"', () => {
    const { operations } = plan(hrJob({ deprovision: 'ignore' }), [entry('E2', 'Bo', 'Li')], [person('E1', 'Ada', 'Lovelace')]);
    expect(operations.map((o) => o.kind)).toEqual(['create']);
  });

  describe('deprovision "disable"', () => {
    const job = hrJob({ deprovision: 'disable', disable: { attribute: 'employeeType', value: 'disabled' } });

    it('disables by setting the attribute, once', () => {
      const { operations, summary } = plan(job, [entry('E2', 'Bo', 'Li', { employeeType: ['staff'] }), entry('E3', 'Cy', 'Ng', { employeeType: ['Disabled'] })], [person('E1', 'Ada', 'Lovelace')]);
      expect(operations.filter((o) => o.kind !== 'create')).toEqual([
        { index: 1, phase: 4, kind: 'disable', dn: `uid=bo.li,ou=people,${BASE_DN}`, sourceKey: '', objectClasses: [], changes: [{ attribute: 'employeeType', before: ['staff'], after: ['disabled'] }] },
      ]);
      expect(summary).toMatchObject({ disables: 1, deletes: 0 });
    });

    it('enables again an object that comes back to the source', () => {
      const { operations } = plan(job, [entry('E2', 'Bo', 'Li', { employeeType: ['disabled'] })], [person('E2', 'Bo', 'Li')]);
      expect(operations).toEqual([expect.objectContaining({ kind: 'update', changes: [{ attribute: 'employeeType', before: ['disabled'], after: [] }] })]);
    });

    it('needs the attribute and value', () => {
      expect(() => new Planner(hrJob({ deprovision: 'disable' }))).toThrow(expect.objectContaining({ code: 'PLAN.INVALID_JOB' }));
    });
  });

  it('escapes hostile values put into the DN', () => {
    const job = hrJob({ mappings: [...hrJob().mappings.filter((m) => m.target !== 'uid'), { target: 'uid', expression: '[login]' }] });
    const hostile = ['x,ou=admins', ' #root', 'a+cn=b', 'back\\slash ', 'quote"<>;'];
    const { operations, problems } = plan(
      job,
      [],
      hostile.map((login, i) => person(`E${i}`, 'A', 'B', { login: [login] })),
    );
    expect(problems).toEqual([]);
    expect(operations.map((o) => o.dn).sort()).toEqual(
      [
        `uid=x\\,ou=admins,ou=people,${BASE_DN}`,
        `uid=\\ #root,ou=people,${BASE_DN}`,
        `uid=a\\+cn=b,ou=people,${BASE_DN}`,
        `uid=back\\\\slash\\ ,ou=people,${BASE_DN}`,
        `uid=quote\\"\\<\\>\\;,ou=people,${BASE_DN}`,
      ].sort(),
    );
  });

  it('gives the same plan, in the same order, whatever order the objects arrive in', () => {
    const dest = [entry('E1', 'Ada', 'Lovelace'), entry('E2', 'Bo', 'Li'), entry('E3', 'Cy', 'Ng'), entry('E4', 'Di', 'Oz')];
    const source = [person('E1', 'Ada', 'King'), person('E3', 'Cy', 'Ng'), person('E5', 'Ed', 'Po'), person('E6', 'Al', 'Ba'), person('E4', 'Di', 'Ox')];
    const first = plan(hrJob(), dest, source);
    const second = plan(hrJob(), [...dest].reverse(), [...source].reverse());
    expect(second).toEqual(first);
    expect(first.operations.map((o) => [o.index, o.kind, o.dn.split(',')[0]])).toEqual([
      [0, 'create', 'uid=al.ba'],
      [1, 'create', 'uid=ed.po'],
      [2, 'update', 'uid=ada.lovelace'],
      [3, 'update', 'uid=di.oz'],
      [4, 'delete', 'uid=bo.li'],
    ]);
  });

  it('deletes children before their parents', () => {
    const dn = (rdns: string) => ({ key: `${rdns},ou=people,${BASE_DN}`, anchor: '', attributes: {} });
    const ops = plan(hrJob(), [dn('ou=team'), dn('uid=z,ou=team'), dn('uid=a'), dn('uid=b,ou=team')], [person('E1', 'Ada', 'Lovelace')]).operations;
    expect(ops.filter((o) => o.kind === 'delete').map((o) => o.dn.split(',ou=people')[0])).toEqual(['uid=b,ou=team', 'uid=z,ou=team', 'ou=team', 'uid=a']);
  });

  it('can only finish once', () => {
    const p = new Planner(hrJob());
    p.finish();
    expect(() => p.addSource(person('E1', 'A', 'B'))).toThrow(PlanningError);
  });
});
