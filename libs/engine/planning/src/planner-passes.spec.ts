import { Planner } from './planner';
import type { IdentityRecord, PlanningJob, PlanResult } from './types';

/** A small seeded generator: the same scenarios on every run. */
function random(seed: number) {
  let state = seed;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  return {
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}

function scenario(seed: number) {
  const { chance, pick } = random(seed);
  const deprovision = pick(['delete', 'disable', 'ignore'] as const);
  const uid = chance(0.3)
    ? 'SelectUniqueValue(ToLower(Join(".", [givenName], [surname])), ToLower(Join("", [givenName], [surname], "2")), ToLower(Join("", [givenName], [surname], "3")))'
    : 'ToLower(Join(".", NormalizeDiacritics([givenName]), NormalizeDiacritics([surname])))';
  const job: PlanningJob = {
    sourceKey: 'employeeId',
    matching: chance(0.5)
      ? [{ sourceAttribute: 'employeeId', destinationAttribute: 'employeeNumber', priority: 1 }]
      : [
          { sourceAttribute: 'email', destinationAttribute: 'mail', priority: 2 },
          { sourceAttribute: 'employeeId', destinationAttribute: 'employeeNumber', priority: 1 },
        ],
    mappings: [
      { target: 'uid', expression: uid, onCreateOnly: chance(0.6) },
      { target: 'cn', expression: 'Join(" ", [givenName], [surname])' },
      { target: 'title', expression: chance(0.5) ? 'IgnoreFlowIfNullOrEmpty([title])' : '[title]' },
      { target: 'employeeNumber', expression: '[employeeId]' },
      { target: 'mail', expression: 'Split([email], ",")' },
      ...(chance(0.5) ? [{ target: 'manager', expression: pick(['[managerId]', 'Split([managerId], ";")']), reference: true, onCreateOnly: chance(0.2) }] : []),
    ],
    dnTemplate: 'uid={uid},ou=people',
    baseDn: 'dc=example,dc=org',
    objectClasses: ['inetOrgPerson'],
    deprovision,
    disable: deprovision === 'disable' || chance(0.3) ? { attribute: 'employeeType', value: 'disabled' } : undefined,
    thresholds: { allowEmptySource: chance(0.3) },
    scoping: chance(0.4) ? { groups: [{ clauses: [{ attribute: 'status', operator: 'EQUALS', value: 'active' }] }] } : undefined,
    outOfScopeAction: pick([undefined, 'ignore'] as const),
    checks: {
      keyCase: pick(['sensitive', 'insensitive'] as const),
      references: chance(0.3) ? [{ attribute: 'managerId', mustResolveTo: 'sourceKey' }] : undefined,
      requiredTargets: chance(0.3) ? ['title'] : undefined,
    },
    memberships: chance(0.5)
      ? [{ sourceAttribute: 'department', groupDnTemplate: 'cn={value},ou=groups', policy: pick(['replace', 'merge'] as const), createGroups: chance(0.7) }]
      : undefined,
  };
  const ids = Array.from({ length: 20 }, (_, i) => `E${i}`);
  const destination: IdentityRecord[] = [];
  const source: IdentityRecord[] = [];
  const links: [string, string][] = [];
  const members = new Map<string, string[]>(['Sales', 'Dev', 'sales'].map((g) => [g, chance(0.3) ? ['uid=admin,ou=system,dc=example,dc=org'] : []]));
  for (const id of ids) {
    const g = pick(['Ada', 'Bo', 'Zoë', 'John']);
    const s = pick(['Li', 'Smith', 'Ångström']);
    if (chance(0.7)) {
      const uid = `${g}.${s}`.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase() + (chance(0.3) ? '' : id.toLowerCase());
      const attributes: Record<string, string[]> = { uid: [uid], cn: [`${g} ${s}`], employeeNumber: [chance(0.1) ? pick(ids) : id], mail: chance(0.5) ? [`${id}@x.org`] : [] };
      if (chance(0.5)) attributes.title = [pick(['Dev', 'CTO'])];
      if (chance(0.3)) attributes.employeeType = [pick(['disabled', 'staff'])];
      if (chance(0.4)) attributes.manager = [pick([`uid=${uid},ou=people,dc=example,dc=org`, 'UID=ada.li, ou=People,dc=example,dc=org', 'uid=bo.smithe3,ou=people,dc=example,dc=org'])];
      destination.push({ key: `uid=${uid},ou=people,dc=example,dc=org`, anchor: chance(0.9) ? `anchor-${id}` : '', attributes });
      for (const [, list] of members) if (chance(0.3)) list.push(chance(0.2) ? `UID=${uid}, OU=People,dc=example,dc=org` : `uid=${uid},ou=people,dc=example,dc=org`);
      if (chance(0.4)) links.push([chance(0.1) ? pick(ids) : id, chance(0.9) ? `anchor-${id}` : 'gone']);
    }
    if (chance(0.8)) {
      const key = chance(0.05) ? '' : chance(0.08) ? pick(ids) : id;
      const attributes: Record<string, string[]> = { employeeId: [key], givenName: [chance(0.8) ? g : 'Ed'], surname: [s], email: chance(0.5) ? [`${id}@x.org`] : [] };
      if (chance(0.6)) attributes.title = [pick(['Dev', 'CTO', ''])];
      if (chance(0.8)) attributes.status = [pick(['active', 'active', 'left'])];
      if (chance(0.5)) attributes.managerId = [chance(0.2) ? `${pick(ids)};${pick(ids)}` : pick([...ids, 'E999', id])];
      if (chance(0.8)) attributes.department = chance(0.2) ? ['Sales', 'Dev'] : [pick(['Sales', 'Dev', 'Ops', ''])];
      source.push({ key: '', anchor: '', attributes });
    }
  }
  const groups: IdentityRecord[] = [...members].filter(() => chance(0.7)).map(([cn, member]) => ({ key: `cn=${cn},ou=groups,dc=example,dc=org`, anchor: '', attributes: { member } }));
  const partial = chance(0.3);
  // Deletions an incremental read reports: linked keys, keys in the delta again, unknown keys; a DN for links without an anchor.
  const deleted: [string, string][] = partial
    ? ids.filter(() => chance(0.3)).map((id) => [chance(0.1) ? id.toLowerCase() : id, chance(0.3) ? pick(destination.map((d) => d.key).concat([''])) : ''])
    : [];
  return { job, destination, source, links, groups, partial, deleted };
}

function run(s: ReturnType<typeof scenario>, secondDestinationPass: boolean): PlanResult {
  const planner = new Planner(s.job, { partial: s.partial, secondDestinationPass, context: { now: () => new Date(0), randomInt: () => 0 } });
  s.groups.forEach((g) => planner.addGroup(g));
  s.destination.forEach((d) => planner.addDestination(d));
  s.source.forEach((r) => planner.addSource(r));
  s.links.forEach(([k, a]) => planner.addLink(k, a));
  s.deleted.forEach(([k, dn]) => planner.addDeletedSource(k, dn));
  // Another order is fine unless a DN is repeated: then the second pass must come in the same order.
  const distinct = new Set(s.destination.map((d) => d.key)).size === s.destination.length;
  if (secondDestinationPass) (distinct ? [...s.destination].reverse() : s.destination).forEach((d) => planner.compareDestination(d));
  return planner.finish();
}

describe('Planner: one pass or two over the destination give the same plan', () => {
  it('on 300 random snapshots, jobs, links and reported deletions', () => {
    const memberships = { adds: 0, removes: 0, groupCreates: 0 };
    const references = { set: 0, unresolved: 0 };
    let sourceDeletions = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const s = scenario(seed);
      const once = run(s, false);
      expect({ seed, plan: run(s, true) }).toEqual({ seed, plan: once });
      memberships.adds += once.summary.memberAdds;
      memberships.removes += once.summary.memberRemoves;
      memberships.groupCreates += once.summary.groupCreates;
      references.set += once.operations.filter((o) => o.changes.some((c) => c.attribute === 'manager' && c.after.length)).length;
      references.unresolved += once.problems.filter((p) => p.code === 'PLAN.UNRESOLVED_REFERENCE').length;
      sourceDeletions += once.sourceDeletions;
    }
    // The scenarios exercise memberships, not only jobs without them.
    expect(Math.min(memberships.adds, memberships.removes, memberships.groupCreates)).toBeGreaterThan(10);
    // And reference mappings, resolved and not.
    expect(Math.min(references.set, references.unresolved)).toBeGreaterThan(10);
    // And deletions reported by an incremental read.
    expect(sourceDeletions).toBeGreaterThan(10);
  });
});
