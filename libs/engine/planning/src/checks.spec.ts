import { canonicalKey, csvCell, orphansCsv, problemsCsv, sourceKeyOf, type PlanningChecks } from './checks';
import { Planner } from './planner';
import { BASE_DN, entry, hrJob, person, plan } from './planner.fixtures';

const withChecks = (checks: PlanningChecks) => hrJob({ checks });

describe('Planner: preparation checks', () => {
  describe('source keys', () => {
    it('are NFC-normalised and trimmed: two keys equal after NFC are duplicates, both named', () => {
      const composed = 'Jos\u00e9';
      const decomposed = 'Jose\u0301';
      const { problems, operations } = plan(hrJob(), [], [person(composed, 'A', 'B'), person(` ${decomposed}`, 'C', 'D'), person('E3', 'Cy', 'Ng')]);
      expect(operations.map((o) => o.sourceKey)).toEqual(['E3']);
      expect(problems).toEqual([
        {
          code: 'SOURCE.DUPLICATE_KEY',
          message: `source objects number 1 and 2 have the same key ${composed}; none of them is planned`,
          details: { sourceKey: composed, row: '1', otherSourceKey: composed, otherRow: '2', field: 'sourceKey', reason: 'duplicate key' },
        },
      ]);
      expect(canonicalKey(` ${decomposed} `)).toBe(composed);
    });

    it("compare case-sensitively unless keyCase is 'insensitive'", () => {
      expect(plan(hrJob(), [], [person('e1', 'A', 'B'), person('E1', 'C', 'D')]).problems).toEqual([]);
      const { problems } = plan(withChecks({ keyCase: 'insensitive' }), [], [person('e1', 'A', 'B'), person('E1', 'C', 'D')]);
      expect(problems).toEqual([
        expect.objectContaining({ code: 'SOURCE.DUPLICATE_KEY', details: expect.objectContaining({ sourceKey: 'e1', row: '1', otherSourceKey: 'E1', otherRow: '2' }) }),
      ]);
      expect(problems[0].message).toBe('source objects number 1 (e1) and 2 (E1) have keys that are the same once normalised; none of them is planned');
    });

    it("with keyCase 'insensitive' links are found whatever the key's case", () => {
      const planner = new Planner(withChecks({ keyCase: 'insensitive' }));
      planner.addLink('x1', 'anchor-ada.lovelace');
      planner.addDestination(entry('E1', 'Ada', 'Lovelace'));
      planner.addSource(person('X1', 'Ada', 'Lovelace'));
      expect(planner.finish().situations.linked).toBe(1);
    });
  });

  describe('references', () => {
    const job = withChecks({ references: [{ attribute: 'managerId', mustResolveTo: 'sourceKey' }] });

    it('every value must be the key of a source object; the problem names the row, key, field and reason', () => {
      const source = [person('E1', 'Ada', 'Lovelace'), person('E2', 'Bo', 'Li', { managerId: ['E1'] }), person('E3', 'Cy', 'Ng', { managerId: ['E9'] }), person('E4', 'Di', 'Oz', { managerId: [''] })];
      const { problems, operations } = plan(job, [], source);
      expect(problems).toEqual([
        {
          code: 'SOURCE.UNRESOLVED_REFERENCE',
          message: 'source object E3 (number 3): managerId is E9, which is the key of no source object',
          details: { sourceKey: 'E3', row: '3', attribute: 'managerId', value: 'E9', reason: 'reference does not resolve to a source key' },
        },
      ]);
      expect(operations.map((o) => o.sourceKey)).toEqual(['E1', 'E2', 'E4']);
    });

    it('an object out of scope still resolves a reference: the manager exists', () => {
      const scoped = { ...job, scoping: { groups: [{ clauses: [{ attribute: 'status', operator: 'IS NULL' as const }] }] } };
      const { problems } = plan(scoped, [], [person('E1', 'Ada', 'Lovelace', { status: ['left'] }), person('E2', 'Bo', 'Li', { managerId: ['E1'] })]);
      expect(problems).toEqual([]);
    });

    it('needs an attribute and mustResolveTo sourceKey', () => {
      expect(() => new Planner(withChecks({ references: [{ attribute: '', mustResolveTo: 'sourceKey' }] }))).toThrow(expect.objectContaining({ code: 'PLAN.INVALID_JOB' }));
    });
  });

  describe('requiredTargets', () => {
    const job = withChecks({ requiredTargets: ['title'] });

    it('a create or an update that would leave a required attribute empty is a problem', () => {
      const dest = [entry('E1', 'Ada', 'Lovelace', { title: ['CTO'] })];
      const { problems, operations } = plan(job, dest, [person('E1', 'Ada', 'Lovelace'), person('E2', 'Bo', 'Li'), person('E3', 'Cy', 'Ng', { title: ['Dev'] })]);
      expect(problems.map((p) => [p.code, p.details.sourceKey, p.details.row, p.details.attribute])).toEqual([
        ['MAPPING.REQUIRED_TARGET_EMPTY', 'E1', '1', 'title'],
        ['MAPPING.REQUIRED_TARGET_EMPTY', 'E2', '2', 'title'],
      ]);
      expect(operations.map((o) => [o.kind, o.sourceKey])).toEqual([['create', 'E3']]);
    });

    it("an attribute the mapping leaves alone keeps the destination's value, which counts", () => {
      const ignore = hrJob({ checks: { requiredTargets: ['TITLE'] }, mappings: hrJob().mappings.map((m) => (m.target === 'title' ? { ...m, expression: 'IgnoreFlowIfNullOrEmpty([title])' } : m)) });
      expect(plan(ignore, [entry('E1', 'Ada', 'Lovelace', { title: ['CTO'] })], [person('E1', 'Ada', 'Lovelace')]).problems).toEqual([]);
    });

    it('must name mapped attributes', () => {
      expect(() => new Planner(withChecks({ requiredTargets: ['mail'] }))).toThrow('checks.requiredTargets names mail, which no mapping sets');
    });
  });

  describe('onError', () => {
    const dest = [entry('E1', 'Ada', 'Lovelace'), entry('E2', 'Bo', 'Li')];
    const source = [person('E1', 'Ada', 'King', { managerId: ['E404'] }), person('E3', 'Cy', 'Ng', { managerId: ['E3'] })];

    it("'block' (default): the caller refuses the whole plan", () => {
      const r = plan(withChecks({ references: [{ attribute: 'managerId', mustResolveTo: 'sourceKey' }] }), dest, source);
      expect(r.blocking).toBe(true);
      expect(plan(hrJob(), [], [person('E1', 'A', 'B')]).blocking).toBe(false);
    });

    it("'skip': the bad object is left out, its destination object is not deleted, and the problem is still returned", () => {
      const r = plan(withChecks({ references: [{ attribute: 'managerId', mustResolveTo: 'sourceKey' }], onError: 'skip' }), dest, source);
      expect(r.blocking).toBe(false);
      expect(r.problems.map((p) => [p.code, p.details.sourceKey])).toEqual([['SOURCE.UNRESOLVED_REFERENCE', 'E1']]);
      expect(r.operations.map((o) => [o.kind, o.sourceKey || o.dn])).toEqual([
        ['create', 'E3'],
        ['delete', `uid=bo.li,ou=people,${BASE_DN}`],
      ]);
    });
  });

  describe('orphans', () => {
    it('lists the destination objects no source object claims, in DN order', () => {
      const dest = [entry('E9', 'Zed', 'Last'), entry('E1', 'Ada', 'Lovelace'), { key: `uid=svc,ou=system,${BASE_DN}`, anchor: '', attributes: {} }];
      const { orphans } = plan(hrJob({ deprovision: 'ignore' }), dest, [person('E1', 'Ada', 'King')]);
      expect(orphans).toEqual([
        { dn: `uid=zed.last,ou=people,${BASE_DN}`, anchor: 'anchor-zed.last' },
        { dn: `uid=svc,ou=system,${BASE_DN}`, anchor: '' },
      ]);
    });
  });
});

describe('CSV exports', () => {
  it('quote as RFC 4180 requires and neutralise formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(['+1', '-1', '@SUM(A1)', '\tx'].map(csvCell)).toEqual(["'+1", "'-1", "'@SUM(A1)", "'\tx"]);
  });

  it('orphansCsv: one line per orphan with its DN and anchor', () => {
    expect(orphansCsv([{ dn: `uid=bo.li,ou=people,${BASE_DN}`, anchor: '42' }])).toBe(`dn,anchor\r\n"uid=bo.li,ou=people,${BASE_DN}",42\r\n`);
    expect(orphansCsv([])).toBe('dn,anchor\r\n');
  });

  it('problemsCsv: code, key, row, field, DN, message and every detail', () => {
    const { problems } = plan(withChecks({ requiredTargets: ['title'] }), [], [person('=E1', 'A', 'B')]);
    const details = JSON.stringify(problems[0].details).replace(/"/g, '""');
    expect(problemsCsv(problems)).toBe(
      'code,sourceKey,row,field,dn,message,details\r\n' +
        `MAPPING.REQUIRED_TARGET_EMPTY,'=E1,1,title,,"source object =E1 (number 1) would leave title empty, and the job requires it","${details}"\r\n`,
    );
  });
});

describe('sourceKeyOf', () => {
  it("reads the job's key attribute first, so a directory entry keeps its key when it is renamed", () => {
    const ldapEntry = (dn: string) => ({ key: dn, anchor: 'u-1', attributes: { uid: [' jdoe '] } });
    expect(sourceKeyOf(ldapEntry('uid=jdoe,ou=people,dc=example,dc=org'), 'uid')).toBe('jdoe');
    expect(sourceKeyOf(ldapEntry('uid=jdoe,ou=staff,dc=example,dc=org'), 'UID')).toBe('jdoe');
  });

  it("falls back to the record's key, and gives '' for neither", () => {
    expect(sourceKeyOf({ key: 'E1', anchor: '', attributes: {} }, 'employeeId')).toBe('E1');
    expect(sourceKeyOf({ key: '', anchor: '', attributes: { employeeId: [''] } }, 'employeeId')).toBe('');
  });
});
