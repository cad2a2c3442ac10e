import { PlanningError } from './errors';
import { Planner } from './planner';
import { BASE_DN, entry, hrJob, person, plan } from './planner.fixtures';

describe('Planner: problems are reported, never guessed', () => {
  it('a failing mapping names the source key, the attribute and the expression', () => {
    const job = hrJob({ mappings: [...hrJob().mappings, { target: 'description', expression: 'FormatDateTime([hired], , "yyyy-MM-dd", "dd/MM/yyyy")' }] });
    const { operations, problems, summary } = plan(job, [entry('E1', 'Ada', 'Lovelace')], [person('E1', 'Ada', 'King', { hired: ['last week'] }), person('E2', 'Bo', 'Li', { hired: ['2020-01-02'] })]);
    expect(problems).toEqual([
      {
        code: 'MAPPING.EVAL_FAILED',
        message: 'source object E1: the mapping of description (FormatDateTime([hired], , "yyyy-MM-dd", "dd/MM/yyyy")) failed: at 0: FormatDateTime: "last week" does not match the format "yyyy-MM-dd"',
        details: {
          sourceKey: 'E1',
          attribute: 'description',
          expression: 'FormatDateTime([hired], , "yyyy-MM-dd", "dd/MM/yyyy")',
          error: 'at 0: FormatDateTime: "last week" does not match the format "yyyy-MM-dd"',
          errorCode: 'EXPRESSION.EVALUATION',
        },
      },
    ]);
    // E1 is neither updated nor, having matched, deleted; E2 is unaffected.
    expect(operations.map((o) => [o.kind, o.sourceKey])).toEqual([['create', 'E2']]);
    expect(operations[0].changes).toContainEqual({ attribute: 'description', before: [], after: ['02/01/2020'] });
    expect(summary).toMatchObject({ deletes: 0, updates: 0 });
  });

  it('a source object matching two destination objects is ambiguous; both are kept', () => {
    const dest = [entry('E1', 'Ada', 'Lovelace'), entry('E1', 'Ada', 'King')];
    const { operations, problems } = plan(hrJob(), dest, [person('E1', 'Ada', 'Lovelace')]);
    expect(operations).toEqual([]);
    expect(problems).toEqual([
      {
        code: 'PLAN.AMBIGUOUS_MATCH',
        message: `source object E1 matches 2 destination objects by employeeId = employeeNumber: ${dest[1].key}; ${dest[0].key}`,
        details: { sourceKey: 'E1', sourceAttribute: 'employeeId', destinationAttribute: 'employeeNumber', dns: `${dest[1].key}; ${dest[0].key}` },
      },
    ]);
  });

  it('two source objects matching one destination object: neither is planned, the object is kept', () => {
    const job = hrJob({ matching: [{ sourceAttribute: 'email', destinationAttribute: 'mail', priority: 1 }] });
    const { operations, problems } = plan(job, [entry('E1', 'Ada', 'Lovelace', { mail: ['ada@x.org'] })], [person('E1', 'Ada', 'L', { email: ['ada@x.org'] }), person('E2', 'Ada', 'K', { email: ['ADA@x.org'] })]);
    expect(operations).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ code: 'PLAN.DUPLICATE_MATCH', details: { dn: `uid=ada.lovelace,ou=people,${BASE_DN}`, sourceKeys: 'E1, E2' } })]);
  });

  it('two creates with the same DN name both source keys and neither is created', () => {
    const { operations, problems } = plan(hrJob(), [], [person('E2', 'John', 'Smith'), person('E1', 'JOHN', 'SMITH'), person('E3', 'Jane', 'Doe')]);
    expect(operations.map((o) => o.sourceKey)).toEqual(['E3']);
    expect(problems).toEqual([
      {
        code: 'PLAN.DUPLICATE_DN',
        message: `source objects E1 and E2 would both be created as uid=john.smith,ou=people,${BASE_DN}`,
        details: { dn: `uid=john.smith,ou=people,${BASE_DN}`, sourceKey: 'E1', otherSourceKey: 'E2' },
      },
    ]);
  });

  it('a create onto an existing, unmatched DN is refused and that object is not deleted', () => {
    // E9 left and E1 joined with the same name: deleting then "creating" would lose the new account.
    const { operations, problems } = plan(hrJob(), [entry('E9', 'John', 'Smith')], [person('E1', 'John', 'Smith')]);
    expect(operations).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ code: 'PLAN.DN_EXISTS', details: { dn: `uid=john.smith,ou=people,${BASE_DN}`, sourceKey: 'E1' } })]);
  });

  it('a DN value that is missing or multiple is a problem', () => {
    const job = hrJob({ mappings: [...hrJob().mappings.filter((m) => m.target !== 'uid'), { target: 'uid', expression: '[login]' }] });
    const { operations, problems } = plan(job, [], [person('E1', 'A', 'B'), person('E2', 'C', 'D', { login: ['c', 'd'] })]);
    expect(operations).toEqual([]);
    expect(problems.map((p) => [p.code, p.details.sourceKey])).toEqual([
      ['PLAN.DN_VALUE_MISSING', 'E1'],
      ['PLAN.DN_VALUE_MULTIPLE', 'E2'],
    ]);
  });

  it('a change to the naming attribute is a rename to the DN the template gives', () => {
    const job = hrJob({ mappings: hrJob().mappings.map((m) => ({ ...m, onCreateOnly: false })) });
    const { operations, problems } = plan(job, [entry('E1', 'Ada', 'Lovelace')], [person('E1', 'Ada', 'King')]);
    expect(problems).toEqual([]);
    expect(operations).toEqual([
      expect.objectContaining({
        kind: 'rename', dn: `uid=ada.lovelace,ou=people,${BASE_DN}`, newDn: `uid=ada.king,ou=people,${BASE_DN}`,
        changes: expect.arrayContaining([{ attribute: 'uid', before: ['ada.lovelace'], after: ['ada.king'] }, { attribute: 'sn', before: ['Lovelace'], after: ['King'] }]),
      }),
    ]);
  });

  it('a change to the naming attribute when the DN template cannot be rendered is a problem, not a half rename', () => {
    const mappings = [...hrJob().mappings.map((m) => ({ ...m, onCreateOnly: false })), { target: 'ou', expression: '[department]' }];
    const { operations, problems } = plan(hrJob({ dnTemplate: 'uid={uid},ou={ou}', mappings }), [entry('E1', 'Ada', 'Lovelace')], [person('E1', 'Ada', 'King')]);
    expect(operations).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ code: 'PLAN.RENAME_REQUIRED', details: expect.objectContaining({ attribute: 'uid', before: 'ada.lovelace', after: 'ada.king' }) })]);
  });

  it('a naming value that changes only in case, or loses another value, is a plain update: the RDN value stays', () => {
    const job = hrJob({ dnTemplate: 'cn={cn},ou=people', mappings: hrJob().mappings.map((m) => ({ ...m, onCreateOnly: false })) });
    const dest = { ...entry('E1', 'Ada', 'Lovelace'), key: `cn=ada lovelace,ou=people,${BASE_DN}` };
    dest.attributes.cn = ['ada lovelace', 'Countess'];
    const links: [string, string][] = [['E1', dest.anchor]];
    const { operations, problems } = plan(job, [dest], [person('E1', 'Ada', 'Lovelace')], undefined, { links });
    expect(problems).toEqual([]);
    expect(operations).toEqual([expect.objectContaining({ kind: 'update', dn: dest.key, changes: [{ attribute: 'cn', before: ['ada lovelace', 'Countess'], after: ['Ada Lovelace'] }] })]);
  });

  it('a rename to a DN another object has, or that a create takes, is a problem and the rename is left out', () => {
    const job = hrJob({ mappings: hrJob().mappings.map((m) => ({ ...m, onCreateOnly: false })) });
    const taken = plan(job, [entry('E1', 'Ada', 'Lovelace'), entry('E2', 'Ada', 'King')], [person('E1', 'Ada', 'King'), person('E2', 'Ada', 'King')]);
    expect(taken.operations.filter((o) => o.kind === 'rename')).toEqual([]);
    expect(taken.problems.map((p) => p.code)).toContain('PLAN.RENAME_TAKEN');
    const created = plan(job, [entry('E1', 'Ada', 'Lovelace')], [person('E1', 'Ada', 'King'), { ...person('E9', 'Ada', 'King') }]);
    expect(created.operations.map((o) => o.kind)).toEqual(['create']);
    expect(created.problems).toEqual([expect.objectContaining({ code: 'PLAN.RENAME_TAKEN', message: expect.stringContaining('E9 would be created as') })]);
  });

  it('source objects without a key, or sharing one, are not planned but keep what they match', () => {
    const noKey = { key: '', anchor: '', attributes: { employeeId: [''], givenName: ['X'], surname: ['Y'] } };
    const { operations, problems } = plan(hrJob(), [entry('E1', 'Ada', 'Lovelace')], [person('E1', 'Ada', 'King'), person('E1', 'Ada', 'Queen'), noKey]);
    expect(operations).toEqual([]);
    expect(problems.map((p) => p.code)).toEqual(['SOURCE.DUPLICATE_KEY', 'SOURCE.MISSING_KEY']);
  });

  it('reads the key from the sourceKey column when the record has none', () => {
    const { operations } = plan(hrJob(), [], [{ key: '', anchor: '', attributes: { EmployeeId: ['E7'], givenName: ['A'], surname: ['B'] } }]);
    expect(operations[0].sourceKey).toBe('E7');
  });

  it('a destination snapshot holding a DN twice is a problem', () => {
    const { problems } = plan(hrJob(), [entry('E1', 'Ada', 'Lovelace'), entry('E1', 'ADA', 'LOVELACE')], [person('E1', 'Ada', 'Lovelace')]);
    expect(problems.map((p) => p.code)).toEqual(['DESTINATION.DUPLICATE_DN']);
  });

  describe('a job the planner cannot use is refused before any object is read', () => {
    it('broken expressions, all of them, with their positions', () => {
      const job = hrJob({ mappings: [{ target: 'cn', expression: 'Join(" ", [givenName]' }, { target: 'sn', expression: 'toLower([surname])' }, { target: 'uid', expression: '[uid]' }] });
      let error: unknown;
      try {
        new Planner(job);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PlanningError);
      expect(error).toMatchObject({
        code: 'MAPPING.INVALID_EXPRESSION',
        details: { cn: "at 21: expected ')' or ',', found the end of the expression", sn: "at 0: unknown function 'toLower' (did you mean ToLower? function names are case-sensitive)" },
      });
    });

    it('a DN template naming an attribute no mapping sets', () => {
      expect(() => new Planner(hrJob({ dnTemplate: 'cn={fullName},ou=people' }))).toThrow('the DN template uses {fullName} but no mapping sets fullName');
      expect(() => new Planner(hrJob({ dnTemplate: 'cn=fixed' }))).toThrow(expect.objectContaining({ code: 'PLAN.INVALID_JOB' }));
    });

    it('no matching rule, or two mappings of one attribute', () => {
      expect(() => new Planner(hrJob({ matching: [] }))).toThrow('the job needs at least one matching rule');
      expect(() => new Planner(hrJob({ mappings: [...hrJob().mappings, { target: 'CN', expression: '"x"' }] }))).toThrow('two mappings set CN');
    });
  });
});
