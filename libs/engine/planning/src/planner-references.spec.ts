import { PlanningError } from './errors';
import { Planner } from './planner';
import { BASE_DN, entry, hrJob, person, plan } from './planner.fixtures';
import type { PlannedOperation, PlanningJob } from './types';

const manager = { target: 'manager', expression: '[managerId]', reference: true };
const job = (overrides: Partial<PlanningJob> = {}) => hrJob({ mappings: [...hrJob().mappings, manager], ...overrides });
const dn = (uid: string) => `uid=${uid},ou=people,${BASE_DN}`;
const brief = (ops: PlannedOperation[]) => ops.map((o) => [o.phase, o.kind, o.sourceKey, o.dn.split(',')[0], ...(o.newDn ? [o.newDn.split(',')[0]] : [])]);
const changeOf = (op: PlannedOperation | undefined, attribute: string) => op?.changes.find((c) => c.attribute === attribute);

describe('Planner: reference mappings (a manager DN from a manager id)', () => {
  it('a manager created in the same run: the create leaves manager out, a phase-3 update of the new object sets it', () => {
    const r = plan(job(), [], [person('E1', 'Ada', 'Lovelace'), person('E2', 'Bo', 'Li', { managerId: ['E1'] })]);
    expect(r.problems).toEqual([]);
    expect(brief(r.operations)).toEqual([
      [1, 'create', 'E1', 'uid=ada.lovelace'],
      [1, 'create', 'E2', 'uid=bo.li'],
      [3, 'update', 'E2', 'uid=bo.li'],
    ]);
    expect(changeOf(r.operations[1], 'manager')).toBeUndefined();
    expect(r.operations[2]).toEqual({ index: 2, phase: 3, kind: 'update', dn: dn('bo.li'), sourceKey: 'E2', objectClasses: [], changes: [{ attribute: 'manager', before: [], after: [dn('ada.lovelace')] }] });
    // The update is the second half of a create: not counted as an update.
    expect(r.summary).toMatchObject({ creates: 2, updates: 0 });
  });

  it('an existing manager: the create carries the manager DN as the directory spells it, in mapping order', () => {
    const ada = { ...entry('E1', 'Ada', 'Lovelace'), key: `UID=ada.lovelace, ou=People,${BASE_DN}` };
    const r = plan(job(), [ada], [person('E1', 'Ada', 'Lovelace'), person('E2', 'Bo', 'Li', { managerId: ['E1'] })]);
    expect(brief(r.operations)).toEqual([[1, 'create', 'E2', 'uid=bo.li']]);
    expect(r.operations[0].changes.map((c) => c.attribute)).toEqual(['uid', 'cn', 'sn', 'employeeNumber', 'manager']);
    expect(changeOf(r.operations[0], 'manager')).toEqual({ attribute: 'manager', before: [], after: [ada.key] });
  });

  it('an existing object gets its manager updated, and the update is planned whether the manager is created or exists', () => {
    const directory = [entry('E1', 'Ada', 'Lovelace'), entry('E2', 'Bo', 'Li', { manager: [dn('cy.ng')] })];
    const source = [person('E1', 'Ada', 'Lovelace'), person('E2', 'Bo', 'Li', { managerId: ['E3'] }), person('E3', 'Cy', 'Ng'), person('E4', 'Di', 'Oz', { managerId: ['E2'] })];
    // E2's manager E3 is created in phase 1 and exists when E2's update runs (phase 3); E4 reports to E2, who exists.
    const unchanged = plan(job(), directory, source);
    expect(brief(unchanged.operations)).toEqual([
      [1, 'create', 'E3', 'uid=cy.ng'],
      [1, 'create', 'E4', 'uid=di.oz'],
    ]);
    expect(changeOf(unchanged.operations[1], 'manager')?.after).toEqual([dn('bo.li')]);
    expect(unchanged.summary).toMatchObject({ unchanged: 2, updates: 0 });
    const moved = plan(job(), directory, [...source.slice(0, 1), person('E2', 'Bo', 'Li', { managerId: ['E1'] }), ...source.slice(2)]);
    expect(moved.operations.find((o) => o.kind === 'update')).toEqual({
      index: 2,
      phase: 3,
      kind: 'update',
      dn: dn('bo.li'),
      sourceKey: 'E2',
      objectClasses: [],
      changes: [{ attribute: 'manager', before: [dn('cy.ng')], after: [dn('ada.lovelace')] }],
    });
    expect(moved.summary).toMatchObject({ unchanged: 1, updates: 1 });
  });

  it('a manager renamed in the same run: references name the new DN', () => {
    const renaming = job({ mappings: [{ target: 'uid', expression: 'ToLower(Join(".", [givenName], [surname]))' }, ...job().mappings.slice(1)] });
    const directory = [entry('E1', 'Ada', 'Lovelace'), entry('E2', 'Bo', 'Li', { manager: [dn('ada.lovelace')] })];
    const source = [person('E1', 'Ada', 'King'), person('E2', 'Bo', 'Li', { managerId: ['E1'] }), person('E3', 'Cy', 'Ng', { managerId: ['E1'] })];
    const r = plan(renaming, directory, source);
    expect(r.problems).toEqual([]);
    expect(brief(r.operations)).toEqual([
      [0, 'rename', 'E1', 'uid=ada.lovelace', 'uid=ada.king'],
      [1, 'create', 'E3', 'uid=cy.ng'],
      [3, 'update', 'E2', 'uid=bo.li'],
    ]);
    expect(changeOf(r.operations[1], 'manager')?.after).toEqual([dn('ada.king')]);
    expect(r.operations[2].changes).toEqual([{ attribute: 'manager', before: [dn('ada.lovelace')], after: [dn('ada.king')] }]);
  });

  it('a rename that names an object created in the same plan sets it with a phase-3 update at its new DN', () => {
    const renaming = job({ mappings: [{ target: 'uid', expression: 'ToLower(Join(".", [givenName], [surname]))' }, ...job().mappings.slice(1)] });
    const r = plan(renaming, [entry('E1', 'Ada', 'Lovelace')], [person('E1', 'Ada', 'King', { managerId: ['E2'] }), person('E2', 'Bo', 'Li')]);
    expect(brief(r.operations)).toEqual([
      [0, 'rename', 'E1', 'uid=ada.lovelace', 'uid=ada.king'],
      [1, 'create', 'E2', 'uid=bo.li'],
      [3, 'update', 'E1', 'uid=ada.king'],
    ]);
    expect(changeOf(r.operations[0], 'manager')).toBeUndefined();
    expect(r.operations[2].changes).toEqual([{ attribute: 'manager', before: [], after: [dn('bo.li')] }]);
    expect(r.summary).toMatchObject({ renames: 1, creates: 1, updates: 0 });
  });

  it('in a partial run, a manager outside the delta is found by its link', () => {
    const directory = [entry('E1', 'Ada', 'Lovelace'), entry('E2', 'Bo', 'Li')];
    const r = plan(job(), directory, [person('E2', 'Bo', 'Li', { managerId: ['E1'] }), person('E3', 'Cy', 'Ng', { managerId: ['E1'] })], { partial: true }, { links: [['E1', 'anchor-ada.lovelace']] });
    expect(r.problems).toEqual([]);
    expect(brief(r.operations)).toEqual([
      [1, 'create', 'E3', 'uid=cy.ng'],
      [3, 'update', 'E2', 'uid=bo.li'],
    ]);
    expect(changeOf(r.operations[0], 'manager')?.after).toEqual([dn('ada.lovelace')]);
    // Without the link the manager is unknown.
    const unknown = plan(job(), directory, [person('E2', 'Bo', 'Li', { managerId: ['E1'] })], { partial: true });
    expect(unknown.problems.map((p) => p.code)).toEqual(['PLAN.UNRESOLVED_REFERENCE']);
  });

  it('a manager out of scope is found by its link while outOfScopeAction keeps its object, not once it is deleted', () => {
    const scoping = { groups: [{ clauses: [{ attribute: 'status', operator: 'EQUALS' as const, value: 'active' }] }] };
    const directory = [entry('E1', 'Ada', 'Lovelace'), entry('E2', 'Bo', 'Li')];
    const source = [person('E1', 'Ada', 'Lovelace', { status: ['left'] }), person('E2', 'Bo', 'Li', { status: ['active'], managerId: ['E1'] })];
    const links = { links: [['E1', 'anchor-ada.lovelace']] as [string, string][] };
    const kept = plan(job({ scoping, outOfScopeAction: 'ignore' }), directory, source, {}, links);
    expect(kept.problems).toEqual([]);
    expect(kept.operations.map((o) => [o.kind, o.sourceKey, changeOf(o, 'manager')?.after])).toEqual([['update', 'E2', [dn('ada.lovelace')]]]);
    const deleted = plan(job({ scoping }), directory, source, {}, links);
    expect(deleted.operations.map((o) => [o.kind, o.dn])).toEqual([['delete', dn('ada.lovelace')]]);
    expect(deleted.problems.map((p) => [p.code, p.details.sourceKey])).toEqual([['PLAN.UNRESOLVED_REFERENCE', 'E2']]);
  });

  it('an unresolved reference is a problem naming key, row, attribute and value; the object is not planned', () => {
    const source = [person('E1', 'Ada', 'Lovelace'), person('E2', 'Bo', 'Li', { managerId: ['E9'] }), person('E3', 'Cy', 'Ng', { managerId: ['E2'] })];
    const r = plan(job(), [entry('E2', 'Bo', 'Li')], source);
    expect(r.problems).toEqual([
      {
        code: 'PLAN.UNRESOLVED_REFERENCE',
        message:
          'source object E2 (number 2): manager refers to E9, which has no destination object after this plan (no source object of this run gets one, nor does a known link name one); it is not planned',
        details: { sourceKey: 'E2', row: '2', attribute: 'manager', value: 'E9', reason: 'reference resolves to no destination object' },
      },
    ]);
    // E2 exists: it keeps its DN, so E3 may name it; E2 itself is neither updated nor deleted, nor linked.
    expect(brief(r.operations)).toEqual([
      [1, 'create', 'E1', 'uid=ada.lovelace'],
      [1, 'create', 'E3', 'uid=cy.ng'],
    ]);
    expect(r.newLinks).toEqual([]);
    expect(r.summary).toMatchObject({ unchanged: 0, updates: 0, deletes: 0 });
    expect(r.blocking).toBe(true);
  });

  it('onError skip plans the rest; a create left out leaves out the creates that name it', () => {
    const source = [person('E1', 'Ada', 'Lovelace'), person('E2', 'Bo', 'Li', { managerId: ['E9'] }), person('E3', 'Cy', 'Ng', { managerId: ['E2'] }), person('E4', 'Di', 'Oz', { managerId: ['E3'] })];
    const r = plan(job({ checks: { onError: 'skip' } }), [], source);
    expect(r.problems.map((p) => [p.code, p.details.sourceKey, p.details.value])).toEqual([
      ['PLAN.UNRESOLVED_REFERENCE', 'E2', 'E9'],
      ['PLAN.UNRESOLVED_REFERENCE', 'E3', 'E2'],
      ['PLAN.UNRESOLVED_REFERENCE', 'E4', 'E3'],
    ]);
    expect(brief(r.operations)).toEqual([[1, 'create', 'E1', 'uid=ada.lovelace']]);
    expect(r.summary.creates).toBe(1);
    expect(r.blocking).toBe(false);
  });

  it('multi-valued references: every key becomes a DN, all set in phase 3 when one of them is new', () => {
    const delegates = { target: 'secretary', expression: 'Split([delegates], ";")', reference: true };
    const j = hrJob({ mappings: [...hrJob().mappings, delegates] });
    const directory = [entry('E1', 'Ada', 'Lovelace'), entry('E2', 'Bo', 'Li', { secretary: [dn('ada.lovelace')] })];
    const source = [person('E1', 'Ada', 'Lovelace', { delegates: ['E2'] }), person('E2', 'Bo', 'Li', { delegates: ['E1;E3; E1'] }), person('E3', 'Cy', 'Ng', { delegates: ['E1;E2;E1'] }), person('E4', 'Di', 'Oz', { delegates: ['E1;E3'] })];
    const r = plan(j, directory, source);
    expect(r.problems).toEqual([]);
    expect(brief(r.operations)).toEqual([
      [1, 'create', 'E3', 'uid=cy.ng'],
      [1, 'create', 'E4', 'uid=di.oz'],
      [3, 'update', 'E1', 'uid=ada.lovelace'],
      [3, 'update', 'E2', 'uid=bo.li'],
      [3, 'update', 'E4', 'uid=di.oz'],
    ]);
    // A key given twice (" E1" trims to "E1") is one DN.
    expect(changeOf(r.operations[0], 'secretary')?.after).toEqual([dn('ada.lovelace'), dn('bo.li')]);
    expect(changeOf(r.operations[1], 'secretary')).toBeUndefined();
    expect(r.operations[2].changes).toEqual([{ attribute: 'secretary', before: [], after: [dn('bo.li')] }]);
    expect(r.operations[3].changes).toEqual([{ attribute: 'secretary', before: [dn('ada.lovelace')], after: [dn('ada.lovelace'), dn('cy.ng')] }]);
    expect(r.operations[4].changes).toEqual([{ attribute: 'secretary', before: [], after: [dn('ada.lovelace'), dn('cy.ng')] }]);
  });

  it('keys compare as checks.keyCase says, after NFC and trimming', () => {
    const directory = [entry('E1', 'Ada', 'Lovelace')];
    const source = [person('E1', 'Ada', 'Lovelace'), person('E2', 'Bo', 'Li', { managerId: [' e1 '] })];
    expect(plan(job(), directory, source).problems.map((p) => p.details.value)).toEqual([' e1 ']);
    const r = plan(job({ checks: { keyCase: 'insensitive' } }), directory, source);
    expect(r.problems).toEqual([]);
    expect(changeOf(r.operations[0], 'manager')?.after).toEqual([dn('ada.lovelace')]);
  });

  it('DN values compare normalised: the same DN spelled otherwise is no update', () => {
    const directory = [entry('E1', 'Ada', 'Lovelace'), entry('E2', 'Bo', 'Li', { manager: [`UID=ada.lovelace, ou=People,${BASE_DN}`] })];
    const r = plan(job(), directory, [person('E1', 'Ada', 'Lovelace'), person('E2', 'Bo', 'Li', { managerId: ['E1'] })]);
    expect(r.operations).toEqual([]);
    expect(r.summary).toMatchObject({ unchanged: 2, updates: 0 });
  });

  it('an empty reference removes the attribute on update, as any empty mapping', () => {
    const directory = [entry('E1', 'Ada', 'Lovelace'), entry('E2', 'Bo', 'Li', { manager: [dn('ada.lovelace')] })];
    const r = plan(job(), directory, [person('E1', 'Ada', 'Lovelace'), person('E2', 'Bo', 'Li', { managerId: [''] })]);
    expect(r.operations.map((o) => [o.kind, o.sourceKey, o.changes])).toEqual([['update', 'E2', [{ attribute: 'manager', before: [dn('ada.lovelace')], after: [] }]]]);
  });

  it('a self reference resolves to the object own DN: set after its create, kept on an existing object', () => {
    const created = plan(job(), [], [person('E1', 'Ada', 'Lovelace', { managerId: ['E1'] })]);
    expect(brief(created.operations)).toEqual([
      [1, 'create', 'E1', 'uid=ada.lovelace'],
      [3, 'update', 'E1', 'uid=ada.lovelace'],
    ]);
    expect(created.operations[1].changes).toEqual([{ attribute: 'manager', before: [], after: [dn('ada.lovelace')] }]);
    const existing = plan(job(), [entry('E1', 'Ada', 'Lovelace', { manager: [dn('ada.lovelace')] })], [person('E1', 'Ada', 'Lovelace', { managerId: ['E1'] })]);
    expect(existing.operations).toEqual([]);
  });

  it('a changed title and a changed manager are one update, in mapping order', () => {
    const directory = [entry('E1', 'Ada', 'Lovelace'), entry('E2', 'Bo', 'Li'), entry('E3', 'Cy', 'Ng', { manager: [dn('bo.li')] })];
    const r = plan(job({ disable: { attribute: 'employeeType', value: 'disabled' } }), directory, [
      person('E1', 'Ada', 'Lovelace'),
      person('E2', 'Bo', 'Li'),
      person('E3', 'Cy', 'Ng', { managerId: ['E1'], title: ['CTO'] }),
    ]);
    expect(r.operations.map((o) => o.changes.map((c) => c.attribute))).toEqual([['title', 'manager']]);
  });

  it('a reference mapping in the DN template, or with SelectUniqueValue, is a broken job', () => {
    const inTemplate = () => new Planner(job({ dnTemplate: 'cn={manager},ou=people' }));
    expect(inTemplate).toThrow(PlanningError);
    expect(inTemplate).toThrow('the DN template uses {manager}, a reference mapping');
    const unique = () => new Planner(hrJob({ mappings: [...hrJob().mappings, { target: 'manager', expression: 'SelectUniqueValue([managerId], [employeeId])', reference: true }] }));
    expect(unique).toThrow('manager: a reference mapping cannot use SelectUniqueValue');
  });
});
