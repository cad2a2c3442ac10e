import { OperationKind, OperationStatus } from '@idsync/contracts';
import type { EntityManager, DataSource } from 'typeorm';
import { tables } from './tables';

export interface Counters {
  created: number;
  updated: number;
  deleted: number;
  disabled: number;
  renamed: number;
  failed: number;
  total: number;
}

/** Counters computed from the results themselves, so they can never drift from them. */
export async function countResults(m: EntityManager | DataSource, runId: string): Promise<Counters & { done: number }> {
  const t = tables(m);
  const rows: { kind: number; status: number; n: number }[] = await m.query(
    `SELECT o.kind, r.status, count(*)::int AS n FROM ${t.results} r JOIN ${t.operations} o USING (run_id, index)
     WHERE r.run_id = $1 GROUP BY o.kind, r.status`,
    [runId],
  );
  const [app] = await m.query(`SELECT total FROM ${t.applications} WHERE run_id = $1`, [runId]);
  const c = emptyCounters(app?.total ?? 0);
  for (const r of rows) addResults(c, r.kind, r.status, r.n);
  return c;
}

export function emptyCounters(total: number): Counters & { done: number } {
  return { created: 0, updated: 0, deleted: 0, disabled: 0, renamed: 0, failed: 0, total, done: 0 };
}

/** Counts n final results of one operation kind and status. */
export function addResults(c: Counters & { done: number }, kind: number, status: number, n = 1): void {
  c.done += n;
  if (status !== OperationStatus.SUCCEEDED) c.failed += n;
  else if (kind === OperationKind.CREATE) c.created += n;
  else if (kind === OperationKind.UPDATE) c.updated += n;
  else if (kind === OperationKind.DELETE) c.deleted += n;
  else if (kind === OperationKind.DISABLE) c.disabled += n;
  else if (kind === OperationKind.RENAME) c.renamed += n;
}
