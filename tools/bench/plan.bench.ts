import { compileExpression } from '@idsync/expressions';
import { Planner, type IdentityRecord, type PlanningJob } from '@idsync/planning';
import { sampleJob } from '../../services/embedded/src/demo/sample';

/**
 * Plans a full reconciliation of N source identities against N known destination objects
 * with 1% changed, and evaluates 10 expression mappings for N objects. Prints objects/s per
 * phase and peak RSS. BENCH_N sets N (default 1,000,000).
 */
const N = Number(process.env.BENCH_N ?? 1_000_000);
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
const mb = (b: number) => `${Math.round(b / 1024 / 1024)} MB`;
const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en')} objects/s`;

// The demo job's eight mappings (the bench's objects have the demo's columns) and two more, to make ten.
const mappings = [
  ...sampleJob('', '').mappings,
  { target: 'displayName', expression: 'PCase(Join(" ", [givenName], [surname]))' },
  { target: 'initials', expression: 'ToUpper(Left([givenName], 1))' },
];

function source(i: number, changed: boolean): IdentityRecord {
  const id = `E${String(i).padStart(7, '0')}`;
  return {
    key: id,
    anchor: '',
    attributes: {
      employeeId: [id], givenName: [`Zoë${i % 97}`], surname: [`Ångström${i}`], email: [`user${i}@example.org`],
      title: [changed ? 'Architect' : 'Engineer'], department: [`D${i % 20}`],
    },
  };
}

function destination(i: number): IdentityRecord {
  const id = `E${String(i).padStart(7, '0')}`;
  const g = `Zoë${i % 97}`;
  const s = `Ångström${i}`;
  return {
    key: `uid=${`${g}.${s}`.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()},ou=people,dc=example,dc=org`,
    anchor: `anchor-${i}`,
    attributes: {
      uid: [`${g}.${s}`.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()], cn: [`${g} ${s}`], givenName: [g], sn: [s], mail: [`user${i}@example.org`],
      title: ['Engineer'], departmentNumber: [`D${i % 20}`], employeeNumber: [id], displayName: [`${g} ${s}`], initials: ['Z'],
    },
  };
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
  console.log(`mappings: ${mappings.length} expressions × ${N.toLocaleString('en')} objects in ${Math.round(ms)} ms = ${rate(N, ms)} (${sink} values; includes building the test objects)`);
}

function plan(): void {
  const job: PlanningJob = {
    sourceKey: 'employeeId',
    matching: [{ sourceAttribute: 'employeeId', destinationAttribute: 'employeeNumber', priority: 1 }],
    mappings,
    dnTemplate: 'uid={uid},ou=people',
    baseDn: 'dc=example,dc=org',
    objectClasses: ['inetOrgPerson'],
    deprovision: 'delete',
    thresholds: {},
  };
  const planner = new Planner(job);
  const start = performance.now();
  for (let i = 0; i < N; i++) planner.addDestination(destination(i));
  const t1 = performance.now();
  for (let i = 0; i < N; i++) planner.addSource(source(i, i % 100 === 0));
  const t2 = performance.now();
  const result = planner.finish();
  const t3 = performance.now();
  console.log(`plan: ${N.toLocaleString('en')} source × ${N.toLocaleString('en')} destination, 1% changed`);
  console.log(`  index destination  ${Math.round(t1 - start)} ms  ${rate(N, t1 - start)}`);
  console.log(`  map source         ${Math.round(t2 - t1)} ms  ${rate(N, t2 - t1)}`);
  console.log(`  match + diff       ${Math.round(t3 - t2)} ms  ${rate(N, t3 - t2)}`);
  console.log(`  total              ${Math.round(t3 - start)} ms (goal: under 30,000 ms)`);
  console.log(`  plan: ${JSON.stringify(result.summary)}; problems ${result.problems.length}`);
}

evaluateMappings();
plan();
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
console.log(`peak RSS ${mb(peak)} (goal: under 1024 MB)`);
