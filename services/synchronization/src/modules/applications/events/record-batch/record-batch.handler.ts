import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { fromJsonString, OperationKind, OperationSchema, OperationStatus, Subjects } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import { addResults, emptyCounters } from '../../counters';
import { returnedRows } from '@idsync/persistence';
import { tables } from '../../tables';

/**
 * Records the result of every operation of a batch once (a redelivered batch result adds
 * nothing), reports each applied change to history, keeps the source↔destination links,
 * and closes the application when every operation has its result.
 */
@Injectable()
export class RecordBatchHandler implements OnModuleInit {
  constructor(@Inject(MessageBus) private readonly bus: MessageBus) {}

  onModuleInit(): void {
    this.bus.on(Subjects.batchApplied, async (e, { manager, publish }) => {
      const t = tables(manager);
      const [app] = await manager.query(`SELECT job_id, requested_by, state, total, counters FROM ${t.applications} WHERE run_id = $1 FOR UPDATE`, [e.runId]);
      if (!app) return;
      const fresh = returnedRows<{ index: number }>(
        await manager.query(
          `INSERT INTO ${t.results} (run_id, index, status, message)
           SELECT $1, unnest($2::int[]), unnest($3::int[]), unnest($4::text[]) ON CONFLICT DO NOTHING RETURNING index`,
          [e.runId, e.results.map((r) => r.index), e.results.map((r) => r.status), e.results.map((r) => r.message)],
        ),
      );
      const succeeded = new Set(e.results.filter((r) => r.status === OperationStatus.SUCCEEDED).map((r) => r.index));
      const newIndexes = fresh.map((f) => f.index).filter((i) => succeeded.has(i));
      if (newIndexes.length) {
        const ops: { body: string }[] = await manager.query(`SELECT body FROM ${t.operations} WHERE run_id = $1 AND index = ANY($2::int[]) ORDER BY index`, [e.runId, newIndexes]);
        const appliedAt = new Date().toISOString();
        for (const { body } of ops) {
          const op = fromJsonString(OperationSchema, body);
          await publish(Subjects.objectChanged, {
            runId: e.runId, jobId: app.job_id, kind: op.kind, dn: op.dn, newDn: op.newDn, sourceKey: op.sourceKey, changes: op.changes, requestedBy: app.requested_by, appliedAt,
          });
          if (op.kind === OperationKind.DELETE) {
            await manager.query(`DELETE FROM ${t.links} WHERE job_id = $1 AND source_key = $2`, [app.job_id, op.sourceKey]);
          } else if (op.sourceKey) {
            await manager.query(
              `INSERT INTO ${t.links} (job_id, source_key, dn, run_id) VALUES ($1, $2, $3, $4)
               ON CONFLICT (job_id, source_key) DO UPDATE SET dn = EXCLUDED.dn, run_id = EXCLUDED.run_id, updated_at = now()`,
              [app.job_id, op.sourceKey, op.kind === OperationKind.RENAME ? op.newDn : op.dn, e.runId],
            );
          }
        }
      }
      // Only the results recorded now are added: a redelivered batch adds nothing.
      const c = { ...emptyCounters(app.total), ...app.counters, total: app.total };
      if (fresh.length) {
        const statusOf = new Map(e.results.map((r) => [r.index, r.status]));
        const kinds: { index: number; kind: number }[] = await manager.query(
          `SELECT index, kind FROM ${t.operations} WHERE run_id = $1 AND index = ANY($2::int[])`,
          [e.runId, fresh.map((f) => f.index)],
        );
        for (const k of kinds) addResults(c, k.kind, statusOf.get(k.index) ?? 0);
        await manager.query(`UPDATE ${t.applications} SET counters = $2 WHERE run_id = $1`, [e.runId, c]);
      }
      const { done, ...counters } = c;
      if (done >= c.total && app.state === 'applying') {
        await manager.query(`UPDATE ${t.applications} SET state = 'applied', finished_at = now() WHERE run_id = $1`, [e.runId]);
        await publish(Subjects.planApplied, { runId: e.runId, counters });
      } else if (fresh.length) {
        await publish(Subjects.planProgressed, { runId: e.runId, counters });
      }
    });
  }
}
