import { Planner } from './planner';
import { BASE_DN, entry, hrJob, person, plan } from './planner.fixtures';
import type { IdentityRecord, MembershipRule, PlannedOperation, PlanningJob } from './types';

const departments: MembershipRule = { sourceAttribute: 'department', groupDnTemplate: 'cn={value},ou=groups' };
const job = (rule: Partial<MembershipRule> = {}, overrides: Partial<PlanningJob> = {}) => hrJob({ memberships: [{ ...departments, ...rule }], ...overrides });

const dn = (uid: string) => `uid=${uid},ou=people,${BASE_DN}`;
const groupDn = (cn: string) => `cn=${cn},ou=groups,${BASE_DN}`;
const group = (cn: string, members: string[], attribute = 'member', objectClass = ['top', 'groupOfNames']): IdentityRecord => ({
  key: groupDn(cn),
  anchor: `anchor-${cn}`,
  attributes: { objectClass, cn: [cn], [attribute]: members },
});
/** An Active Directory group: its class does not require a member. */
const adGroup = (cn: string, members: string[]) => group(cn, members, 'member', ['top', 'group']);
/** A directory account the job does not manage (not in its destination snapshot). */
const ADMIN = `uid=admin,ou=system,${BASE_DN}`;

const directory = [entry('E1', 'Ada', 'Lovelace'), entry('E2', 'Bo', 'Li'), entry('E3', 'Cy', 'Ng')];
const groupOps = (ops: PlannedOperation[]) => ops.filter((o) => o.dn.includes('ou=groups'));
const memberChanges = (ops: PlannedOperation[]) => groupOps(ops).map((o) => [o.kind, o.dn.split(',')[0], o.changes.map((c) => [c.mode ?? c.attribute, c.after.map((v) => v.split(',')[0])])]);

describe('Planner: group memberships', () => {
  it('a new user joins a new group in one run: both are created, the group after the user, with the user as its member', () => {
    const r = plan(job(), [], [person('E1', 'Zoë', 'Ångström', { department: ['R&D, Labs'] })]);
    expect(r.problems).toEqual([]);
    expect(r.operations).toEqual([
      expect.objectContaining({ index: 0, phase: 1, kind: 'create', dn: dn('zoe.angstrom'), sourceKey: 'E1' }),
      {
        index: 1,
        phase: 2,
        kind: 'create',
        // The value is escaped in the DN, and written as it is in the naming attribute.
        dn: `cn=R&D\\, Labs,ou=groups,${BASE_DN}`,
        sourceKey: '',
        objectClasses: ['top', 'groupOfNames'],
        changes: [
          { attribute: 'cn', before: [], after: ['R&D, Labs'] },
          { attribute: 'member', before: [], after: [dn('zoe.angstrom')] },
        ],
      },
    ]);
    expect(r.summary).toMatchObject({ creates: 1, groupCreates: 1, memberAdds: 1, memberRemoves: 0 });
  });

  it('a source object is a member of every group its values name; a created group holds all its new members', () => {
    const rule: MembershipRule = { sourceAttribute: 'roles', groupDnTemplate: 'cn=role-{value},ou=groups', memberAttribute: 'uniqueMember', groupObjectClasses: ['top', 'groupOfUniqueNames'] };
    const r = plan(hrJob({ memberships: [rule] }), [], [person('E1', 'Ada', 'Lovelace', { roles: ['admin', 'dev', ''] }), person('E2', 'Bo', 'Li', { roles: ['dev'] })]);
    expect(r.operations.filter((o) => o.phase === 2)).toEqual([
      expect.objectContaining({
        dn: groupDn('role-admin'),
        objectClasses: ['top', 'groupOfUniqueNames'],
        changes: [
          { attribute: 'cn', before: [], after: ['role-admin'] },
          { attribute: 'uniqueMember', before: [], after: [dn('ada.lovelace')] },
        ],
      }),
      expect.objectContaining({ dn: groupDn('role-dev'), changes: [expect.anything(), { attribute: 'uniqueMember', before: [], after: [dn('ada.lovelace'), dn('bo.li')] }] }),
    ]);
    expect(r.summary).toMatchObject({ groupCreates: 2, memberAdds: 3 });
  });

  it('adds and removes the members the job manages, and never touches the others', () => {
    const groups = [group('Sales', [dn('ada.lovelace'), dn('bo.li'), ADMIN]), group('Engineering', [ADMIN])];
    const source = [
      person('E1', 'Ada', 'Lovelace', { department: ['Sales'] }),
      person('E2', 'Bo', 'Li', { department: ['Engineering'] }),
      person('E3', 'Cy', 'Ng', { department: ['Sales'] }),
      person('E4', 'Di', 'Oz', { department: ['Sales'] }),
    ];
    const r = plan(job(), directory, source, {}, { groups });
    expect(r.problems).toEqual([]);
    expect(groupOps(r.operations)).toEqual([
      { index: 1, phase: 3, kind: 'update', dn: groupDn('Engineering'), sourceKey: '', objectClasses: [], changes: [{ attribute: 'member', mode: 'add', before: [], after: [dn('bo.li')] }] },
      {
        index: 2,
        phase: 3,
        kind: 'update',
        dn: groupDn('Sales'),
        sourceKey: '',
        objectClasses: [],
        changes: [
          { attribute: 'member', mode: 'add', before: [], after: [dn('cy.ng'), dn('di.oz')] },
          { attribute: 'member', mode: 'remove', before: [], after: [dn('bo.li')] },
        ],
      },
    ]);
    expect(r.summary).toMatchObject({ memberAdds: 3, memberRemoves: 1, groupCreates: 0, updates: 0, creates: 1 });
  });

  it('compares member DNs as the directory does (case, spaces), and plans nothing for a group that is right', () => {
    const groups = [group('Sales', ['UID=Ada.Lovelace, OU=People, DC=Example, DC=Org'])];
    const r = plan(job(), [entry('E1', 'Ada', 'Lovelace')], [person('E1', 'Ada', 'Lovelace', { department: ['sales'] })], {}, { groups });
    expect(r.operations).toEqual([]);
    expect(r.summary).toMatchObject({ memberAdds: 0, memberRemoves: 0, unchanged: 1 });
  });

  it('a DN this plan creates that a group already lists is managed: kept when it belongs, removed when it does not', () => {
    const groups = [group('Sales', [dn('di.oz')]), adGroup('Engineering', [dn('di.oz')])];
    const r = plan(job(), [], [person('E4', 'Di', 'Oz', { department: ['Sales'] })], {}, { groups });
    expect(memberChanges(r.operations)).toEqual([['update', 'cn=Engineering', [['remove', ['uid=di.oz']]]]]);
    expect(r.summary).toMatchObject({ memberAdds: 0, memberRemoves: 1 });
  });

  it('merge only adds', () => {
    const groups = [group('Sales', [dn('ada.lovelace'), dn('bo.li')])];
    const source = [person('E1', 'Ada', 'Lovelace', { department: ['Sales'] }), person('E2', 'Bo', 'Li', { department: ['Engineering'] }), person('E3', 'Cy', 'Ng', { department: ['Sales'] })];
    const r = plan(job({ policy: 'merge' }), directory, source, {}, { groups });
    expect(memberChanges(r.operations)).toEqual([
      ['create', 'cn=Engineering', [['cn', ['Engineering']], ['member', ['uid=bo.li']]]],
      ['update', 'cn=Sales', [['add', ['uid=cy.ng']]]],
    ]);
  });

  it('removes deleted and disabled users from their groups, before they are deleted', () => {
    const groups = [group('Sales', [dn('ada.lovelace'), dn('bo.li'), dn('cy.ng')])];
    const source = [person('E1', 'Ada', 'Lovelace', { department: ['Sales'] })];
    const deleted = plan(job(), directory, source, {}, { groups });
    expect(deleted.operations.map((o) => [o.phase, o.kind, o.dn.split(',')[0]])).toEqual([
      [3, 'update', 'cn=Sales'],
      [5, 'delete', 'uid=bo.li'],
      [5, 'delete', 'uid=cy.ng'],
    ]);
    expect(memberChanges(deleted.operations)).toEqual([['update', 'cn=Sales', [['remove', ['uid=bo.li', 'uid=cy.ng']]]]]);
    // Disabled: removed as well, also when it was already disabled and gets no operation of its own.
    const disabling = job({}, { deprovision: 'disable', disable: { attribute: 'employeeType', value: 'disabled' } });
    const dest = [directory[0], entry('E2', 'Bo', 'Li'), entry('E3', 'Cy', 'Ng', { employeeType: ['disabled'] })];
    const disabled = plan(disabling, dest, source, {}, { groups });
    expect(disabled.operations.map((o) => [o.phase, o.kind, o.dn.split(',')[0]])).toEqual([
      [3, 'update', 'cn=Sales'],
      [4, 'disable', 'uid=bo.li'],
    ]);
    expect(memberChanges(disabled.operations)).toEqual([['update', 'cn=Sales', [['remove', ['uid=bo.li', 'uid=cy.ng']]]]]);
  });

  it('merge keeps deleted users in their groups too (it only adds)', () => {
    const groups = [group('Sales', [dn('ada.lovelace'), dn('bo.li')])];
    const r = plan(job({ policy: 'merge' }), directory, [person('E1', 'Ada', 'Lovelace', { department: ['Sales'] })], {}, { groups });
    expect(groupOps(r.operations)).toEqual([]);
  });

  it('leaves the memberships of objects it does not plan as they are: problems, ignored, out of scope and kept', () => {
    const groups = [group('Sales', [dn('ada.lovelace'), dn('bo.li'), dn('cy.ng')])];
    const scoping = { groups: [{ clauses: [{ attribute: 'status', operator: 'EQUALS' as const, value: 'active' }] }] };
    const r = plan(
      job({}, { scoping, outOfScopeAction: 'ignore', checks: { references: [{ attribute: 'managerId', mustResolveTo: 'sourceKey' }], onError: 'skip' } }),
      directory,
      [
        // A problem: its manager is unknown. It would leave Sales; it is not guessed about.
        person('E1', 'Ada', 'Lovelace', { department: ['Engineering'], managerId: ['E9'], status: ['active'] }),
        person('E2', 'Bo', 'Li', { department: ['Engineering'], status: ['left'] }),
        person('E3', 'Cy', 'Ng', { department: ['Engineering'], status: ['active'] }),
      ],
      {},
      { groups },
    );
    expect(r.problems.map((p) => [p.code, p.details.sourceKey])).toEqual([['SOURCE.UNRESOLVED_REFERENCE', 'E1']]);
    expect(memberChanges(r.operations)).toEqual([
      ['create', 'cn=Engineering', [['cn', ['Engineering']], ['member', ['uid=cy.ng']]]],
      ['update', 'cn=Sales', [['remove', ['uid=cy.ng']]]],
    ]);
    // Deprovision 'ignore': the object stays, and so do its memberships.
    const ignored = plan(job({}, { deprovision: 'ignore' }), directory, [person('E1', 'Ada', 'Lovelace', { department: ['Sales'] })], {}, { groups });
    expect(groupOps(ignored.operations)).toEqual([]);
  });

  it('a partial run adds the delta objects to their groups and removes only them from groups they left', () => {
    const groups = [group('Sales', [dn('ada.lovelace'), dn('bo.li'), ADMIN]), group('Engineering', [dn('cy.ng')])];
    const delta = [person('E1', 'Ada', 'Lovelace', { department: ['Engineering'] }), person('E4', 'Di', 'Oz', { department: ['Sales'] })];
    const r = plan(job(), directory, delta, { partial: true }, { groups });
    expect(memberChanges(r.operations)).toEqual([
      ['update', 'cn=Engineering', [['add', ['uid=ada.lovelace']]]],
      ['update', 'cn=Sales', [['add', ['uid=di.oz']], ['remove', ['uid=ada.lovelace']]]],
    ]);
    // The same delta as a complete snapshot: Bo and Cy are gone, and leave their groups.
    const complete = plan(job(), directory, delta, {}, { groups });
    expect(memberChanges(complete.operations)).toEqual([
      ['update', 'cn=Engineering', [['add', ['uid=ada.lovelace']], ['remove', ['uid=cy.ng']]]],
      ['update', 'cn=Sales', [['add', ['uid=di.oz']], ['remove', ['uid=ada.lovelace', 'uid=bo.li']]]],
    ]);
  });

  it('a renamed member is renamed in its groups: the old DN removed, the new one added, after the rename', () => {
    const renaming = job({}, { mappings: hrJob().mappings.map((m) => (m.target === 'uid' ? { ...m, onCreateOnly: false } : m)) });
    const groups = [group('Sales', [dn('ada.lovelace')])];
    for (const policy of ['replace', 'merge'] as const) {
      const r = plan({ ...renaming, memberships: [{ ...departments, policy }] }, [directory[0]], [person('E1', 'Ada', 'King', { department: ['Sales'] })], {}, { groups });
      expect(r.operations.map((o) => [o.phase, o.kind, o.newDn ?? o.dn])).toEqual([
        [0, 'rename', dn('ada.king')],
        [3, 'update', groupDn('Sales')],
      ]);
      expect(memberChanges(r.operations)).toEqual([['update', 'cn=Sales', [['add', ['uid=ada.king']], ['remove', ['uid=ada.lovelace']]]]]);
    }
  });

  it('orders the plan by phase: renames, creates, group creates, updates and memberships, disables, deletes', () => {
    const renaming = job({}, { mappings: hrJob().mappings.map((m) => (m.target === 'uid' ? { ...m, onCreateOnly: false } : m)) });
    const dest = [entry('E1', 'Ada', 'Lovelace'), entry('E2', 'Bo', 'Li', { title: ['Dev'] }), entry('E3', 'Cy', 'Ng')];
    const source = [
      person('E1', 'Ada', 'King', { department: ['Sales'] }),
      person('E2', 'Bo', 'Li', { department: ['Sales'], title: ['CTO'] }),
      person('E5', 'Ed', 'Po', { department: ['Board'] }),
    ];
    const r = plan(renaming, dest, source, {}, { groups: [group('Sales', [dn('cy.ng')])] });
    expect(r.operations.map((o) => [o.index, o.phase, o.kind, o.dn.split(',')[0]])).toEqual([
      [0, 0, 'rename', 'uid=ada.lovelace'],
      [1, 1, 'create', 'uid=ed.po'],
      [2, 2, 'create', 'cn=Board'],
      // Within a phase, DN order from the root down: ou=groups before ou=people.
      [3, 3, 'update', 'cn=Sales'],
      [4, 3, 'update', 'uid=bo.li'],
      [5, 5, 'delete', 'uid=cy.ng'],
    ]);
    expect(memberChanges(r.operations)).toEqual([
      ['create', 'cn=Board', [['cn', ['Board']], ['member', ['uid=ed.po']]]],
      ['update', 'cn=Sales', [['add', ['uid=ada.king', 'uid=bo.li']], ['remove', ['uid=cy.ng']]]],
    ]);
  });

  it('a missing group of a rule that does not create groups is a problem naming it and its would-be members', () => {
    const r = plan(job({ createGroups: false }), [], [person('E1', 'Ada', 'Lovelace', { department: ['Sales'] }), person('E2', 'Bo', 'Li', { department: ['Sales'] })]);
    expect(r.operations.map((o) => [o.kind, o.sourceKey])).toEqual([
      ['create', 'E1'],
      ['create', 'E2'],
    ]);
    expect(r.problems).toEqual([
      {
        code: 'PLAN.GROUP_MISSING',
        message: `group ${groupDn('Sales')} does not exist and the membership rule does not create groups; source objects E1, E2 would be members of it and are not added`,
        details: { dn: groupDn('Sales'), sourceKeys: 'E1, E2', count: '2' },
      },
    ]);
    expect(r.blocking).toBe(true);
  });

  it('a group DN that is an object of the job is a problem, not a group', () => {
    const rule: MembershipRule = { sourceAttribute: 'buddy', groupDnTemplate: 'uid={value},ou=people' };
    const r = plan(hrJob({ memberships: [rule] }), [entry('E2', 'Bo', 'Li')], [person('E1', 'Ada', 'Lovelace', { buddy: ['bo.li'] }), person('E2', 'Bo', 'Li')]);
    expect(r.problems.map((p) => [p.code, p.details.dn, p.details.sourceKeys])).toEqual([['PLAN.GROUP_IS_OBJECT', dn('bo.li'), 'E1']]);
    expect(r.summary).toMatchObject({ groupCreates: 0, memberAdds: 0 });
  });

  it('ignores groups no rule gives, and groups altogether for a job without membership rules', () => {
    const other = { ...group('x', [dn('ada.lovelace')]), key: `cn=x,ou=lists,${BASE_DN}` };
    const source = [person('E1', 'Ada', 'Lovelace', { department: ['Sales'] })];
    expect(memberChanges(plan(job(), [directory[0]], source, {}, { groups: [other] }).operations)).toEqual([['create', 'cn=Sales', [['cn', ['Sales']], ['member', ['uid=ada.lovelace']]]]]);
    const none = plan(hrJob(), [directory[0]], source, {}, { groups: [group('Sales', [dn('bo.li')])] });
    expect(none.operations).toEqual([]);
    expect(none.summary).toMatchObject({ groupCreates: 0, memberAdds: 0, memberRemoves: 0 });
  });

  describe('link guards', () => {
    const groups = [group('Sales', [dn('ada.lovelace'), dn('bo.li'), dn('cy.ng'), ADMIN])];
    const source = [person('E1', 'Ada', 'Lovelace', { department: ['Sales'] }), person('E4', 'Di', 'Oz', { department: ['Sales'] })];

    it('count member adds and removes against the members the job manages', () => {
      const r = plan(job({}, { thresholds: { maxLinkDeletes: 1, maxLinkCreates: 1, maxLinkDeletePercent: 50, maxLinkUpdates: 0 } }), directory, source, {}, { groups });
      expect(r.violations).toEqual([
        { guard: 'max_link_deletes', limit: 1, actual: 2, message: '2 link deletes exceed max_link_deletes 1' },
        // 3 managed members: the unmanaged one is not a base for the job's percentages.
        { guard: 'max_link_delete_percent', limit: 50, actual: 66.67, message: '2 link deletes are 66.67% of 3 destination links, exceeding max_link_delete_percent 50%' },
      ]);
      expect(plan(job({}, { thresholds: { maxLinkCreates: 0 } }), directory, source, {}, { groups }).violations.map((v) => [v.guard, v.actual])).toEqual([['max_link_creates', 1]]);
    });

    it('the counts the caller passes win, field by field', () => {
      const r = plan(job({}, { thresholds: { maxLinkDeletes: 1, maxLinkCreates: 0 } }), directory, source, { linkCounts: { deletes: 0 } }, { groups });
      expect(r.violations.map((v) => [v.guard, v.actual])).toEqual([['max_link_creates', 1]]);
    });

    it('group creates count as creates', () => {
      const r = plan(job({}, { thresholds: { maxCreates: 1 } }), [], [person('E1', 'Ada', 'Lovelace', { department: ['Sales'] })]);
      expect(r.violations.map((v) => v.message)).toEqual(['2 creates exceed max_creates 1']);
    });
  });

  it('a rule is checked when the planner is made', () => {
    const bad: Partial<MembershipRule>[] = [{ sourceAttribute: '' }, { groupDnTemplate: 'cn=staff,ou=groups' }, { groupDnTemplate: 'cn=x,ou={value}' }, { groupDnTemplate: 'cn={value}-{value}' }, { policy: 'all' as 'merge' }];
    for (const rule of bad) expect(() => new Planner(job(rule))).toThrow(expect.objectContaining({ code: 'PLAN.INVALID_JOB', details: expect.objectContaining({ field: 'memberships', rule: '1' }) }));
  });

  it('groups come before the second pass, like destination objects', () => {
    const planner = new Planner(job(), { secondDestinationPass: true });
    planner.addDestination(directory[0]);
    planner.compareDestination(directory[0]);
    expect(() => planner.addGroup(group('Sales', []))).toThrow(expect.objectContaining({ code: 'PLAN.INPUT_CLOSED' }));
  });

  it('a groupOfNames that would lose its last member keeps it, with a problem; a group that may be empty is emptied', () => {
    const people = [person('E1', 'Ada', 'Lovelace', { department: ['Sales'] })];
    const leftAlone = plan(job(), [entry('E1', 'Ada', 'Lovelace')], people, undefined, { groups: [group('Labs', [dn('ada.lovelace')])] });
    expect(leftAlone.problems).toEqual([expect.objectContaining({ code: 'PLAN.GROUP_WOULD_BE_EMPTY', details: { dn: groupDn('Labs'), removes: '1' } })]);
    expect(groupOps(leftAlone.operations).filter((o) => o.dn === groupDn('Labs'))).toEqual([]);
    // An Active Directory group (class group) may have no member.
    const emptied = plan(job(), [entry('E1', 'Ada', 'Lovelace')], people, undefined, { groups: [adGroup('Labs', [dn('ada.lovelace')])] });
    expect(emptied.problems).toEqual([]);
    expect(memberChanges(emptied.operations)).toContainEqual(['update', 'cn=Labs', [['remove', ['uid=ada.lovelace']]]]);
    // Another member joining in the same run makes room: the leaver goes.
    const joined = plan(job(), [entry('E1', 'Ada', 'Lovelace'), entry('E2', 'Bo', 'Li')], [...people, person('E2', 'Bo', 'Li', { department: ['Labs'] })], undefined, { groups: [group('Labs', [dn('ada.lovelace')])] });
    expect(joined.problems).toEqual([]);
    expect(memberChanges(joined.operations)).toContainEqual(['update', 'cn=Labs', [['add', ['uid=bo.li']], ['remove', ['uid=ada.lovelace']]]]);
  });
});
