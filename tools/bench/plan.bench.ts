import { compileExpression } from '@idsync/expressions';
import { Planner, type IdentityRecord, type PlanningJob } from '@idsync/planning';
import { sampleJob } from '../../services/embedded/src/demo/sample';
import { DEPARTMENTS, destinationRecord, employeeIdOf, sourceRecord, userDn } from './identities';

/**
 * Plans a full reconciliation of N source identities against N destination objects, twice: a first
 * run with 1% changed and no link known yet (every object is matched by rule and becomes a new link),
 * then a no-op run where every object is linked and nothing changed, which must plan no operation and
 * no new link, so that nothing is written; then a linked run with a membership rule (one group per
 * department, 20 groups of N/20 members) where 1% changed department; then a linked run with a
 * manager reference mapping (managerId → the manager's DN; one manager per ten objects, managers
 * their own) where 1% changed manager. Each run is fed as the
 * preparation service feeds it: groups, destination, source, links, then the destination again
 * (PlannerOptions.secondDestinationPass).
 * Also evaluates 10 expression mappings for N objects. Prints wall time and objects/s per phase, and
 * peak RSS. BENCH_N sets N (default 1,000,000).
 */
const N = Number(process.env.BENCH_N ?? 1_000_000);
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const peakRss = () => process.resourceUsage().maxRSS * 1024;
const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en')} objects/s`;
const line = (phase: string, n: number, ms: number) => console.log(`  ${phase.padEnd(30)} ${String(Math.round(ms)).padStart(6)} ms  ${rate(n, ms).padStart(20)}`);

// The demo job's eight mappings (the bench's objects have the demo's columns) and two more, to make ten.
const mappings = [
  ...sampleJob('', '').mappings,
  { target: 'displayName', expression: 'PCase(Join(" ", [givenName], [surname]))' },
  { target: 'initials', expression: 'ToUpper(Left([givenName], 1))' },
];

/** The manager of object i: the first of its ten; `changed`: the first of the next ten. */
const managerOf = (i: number, changed = false) => (i - (i % 10) + (changed ? 10 : 0)) % N;

/** `moved`: another department too; `managed`: it has a managerId, changed with the rest. */
function source(i: number, changed: boolean, moved = false, managed = false): IdentityRecord {
  const r = sourceRecord(i, changed, moved);
  if (managed) r.attributes.managerId = [employeeIdOf(managerOf(i, changed))];
  return r;
}

function destination(i: number, managed = false): IdentityRecord {
  const r = destinationRecord(i);
  if (managed) r.attributes.manager = [userDn(managerOf(i))];
  return r;
}

function evaluateMappings(): void {
  const fns = mappings.map((m) => compileExpression(m.expression));
  const t0 = performance.now();
  let sink = 0;
  for (let i = 0; i < N; i++) {
    const attrs = source(i, false).attributes;
    for (const f of fns) if (f(attrs) !== null) sink++;
  }
  const ms = performance.now() - t0;
  console.log(`mappings: ${mappings.length} expressions × ${N.toLocaleString('en')} objects (${sink.toLocaleString('en')} values; includes building the test objects)`);
  line('evaluate (goal: 100,000/s)', N, ms);
}

/**
 * One run; `changedEvery`: one source object in that many differs from its destination object (0:
 * none); `linked`: every source object has a link to its destination object from an earlier run.
 */
function plan(label: string, changedEvery: number, linked: boolean, groups = false, managers = false): void {
  const job: PlanningJob = {
    sourceKey: 'employeeId',
    matching: [{ sourceAttribute: 'employeeId', destinationAttribute: 'employeeNumber', priority: 1 }],
    mappings: managers ? [...mappings, { target: 'manager', expression: '[managerId]', reference: true }] : mappings,
    dnTemplate: 'uid={uid},ou=people',
    baseDn: 'dc=example,dc=org',
    objectClasses: ['inetOrgPerson'],
    deprovision: 'delete',
    thresholds: {},
    memberships: groups ? [{ sourceAttribute: 'department', groupDnTemplate: 'cn={value},ou=groups' }] : undefined,
  };
  console.log(`plan, ${label}: ${N.toLocaleString('en')} source × ${N.toLocaleString('en')} destination objects`);
  const planner = new Planner(job, { secondDestinationPass: true });
  const t0 = performance.now();
  if (groups) {
    const members = Array.from({ length: DEPARTMENTS }, () => [] as string[]);
    for (let i = 0; i < N; i++) members[i % DEPARTMENTS].push(userDn(i));
    members.forEach((member, d) => planner.addGroup({ key: `cn=D${d},ou=groups,dc=example,dc=org`, anchor: '', attributes: { member } }));
    line('load groups', N, performance.now() - t0);
  }
  for (let i = 0; i < N; i++) planner.addDestination(destination(i, managers));
  const t1 = performance.now();
  line('load destination', N, t1 - t0);
  for (let i = 0; i < N; i++) {
    const changed = changedEvery > 0 && i % changedEvery === 0;
    planner.addSource(source(i, changed, groups && changed, managers));
  }
  const t2 = performance.now();
  line('load source (map)', N, t2 - t1);
  if (linked) {
    for (let i = 0; i < N; i++) planner.addLink(employeeIdOf(i), `anchor-${i}`);
    line('load links', N, performance.now() - t2);
  }
  const tc = performance.now();
  for (let i = 0; i < N; i++) planner.compareDestination(destination(i, managers));
  const t3 = performance.now();
  line('compare destination', N, t3 - tc);
  const result = planner.finish();
  const t4 = performance.now();
  line('finish', N, t4 - t3);
  line('total (goal: under 30,000 ms)', N, t4 - t0);
  console.log(`  plan: ${result.operations.length} operations, ${result.newLinks.length} new links, ${result.problems.length} problems; ${JSON.stringify(result.summary)}`);
  if (result.violations.length) console.log(`  guards: ${result.violations.map((v) => v.message).join('; ')}`);
  console.log(`  RSS now ${mb(process.memoryUsage().rss)}, peak so far ${mb(peakRss())}`);
  if (changedEvery === 0 && (result.operations.length > 0 || result.newLinks.length > 0)) {
    console.log('  not a no-op: a run where nothing changed must write nothing');
    process.exitCode = 1;
  }
}

evaluateMappings();
plan('1% changed, no link yet', 100, false);
global.gc?.();
plan('nothing changed, all linked (no-op)', 0, true);
global.gc?.();
plan(`1% changed department, all linked, ${DEPARTMENTS} department groups`, 100, true, true);
global.gc?.();
plan('1% changed manager, all linked, manager reference', 100, true, false, true);
console.log(`peak RSS ${mb(peakRss())} (goal: under 1024 MB)`);
