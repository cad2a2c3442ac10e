import { GatewayClient, type RunJson } from '@idsync/client';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { sampleEmployees, sampleJob } from './sample';

type Listed<K extends string> = Record<K, { id: string; name: string }[] | undefined>;

/**
 * Creates (once) the sample connections and job through the REST API, previews the job,
 * runs it, and prints what happened. Run it again and nothing changes: only differences are
 * written.
 */
export async function runDemo(api: GatewayClient, dataDir: string, print: (s: string) => void): Promise<RunJson> {
  const dir = resolve(dataDir, 'demo');
  await mkdir(dir, { recursive: true });
  const csv = join(dir, 'employees.csv');
  const ldif = join(dir, 'directory.ldif');
  if (!existsSync(csv)) await writeFile(csv, sampleEmployees(25));

  const connections = (await api.get<Listed<'connections'>>('/api/connections')).connections ?? [];
  const find = (name: string) => connections.find((c) => c.name === name)?.id;
  const source = find('Sample HR export') ?? (await api.post<{ id: string }>('/api/connections', { name: 'Sample HR export', kind: 'csv', settings: { path: csv } })).id;
  const destination =
    find('Sample directory (LDIF file)') ??
    (await api.post<{ id: string }>('/api/connections', { name: 'Sample directory (LDIF file)', kind: 'ldif', settings: { path: ldif, baseDn: 'dc=example,dc=org' } })).id;
  const jobs = (await api.get<Listed<'jobs'>>('/api/jobs')).jobs ?? [];
  const job = jobs.find((j) => j.name === 'HR employees to directory')?.id ?? (await api.post<{ id: string }>('/api/jobs', sampleJob(source, destination))).id;

  const preview = await api.waitForRun((await api.post<RunJson>(`/api/jobs/${job}/preview`)).id);
  print(`preview: ${preview.reason || preview.state}`);
  const plan = await api.get<{ operations: { kind: string; dn: string }[]; total: number }>(`/api/runs/${preview.id}/plan?limit=3`);
  for (const op of plan.operations) print(`  ${op.kind.replace('OPERATION_KIND_', '').toLowerCase()} ${op.dn}`);
  if (plan.total > plan.operations.length) print(`  … ${plan.total - plan.operations.length} more`);

  const run = await api.waitForRun((await api.post<RunJson>(`/api/jobs/${job}/runs`)).id);
  const c = run.counters;
  print(`run ${run.id}: ${run.state.replace('RUN_STATE_', '').toLowerCase()}${run.reason ? ` (${run.reason})` : ''}`);
  print(`  read ${c.read}, created ${c.created}, updated ${c.updated}, deleted ${c.deleted}, unchanged ${c.unchanged}, failed ${c.failed}`);
  if (existsSync(ldif)) {
    const text = await readFile(ldif, 'utf8');
    print(`directory: ${ldif} (${(text.match(/^dn:/gm) ?? []).length} entries)`);
  }
  print(`source: ${csv} — edit it and run again: only the differences are written`);
  return run;
}
