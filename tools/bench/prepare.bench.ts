import { FsBlobStore } from '@idsync/messaging';
import type { PlanningJob } from '@idsync/planning';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleJob } from '../../services/embedded/src/demo/sample';
import { planFromSnapshots } from '../../services/preparation/src/modules/plans/commands/prepare-plan/plan-from-snapshots';
import { destinationRecord, sourceRecord } from './identities';

/**
 * Plans a full reconciliation of N source identities against N destination objects (1% changed)
 * the way the preparation service does it: from NDJSON snapshots in the blob store, each line
 * parsed, the destination read twice. plan.bench.ts measures the planner alone; this adds what the
 * service spends around it. Prints wall time, objects/s and peak RSS. BENCH_N sets N (default 1,000,000).
 */
const N = Number(process.env.BENCH_N ?? 1_000_000);
const peakRss = () => Math.round(process.resourceUsage().maxRSS / 1024);

const job: PlanningJob = {
  ...sampleJob('', ''),
  mappings: [
    ...sampleJob('', '').mappings,
    { target: 'displayName', expression: 'PCase(Join(" ", [givenName], [surname]))' },
    { target: 'initials', expression: 'ToUpper(Left([givenName], 1))' },
  ],
  baseDn: 'dc=example,dc=org',
  deprovision: 'delete',
  thresholds: { maxDeletes: 500, maxDeletePercent: 50 },
};

function* lines<T>(n: number, f: (i: number) => T): Iterable<string> {
  for (let i = 0; i < n; i++) yield JSON.stringify(f(i));
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'idsync-bench-prepare-'));
  try {
    const blobs = new FsBlobStore(dir);
    process.stdout.write(`writing ${N.toLocaleString('en')} source and ${N.toLocaleString('en')} destination records as NDJSON... `);
    const source = await blobs.write('snapshots', 'source.ndjson', lines(N, (i) => sourceRecord(i, i % 100 === 0)));
    const destination = await blobs.write('snapshots', 'destination.ndjson', lines(N, destinationRecord));
    console.log('done');
    const before = peakRss();
    const started = performance.now();
    const { result } = await planFromSnapshots(blobs, job, { source, destination }, { partial: false, sourceAnchors: { bucket: 'plans', name: 'source-anchors.ndjson' } });
    const ms = performance.now() - started;
    console.log(`plan from snapshots, 1% changed: ${N.toLocaleString('en')} source × ${N.toLocaleString('en')} destination objects`);
    console.log(`  total (goal: under 30,000 ms)   ${Math.round(ms)} ms   ${Math.round((N / ms) * 1000).toLocaleString('en')} objects/s`);
    console.log(`  plan: ${result.operations.length} operations, ${result.problems.length} problems; ${JSON.stringify(result.summary)}`);
    console.log(`peak RSS ${peakRss()} MB (goal: under 1024 MB; ${before} MB before planning, while writing the snapshots)`);
    if (result.summary.updates !== Math.ceil(N / 100) || result.problems.length) process.exitCode = 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
